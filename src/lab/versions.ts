import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { LabError, formatPath, type Issue } from './errors.ts';
import { displayPath } from './paths.ts';

/** The pinned versions (labs/versions.yaml) as a plain tree. */
export type Versions = Record<string, unknown>;

const cache = new Map<string, Promise<Versions>>();

/** Loads `<labsDir>/versions.yaml` (cached per file). A missing file counts as empty. */
export function loadVersions(labsDir: string): Promise<Versions> {
  const file = path.join(labsDir, 'versions.yaml');
  let pending = cache.get(file);
  if (!pending) {
    pending = readVersions(file);
    cache.set(file, pending);
    pending.catch(() => cache.delete(file));
  }
  return pending;
}

async function readVersions(file: string): Promise<Versions> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const data: unknown = parse(text, { prettyErrors: true, maxAliasCount: 100 });
    if (data === null || data === undefined) return {};
    if (typeof data !== 'object' || Array.isArray(data)) throw new Error('expected a mapping at the top level');
    return data as Versions;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0] ?? '';
    throw LabError.of([{ file: displayPath(file), path: '(top level)', message: `not valid YAML: ${message}` }]);
  }
}

const TEMPLATE = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Looks up `a.b.c` in the versions tree; undefined if any part is missing or not a scalar. */
export function lookupVersion(versions: Versions, dotted: string): string | undefined {
  let value: unknown = versions;
  for (const key of dotted.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/**
 * Replaces `{{ a.b.c }}` in every string of `data` with the value from versions.yaml.
 * Returns the new tree and one issue per unknown path.
 */
export function resolveTemplates(data: unknown, versions: Versions, file: string): { value: unknown; errors: Issue[] } {
  const errors: Issue[] = [];
  const walk = (value: unknown, at: PropertyKey[]): unknown => {
    if (typeof value === 'string') {
      return value.replace(TEMPLATE, (whole, dotted: string) => {
        const found = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(dotted) ? lookupVersion(versions, dotted) : undefined;
        if (found === undefined) {
          errors.push({ file, path: formatPath(at), message: `unknown version "${dotted}" in ${whole}: add it to labs/versions.yaml or fix the path` });
          return whole;
        }
        return found;
      });
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...at, index]));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, [...at, key])]));
    }
    return value;
  };
  return { value: walk(data, []), errors };
}
