import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { labSchema, SUPPORTED_SCHEMA, type Lab } from './schema/lab.ts';
import { LabError, schemaIssues, type Issue } from './errors.ts';
import { defaultLabsDir, displayPath } from './paths.ts';
import { loadVersions, resolveTemplates } from './versions.ts';

export interface LoadOptions {
  /** Folder holding the labs; default `labs/` of this repository. */
  labsDir?: string;
}

export const NEWER_SCHEMA_MESSAGE = "this lab needs a newer version of the guide's engine: git pull && npm ci";

/** Largest lab.yaml the engine reads: a lab is prose and commands, not data. */
export const MAX_LAB_FILE_BYTES = 2 * 1024 * 1024;
/** YAML aliases resolved per file at most: a few are handy, thousands are an attack (alias bombs). */
const MAX_ALIASES = 100;

const LAB_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Ids of every lab folder (folders starting with `_` or `.` are not labs), sorted. */
export async function listLabIds(opts: LoadOptions = {}): Promise<string[]> {
  const labsDir = opts.labsDir ?? defaultLabsDir;
  const entries = await readdir(labsDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && !/^[_.]/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/** Parses YAML text into plain data, turning every YAML problem (alias bombs included) into issues. */
export function parseYaml(text: string, file: string): { data?: unknown; issues: Issue[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      issues: doc.errors.map((error) => ({
        file,
        path: `line ${error.linePos?.[0]?.line ?? '?'}`,
        message: `not valid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    };
  }
  try {
    return { data: doc.toJS({ maxAliasCount: MAX_ALIASES }), issues: [] };
  } catch (error) {
    return { issues: [{ file, path: '(top level)', message: `not usable YAML: ${(error as Error).message.split('\n')[0]} (at most ${MAX_ALIASES} aliases are resolved)` }] };
  }
}

/** Parses lab.yaml text into a validated lab. Throws a LabError holding every problem as an issue. */
export async function parseLab(text: string, opts: { file: string; dir: string; id: string; labsDir: string }): Promise<Lab> {
  const { file } = opts;
  const parsed = parseYaml(text, file);
  if (parsed.issues.length > 0) throw LabError.of(parsed.issues);
  const raw = parsed.data;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw LabError.of([{ file, path: '(top level)', message: 'expected a mapping with schema, id, title, … (see labs/README.md)' }]);
  }
  const version = (raw as Record<string, unknown>).schema;
  if (typeof version === 'number' && version > SUPPORTED_SCHEMA) {
    throw LabError.of([{ file, path: 'schema', message: `${version} is newer than this engine reads (${SUPPORTED_SCHEMA}): ${NEWER_SCHEMA_MESSAGE}` }]);
  }
  const versions = await loadVersions(opts.labsDir);
  const resolved = resolveTemplates(raw, versions, file);
  const result = labSchema.safeParse(resolved.value);
  const problems: Issue[] = [...resolved.errors];
  if (!result.success) problems.push(...schemaIssues(file, result.error.issues, resolved.value));
  if (result.success && result.data.id !== opts.id) {
    problems.push({ file, path: 'id', message: `expected "${opts.id}" (the folder name), received "${result.data.id}"` });
  }
  if (problems.length > 0 || !result.success) throw LabError.of(problems);
  return { ...result.data, dir: opts.dir, file };
}

/** Loads and validates `labs/<id>/lab.yaml`. */
export async function loadLab(id: string, opts: LoadOptions = {}): Promise<Lab> {
  const labsDir = path.resolve(opts.labsDir ?? defaultLabsDir);
  const dir = path.join(labsDir, id);
  const file = path.join(dir, 'lab.yaml');
  let text: string;
  try {
    if (!LAB_ID.test(id)) throw Object.assign(new Error('bad id'), { code: 'ENOENT' });
    const size = (await stat(file)).size;
    if (size > MAX_LAB_FILE_BYTES) {
      throw LabError.of([{ file: displayPath(file), path: '(top level)', message: `${size} bytes: a lab.yaml may hold at most ${MAX_LAB_FILE_BYTES} bytes; split the lab` }]);
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const known = await listLabIds({ labsDir }).catch(() => []);
    throw new LabError(
      `unknown lab "${id}": no ${displayPath(file)}\nknown labs: ${known.length > 0 ? known.join(', ') : '(none)'}\nlist them with: npm run lab -- list`,
    );
  }
  return parseLab(text, { file: displayPath(file), dir, id, labsDir });
}

/** Loads every lab. Throws one LabError holding the problems of all broken labs. */
export async function loadAllLabs(opts: LoadOptions = {}): Promise<Lab[]> {
  const ids = await listLabIds(opts);
  const results = await Promise.allSettled(ids.map((id) => loadLab(id, opts)));
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failures.length > 0) {
    const errors = failures.map((f) => f.reason as Error);
    const nonLab = errors.find((e) => !(e instanceof LabError));
    if (nonLab) throw nonLab;
    throw new LabError(errors.map((e) => e.message).join('\n'), errors.flatMap((e) => (e as LabError).issues));
  }
  return results.map((r) => (r as PromiseFulfilledResult<Lab>).value);
}

/**
 * The one way to find a lab by id across several labs folders (the repository's `labs/`, then
 * extra folders such as test fixtures): the lab from the first folder that has it, or undefined.
 * A broken lab.yaml throws its LabError.
 */
export async function findLab(id: string, labsDirs: string[] = [defaultLabsDir]): Promise<Lab | undefined> {
  if (!LAB_ID.test(id)) return undefined;
  for (const labsDir of labsDirs) {
    const ids = await listLabIds({ labsDir }).catch(() => [] as string[]);
    if (ids.includes(id)) return loadLab(id, { labsDir });
  }
  return undefined;
}
