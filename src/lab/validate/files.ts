import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Issue } from '../errors.ts';
import { displayPath } from '../paths.ts';
import type { LabCommandText } from './commands.ts';

/**
 * Files a command names in the lab folder, in the ways labs name them: `./x` (run, so it must be
 * executable), `$LAB_DIR/x` or `${LAB_DIR}/x`, `bash x` / `sh x` / `. x` / `source x`, and a
 * relative file given to `-f`, `-c`, `-C`, `--config` or `--filename` (kubectl manifests, daemon
 * configs). Paths with variables or templates left in them cannot be checked and are skipped.
 */
const REFERENCES: { pattern: RegExp; executable?: boolean }[] = [
  { pattern: /(?:^|[\s;&|(`])(\.\/[\w.@%+-][\w./@%+-]*)/g, executable: true },
  { pattern: /\$\{?LAB_DIR\}?\/([\w./@%+-]+)/g },
  { pattern: /(?:^|[\s;&|(`])(?:bash|sh|source|\.)\s+(?!-)([\w@%+-][\w./@%+-]*\.(?:sh|bash))\b/g },
  { pattern: /(?:^|\s)(?:-f|-c|-C|--config|--filename)[\s=]+(?!-)([\w@%+-][\w./@%+-]*\.(?:ya?ml|json|conf|cfg|nft|zone|toml))\b/g },
];

/** A shell text without its comments, line for line: `# see ./README` is not a command. */
export function withoutComments(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '$1'))
    .join('\n');
}

export function fileReferenceIssues(commands: LabCommandText[], labDir: string, labFile: string): Issue[] {
  const issues: Issue[] = [];
  for (const command of commands) {
    const text = withoutComments(command.resolved);
    const seen = new Set<string>();
    for (const { pattern, executable } of REFERENCES) {
      for (const match of text.matchAll(pattern)) {
        const name = match[1]!;
        if (seen.has(name) || name.includes('$') || name.includes('{{') || /^\.\.?\/?$/.test(name)) continue;
        seen.add(name);
        const file = path.resolve(labDir, name);
        if (!file.startsWith(path.resolve(labDir, '..'))) continue;
        if (!existsSync(file)) {
          issues.push({ file: labFile, path: command.at, message: `${executable ? 'runs' : 'names'} ${name}, which does not exist in ${displayPath(labDir)}` });
        } else if (executable && statSync(file).isFile() && (statSync(file).mode & 0o111) === 0) {
          issues.push({ file: labFile, path: command.at, message: `runs ${name}, which is not executable: chmod +x ${displayPath(file)}` });
        }
      }
    }
  }
  return issues;
}
