import { readFile, readdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { LabError, type Issue } from '../errors.ts';
import { MAX_LAB_FILE_BYTES, listLabIds, loadLab, parseYaml } from '../load.ts';
import { defaultLabsDir, displayPath } from '../paths.ts';
import type { Lab } from '../schema/lab.ts';
import { loadVersions, type Versions } from '../versions.ts';
import { commandsOf } from './commands.ts';
import { fileReferenceIssues } from './files.ts';
import { checkKindConfig } from './kind-config.ts';
import { checkManifest } from './manifests.ts';
import { undeclaredModuleIssues, type ModuleSource } from './modules.ts';
import { sampleIssues } from './samples.ts';
import { imageProblem, imagesIn, isDownload, latestProblem, urlProblem, urlsIn, versionImages } from './pins.ts';
import { ShellcheckMissing, shellcheckAll, type ShellSource } from './shellcheck.ts';

/**
 * Static validation: everything that can be proven about a lab without running it (kind clusters
 * cannot start on the project's own machines). The one validation path, used by `lab validate`
 * and the tests: the schema (through the loader), files the commands name, the kind config against
 * kind's v1alpha4 fields, every manifest against the real API schemas, images pinned by digest and
 * URLs pinned through versions.yaml, shellcheck on every command and script (a missing shellcheck
 * is an error), and versions.yaml itself.
 */

const TEMPLATE = /\{\{\s*[^{}]*?\s*\}\}/g;
const HAS_TEMPLATE = /\{\{[^{}]*\}\}/;

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'recordings') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files.sort();
}

/** Pinning problems in a command or script text: unpinned images, `latest`, URLs that move. */
function pinIssues(text: string, file: string, at: string, versions: Versions): Issue[] {
  const issues: Issue[] = [];
  for (const ref of imagesIn(text)) {
    if (ref.includes('{{') || ref.startsWith('$')) continue;
    const problem = imageProblem(ref, versions);
    if (problem) issues.push({ file, path: at, message: problem });
  }
  for (const url of urlsIn(text)) {
    const problem = urlProblem(url);
    if (problem) issues.push({ file, path: at, message: problem });
  }
  const latest = latestProblem(text.replace(/https?:\/\/\S+/g, ''));
  if (latest && !issues.some((i) => i.message.includes('"latest"'))) issues.push({ file, path: at, message: latest });
  return issues;
}

function templateMessage(): string {
  return '{{ }} templates are resolved in lab.yaml only: pass the value from lab.yaml (an argument or variable), or write the pinned value';
}

function byPlace(a: Issue, b: Issue): number {
  return a.file.localeCompare(b.file) || a.path.localeCompare(b.path, undefined, { numeric: true });
}

/** Images in a manifest: every `image` field anywhere in the object. */
function manifestPins(data: unknown, file: string, prefix: string, versions: Versions): Issue[] {
  const issues: Issue[] = [];
  const visit = (value: unknown, at: string[]): void => {
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...at, String(i)]));
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key === 'image' && typeof item === 'string') {
          const problem = imageProblem(item, versions);
          if (problem) issues.push({ file, path: [prefix, ...at, key].filter(Boolean).join('.'), message: problem });
        } else visit(item, [...at, key]);
      }
    } else if (typeof value === 'string') {
      for (const url of urlsIn(value)) {
        const problem = urlProblem(url);
        if (problem) issues.push({ file, path: [prefix, ...at].filter(Boolean).join('.'), message: problem });
      }
    }
  };
  visit(data, []);
  return issues;
}

/** The kind config: exists, no templates, kind's v1alpha4 fields. */
async function kindConfigIssues(lab: Lab, labFile: string): Promise<{ issues: Issue[]; configPath?: string }> {
  if (lab.backend !== 'kind' || !lab.cluster) return { issues: [] };
  const configPath = path.resolve(lab.dir, lab.cluster.config);
  const configFile = displayPath(configPath);
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch {
    return { issues: [{ file: labFile, path: 'cluster.config', message: `${configFile} does not exist` }], configPath };
  }
  const issues: Issue[] = [];
  if (HAS_TEMPLATE.test(text)) issues.push({ file: configFile, path: '(top level)', message: templateMessage() });
  const parsed = parseYaml(text, configFile);
  issues.push(...parsed.issues);
  if (parsed.issues.length === 0) issues.push(...checkKindConfig(parsed.data, configFile, lab.id));
  return { issues, configPath };
}

/** Our own manifests (every YAML file but lab.yaml and the kind config) and our scripts' pins. */
async function ownFileIssues(lab: Lab, skip: Set<string>, versions: Versions): Promise<{ issues: Issue[]; scripts: string[]; texts: ModuleSource[] }> {
  const issues: Issue[] = [];
  const scripts: string[] = [];
  const texts: ModuleSource[] = [];
  for (const file of await walk(lab.dir)) {
    const shown = displayPath(file);
    if (skip.has(file)) continue;
    // Every file is read whole to be checked: a huge one (a capture, a log) would cost memory
    // and time for nothing a lab needs, so it is refused by size before it is read.
    const { size } = await stat(file);
    if (size > MAX_LAB_FILE_BYTES) {
      issues.push({ file: shown, path: '(top level)', message: `${size} bytes: a file in a lab folder may hold at most ${MAX_LAB_FILE_BYTES} bytes` });
      continue;
    }
    if (/\.ya?ml$/.test(file)) {
      const text = await readFile(file, 'utf8');
      if (HAS_TEMPLATE.test(text)) issues.push({ file: shown, path: '(top level)', message: templateMessage() });
      const docs = parseAllDocuments(text, { maxAliasCount: 100 } as never);
      const list = Array.isArray(docs) ? docs : [docs];
      const several = list.length > 1;
      for (const [index, doc] of list.entries()) {
        if (doc.errors.length > 0) {
          issues.push({ file: shown, path: '(top level)', message: `not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}` });
          continue;
        }
        let data: unknown;
        try {
          data = doc.toJS({ maxAliasCount: 100 });
        } catch (error) {
          issues.push({ file: shown, path: '(top level)', message: `not usable YAML: ${(error as Error).message.split('\n')[0]}` });
          continue;
        }
        if (data === null || data === undefined) continue;
        const prefix = several ? `[${index}]` : '';
        issues.push(...(await checkManifest(data, shown, prefix)));
        issues.push(...manifestPins(data, shown, prefix, versions));
      }
    } else if (file.endsWith('.sh')) {
      scripts.push(file);
      const text = await readFile(file, 'utf8');
      texts.push({ file: shown, at: '', text });
      text.split('\n').forEach((line, index) => {
        if (/^\s*#/.test(line)) return;
        const at = `line ${index + 1}`;
        if (HAS_TEMPLATE.test(line)) issues.push({ file: shown, path: at, message: templateMessage() });
        for (const url of urlsIn(line).filter(isDownload)) {
          issues.push({ file: shown, path: at, message: `URL ${url} is written in the script: pass it from lab.yaml as an argument or variable written {{ path }} (labs/versions.yaml)` });
        }
        issues.push(...pinIssues(line, shown, at, versions).filter((i) => !i.message.startsWith('URL ')));
      });
    }
  }
  return { issues, scripts, texts };
}

/** Validates one loaded lab. Reads lab.yaml again for the commands as written (templates unresolved). */
export async function validateLab(lab: Lab): Promise<Issue[]> {
  const labsDir = path.dirname(lab.dir);
  const versions = await loadVersions(labsDir);
  const labYaml = path.join(lab.dir, 'lab.yaml');
  const labFile = displayPath(labYaml);
  const raw = parseYaml(await readFile(labYaml, 'utf8'), labFile).data;
  const commands = commandsOf(lab, raw);
  const issues: Issue[] = [];

  for (const command of commands) {
    // A URL counts as pinned when versions.yaml provides it, or a part of it (`…/{{ calico.version }}/…`).
    for (const url of urlsIn(command.raw.replace(TEMPLATE, '__VERSION__'))) {
      if (url.includes('__VERSION__') || !isDownload(url)) continue;
      issues.push({ file: labFile, path: command.at, message: `URL ${url} is written in the command: add it to labs/versions.yaml and write {{ path }} instead` });
    }
    issues.push(...pinIssues(command.resolved, labFile, command.at, versions));
  }
  issues.push(...fileReferenceIssues(commands, lab.dir, labFile));
  issues.push(...sampleIssues(lab, labFile));

  const kind = await kindConfigIssues(lab, labFile);
  issues.push(...kind.issues);
  const own = await ownFileIssues(lab, new Set([labYaml, ...(kind.configPath ? [kind.configPath] : [])]), versions);
  issues.push(...own.issues);
  if (lab.backend === 'sandbox') {
    const declared = new Set(lab.prerequisites.flatMap((p) => (p.module ? [p.module] : [])));
    const sources = [...commands.map((c) => ({ file: labFile, at: c.at, text: c.resolved })), ...own.texts];
    issues.push(...undeclaredModuleIssues(sources, declared, labFile));
  }

  // shellcheck: every command (as `bash -euo pipefail -c` runs it) and every script, the shared
  // sandbox helpers included, in a few batches.
  const lib = path.join(labsDir, '_lib');
  const libScripts = lab.backend === 'sandbox' && existsSync(lib) ? (await walk(lib)).filter((f) => f.endsWith('.sh')) : [];
  const sources: { source: ShellSource; file: string; at: (line: number) => string }[] = [
    ...commands.map((c) => ({ source: { text: c.resolved }, file: labFile, at: () => c.at })),
    ...[...own.scripts, ...libScripts].map((f) => ({ source: { file: f }, file: displayPath(f), at: (line: number) => `line ${line}` })),
  ];
  try {
    const findings = await shellcheckAll(sources.map((s) => s.source), lab.dir);
    for (const f of findings) {
      const s = sources[f.source]!;
      issues.push({ file: s.file, path: s.at(f.line), message: `shellcheck SC${f.code} (${f.level}): ${f.message} (https://www.shellcheck.net/wiki/SC${f.code})` });
    }
  } catch (error) {
    if (!(error instanceof ShellcheckMissing)) throw error;
    issues.push({ file: labFile, path: '(shellcheck)', message: error.message });
  }
  return dedupe(issues).sort(byPlace);
}

/** The shared _lib scripts are checked with every sandbox lab: report each finding once per lab. */
function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.file}\0${i.path}\0${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Checks labs/versions.yaml itself: valid YAML, every image by digest, no `latest`, no branch URL. */
export async function validateVersionsFile(labsDir: string = defaultLabsDir): Promise<Issue[]> {
  let versions: Versions;
  try {
    versions = await loadVersions(labsDir);
  } catch (error) {
    if (error instanceof LabError) return error.issues;
    throw error;
  }
  const file = displayPath(path.join(labsDir, 'versions.yaml'));
  const issues: Issue[] = [];
  for (const [key, image] of versionImages(versions)) {
    if (!/@sha256:[0-9a-f]{64}$/.test(image)) issues.push({ file, path: key, message: `expected an image pinned by digest (name:tag@sha256:…), received "${image}"` });
  }
  const visit = (value: unknown, at: string[]): void => {
    if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) visit(item, [...at, key]);
    else if (typeof value === 'string') {
      for (const url of urlsIn(value)) {
        const problem = urlProblem(url);
        if (problem) issues.push({ file, path: at.join('.'), message: problem });
      }
      const latest = latestProblem(value.replace(/https?:\/\/\S+/g, ''));
      if (latest || value === 'latest') issues.push({ file, path: at.join('.'), message: latest ?? '"latest" is a moving version: pin a release' });
    }
  };
  visit(versions, []);
  return issues;
}

/** Loads one lab (schema, templates) and validates it statically: every problem, as issues. */
export async function validateLabById(id: string, opts: { labsDir?: string } = {}): Promise<Issue[]> {
  const labsDir = path.resolve(opts.labsDir ?? defaultLabsDir);
  let lab: Lab;
  try {
    lab = await loadLab(id, { labsDir });
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    return error.issues.length > 0 ? error.issues : [{ file: displayPath(path.join(labsDir, id, 'lab.yaml')), path: '(top level)', message: error.message }];
  }
  return validateLab(lab);
}

export interface ValidationReport {
  /** Problems in labs/versions.yaml. */
  versions: Issue[];
  /** Each lab validated, in id order. */
  labs: { id: string; issues: Issue[] }[];
}

/** Validates versions.yaml and the given labs (default: every lab), labs in parallel (shellcheck is pooled). */
export async function validateAll(opts: { labsDir?: string; ids?: string[] } = {}): Promise<ValidationReport> {
  const labsDir = path.resolve(opts.labsDir ?? defaultLabsDir);
  const ids = opts.ids && opts.ids.length > 0 ? opts.ids : await listLabIds({ labsDir });
  const [versions, labs] = await Promise.all([
    validateVersionsFile(labsDir),
    Promise.all(ids.map(async (id) => ({ id, issues: await validateLabById(id, { labsDir }) }))),
  ]);
  return { versions, labs };
}
