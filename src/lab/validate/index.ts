import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { LabError } from '../errors.ts';
import { listLabIds, loadLab } from '../load.ts';
import { defaultLabsDir, displayPath } from '../paths.ts';
import type { Lab } from '../schema/lab.ts';
import { loadVersions, type Versions } from '../versions.ts';
import { checkKindConfig } from './kind-config.ts';
import { checkManifest } from './manifests.ts';
import { imageProblem, imagesIn, isDownload, latestProblem, urlProblem, urlsIn, versionImages } from './pins.ts';
import { SHELLCHECK_INSTALL, ShellcheckMissing, shellcheck } from './shellcheck.ts';
import type { ValidationIssue } from './types.ts';

export type { ValidationIssue } from './types.ts';
export { formatValidationIssue } from './types.ts';

/**
 * Static validation of a lab beyond its schema: what can be proven without running it (kind
 * clusters cannot start on the project's own machines). Checks the kind config against kind's
 * v1alpha4 fields, every Kubernetes manifest against the real API schemas, that every image is
 * pinned by digest and every URL is a pinned one from versions.yaml, and runs shellcheck on every
 * command and script.
 */

const TEMPLATE = /\{\{\s*[^{}]*?\s*\}\}/g;
const HAS_TEMPLATE = /\{\{[^{}]*\}\}/;

interface Command {
  /** Field path in lab.yaml, e.g. `steps.2.run`. */
  at: string;
  /** As written (templates unresolved). */
  raw: string;
  /** As run (templates resolved). */
  resolved: string;
}

function commandsOf(lab: Lab, raw: Record<string, unknown>): Command[] {
  const rawAt = (parts: (string | number)[]): string => {
    let value: unknown = raw;
    for (const key of parts) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return typeof value === 'string' ? value : '';
  };
  const out: Command[] = [];
  const add = (parts: (string | number)[], resolved: string): void => {
    out.push({ at: parts.join('.'), raw: rawAt(parts), resolved });
  };
  lab.setup.forEach((c, i) => add(['setup', i, 'run'], c.run));
  lab.teardown.forEach((c, i) => add(['teardown', i, 'run'], c.run));
  lab.steps.forEach((s, i) => {
    add(['steps', i, 'run'], s.run);
    if (s.type === 'exercise') add(['steps', i, 'solution', 'run'], s.solution.run);
  });
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files.sort();
}

/** Pinning problems in a command or script text: unpinned images, `latest`, URLs that move. */
function pinIssues(text: string, file: string, at: string, versions: Versions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
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

function shellIssues(findings: Awaited<ReturnType<typeof shellcheck>>, file: string, at: (line: number) => string): ValidationIssue[] {
  return findings.map((f) => ({ file, path: at(f.line), message: `shellcheck SC${f.code} (${f.level}): ${f.message} (https://www.shellcheck.net/wiki/SC${f.code})` }));
}

/** Validates one loaded lab. `labDir` is its folder (default `lab.dir`); versions.yaml is read from the folder above. */
export async function validateLabStatic(lab: Lab, labDir: string = lab.dir): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  const versions = await loadVersions(path.dirname(labDir));
  const labYaml = path.join(labDir, 'lab.yaml');
  const labFile = displayPath(labYaml);
  const raw = (parse(await readFile(labYaml, 'utf8')) ?? {}) as Record<string, unknown>;
  const commands = commandsOf(lab, raw);
  const pending: Promise<void>[] = [];
  let shellcheckMissing: string | undefined;
  const runShellcheck = (job: () => Promise<ValidationIssue[]>): void => {
    pending.push(
      job().then(
        (found) => void issues.push(...found),
        (error: unknown) => {
          if (error instanceof ShellcheckMissing) shellcheckMissing = error.message;
          else throw error;
        },
      ),
    );
  };

  // lab.yaml commands: URLs only through templates, pinned images, shellcheck.
  for (const command of commands) {
    // A URL counts as pinned when versions.yaml provides it, or a part of it (`…/{{ calico.version }}/…`).
    for (const url of urlsIn(command.raw.replace(TEMPLATE, '__VERSION__'))) {
      if (url.includes('__VERSION__') || !isDownload(url)) continue;
      issues.push({
        file: labFile,
        path: command.at,
        message: `URL ${url} is written in the command: add it to labs/versions.yaml and write {{ path }} instead`,
      });
    }
    issues.push(...pinIssues(command.resolved, labFile, command.at, versions));
    // Lab commands run as `bash -euo pipefail -c`: tell shellcheck so (e.g. a failing `cd` stops the step).
    runShellcheck(async () => shellIssues(await shellcheck({ text: `set -euo pipefail\n${command.resolved}` }, labDir), labFile, () => command.at));
  }

  // The kind config.
  const configPath = lab.backend === 'kind' && lab.cluster ? path.resolve(labDir, lab.cluster.config) : undefined;
  if (configPath) {
    const configFile = displayPath(configPath);
    let text: string | undefined;
    try {
      text = await readFile(configPath, 'utf8');
    } catch {
      issues.push({ file: labFile, path: 'cluster.config', message: `${configFile} does not exist` });
    }
    if (text !== undefined) {
      if (HAS_TEMPLATE.test(text)) issues.push({ file: configFile, path: '(top level)', message: templateMessage() });
      try {
        issues.push(...checkKindConfig(parse(text), configFile, lab.id));
      } catch (error) {
        issues.push({ file: configFile, path: '(top level)', message: `not valid YAML: ${(error as Error).message.split('\n')[0]}` });
      }
    }
  }

  // Our own manifests and scripts.
  for (const file of await walk(labDir)) {
    const shown = displayPath(file);
    if (file === labYaml || file === configPath) continue;
    if (/\.ya?ml$/.test(file)) {
      const text = await readFile(file, 'utf8');
      if (HAS_TEMPLATE.test(text)) issues.push({ file: shown, path: '(top level)', message: templateMessage() });
      const docs = parseAllDocuments(text);
      const list = Array.isArray(docs) ? docs : [docs];
      const several = list.length > 1;
      for (const [index, doc] of list.entries()) {
        if (doc.errors.length > 0) {
          issues.push({ file: shown, path: '(top level)', message: `not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}` });
          continue;
        }
        const data: unknown = doc.toJS();
        if (data === null || data === undefined) continue;
        const prefix = several ? `[${index}]` : '';
        issues.push(...(await checkManifest(data, shown, prefix)));
        issues.push(...manifestPins(data, shown, prefix, versions));
      }
    } else if (file.endsWith('.sh')) {
      const text = await readFile(file, 'utf8');
      text.split('\n').forEach((line, index) => {
        if (/^\s*#/.test(line)) return;
        const at = `line ${index + 1}`;
        if (HAS_TEMPLATE.test(line)) issues.push({ file: shown, path: at, message: templateMessage() });
        for (const url of urlsIn(line).filter(isDownload)) {
          issues.push({
            file: shown,
            path: at,
            message: `URL ${url} is written in the script: pass it from lab.yaml as an argument or variable written {{ path }} (labs/versions.yaml)`,
          });
        }
        issues.push(...pinIssues(line, shown, at, versions).filter((i) => !i.message.startsWith('URL ')));
      });
      // Sandbox labs' scripts are shellchecked by the engine's own validation (src/lab/validate-own.ts).
      if (lab.backend === 'kind') {
        runShellcheck(async () => shellIssues(await shellcheck({ file: path.relative(labDir, file) }, labDir), shown, (line) => `line ${line}`));
      }
    }
  }

  await Promise.all(pending);
  if (shellcheckMissing) issues.push({ file: labFile, path: '(shellcheck)', message: shellcheckMissing });
  return issues.sort(byPlace);
}

function templateMessage(): string {
  return '{{ }} templates are resolved in lab.yaml only: pass the value from lab.yaml (an argument or variable), or write the pinned value';
}

function byPlace(a: ValidationIssue, b: ValidationIssue): number {
  return a.file.localeCompare(b.file) || a.path.localeCompare(b.path, undefined, { numeric: true });
}

/** Images in a manifest: every `image` field anywhere in the object. */
function manifestPins(data: unknown, file: string, prefix: string, versions: Versions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
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

/** Checks labs/versions.yaml itself: every image by digest, no `latest`, no branch URL. */
export async function validateVersionsFile(labsDir: string = defaultLabsDir): Promise<ValidationIssue[]> {
  const versions = await loadVersions(labsDir);
  const file = displayPath(path.join(labsDir, 'versions.yaml'));
  const issues: ValidationIssue[] = [];
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

/** Turns a loader error (`file: path: message` lines) into issues. */
function loaderIssues(error: LabError, fallbackFile: string): ValidationIssue[] {
  return error.message.split('\n').map((line) => {
    const m = /^([^:\s]+\.ya?ml)(?::\d+)?: ([^:]+?): (.*)$/.exec(line);
    return m ? { file: m[1]!, path: m[2]!, message: m[3]! } : { file: fallbackFile, path: '(top level)', message: line };
  });
}

/** Loads one lab (schema, templates) and validates it statically: every problem, as issues. */
export async function validateLabById(id: string, opts: { labsDir?: string } = {}): Promise<ValidationIssue[]> {
  const labsDir = path.resolve(opts.labsDir ?? defaultLabsDir);
  let lab: Lab;
  try {
    lab = await loadLab(id, { labsDir });
  } catch (error) {
    if (error instanceof LabError) return loaderIssues(error, displayPath(path.join(labsDir, id, 'lab.yaml')));
    throw error;
  }
  return validateLabStatic(lab, lab.dir);
}

/** Every lab plus versions.yaml. */
export async function validateAllLabs(opts: { labsDir?: string } = {}): Promise<ValidationIssue[]> {
  const labsDir = path.resolve(opts.labsDir ?? defaultLabsDir);
  const ids = await listLabIds({ labsDir });
  const perLab = await Promise.all(ids.map((id) => validateLabById(id, { labsDir })));
  return [...(await validateVersionsFile(labsDir)), ...perLab.flat()];
}

export { SHELLCHECK_INSTALL };
