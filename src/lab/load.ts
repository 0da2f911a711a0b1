import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { labSchema, SUPPORTED_SCHEMA, type Lab } from './schema/lab.ts';
import { LabError, formatIssues } from './errors.ts';
import { defaultLabsDir, displayPath } from './paths.ts';
import { loadVersions, resolveTemplates } from './versions.ts';

export interface LoadOptions {
  /** Folder holding the labs; default `labs/` of this repository. */
  labsDir?: string;
}

export const NEWER_SCHEMA_MESSAGE = "this lab needs a newer version of the guide's engine: git pull && npm ci";

/** Ids of every lab folder (folders starting with `_` or `.` are not labs), sorted. */
export async function listLabIds(opts: LoadOptions = {}): Promise<string[]> {
  const labsDir = opts.labsDir ?? defaultLabsDir;
  const entries = await readdir(labsDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && !/^[_.]/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/** Parses lab.yaml text into a validated lab. Throws a LabError listing every problem, one per line. */
export async function parseLab(text: string, opts: { file: string; dir: string; id: string; labsDir: string }): Promise<Lab> {
  const { file } = opts;
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new LabError(
      doc.errors
        .map((error) => `${file}:${error.linePos?.[0]?.line ?? '?'}: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`)
        .join('\n'),
    );
  }
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new LabError(`${file}: expected a mapping with schema, id, title, … (see labs/README.md)`);
  }
  const version = (raw as Record<string, unknown>).schema;
  if (typeof version === 'number' && version > SUPPORTED_SCHEMA) {
    throw new LabError(`${file}: schema ${version}: ${NEWER_SCHEMA_MESSAGE}`);
  }
  const versions = await loadVersions(opts.labsDir);
  const resolved = resolveTemplates(raw, versions, file);
  const result = labSchema.safeParse(resolved.value);
  const problems = [...resolved.errors];
  if (!result.success) problems.push(formatIssues(file, result.error.issues, resolved.value));
  if (result.success && result.data.id !== opts.id) {
    problems.push(`${file}: id: expected "${opts.id}" (the folder name), received "${result.data.id}"`);
  }
  if (problems.length > 0 || !result.success) throw new LabError(problems.join('\n'));
  return { ...result.data, dir: opts.dir, file };
}

/** Loads and validates `labs/<id>/lab.yaml`. */
export async function loadLab(id: string, opts: LoadOptions = {}): Promise<Lab> {
  const labsDir = path.resolve(opts.labsDir ?? defaultLabsDir);
  const dir = path.join(labsDir, id);
  const file = path.join(dir, 'lab.yaml');
  let text: string;
  try {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) throw Object.assign(new Error('bad id'), { code: 'ENOENT' });
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
  if (failures.length > 0) throw new LabError(failures.map((f) => (f.reason as Error).message).join('\n'));
  return results.map((r) => (r as PromiseFulfilledResult<Lab>).value);
}
