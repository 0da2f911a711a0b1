import type { z } from 'zod';

/** One problem in a file: where it is and what to do about it (printed `file: path: message`). */
export interface Issue {
  /** The file, relative to the repository root when inside it, e.g. `labs/dns/lab.yaml`. */
  file: string;
  /** Field path inside the file (`steps.2.run`), `line N`, or `(top level)`. */
  path: string;
  /** What is wrong, then what to do. */
  message: string;
}

/** `labs/x/lab.yaml: steps.0.id: expected …` */
export function formatIssueLine(issue: Issue): string {
  return `${issue.file}: ${issue.path}: ${issue.message}`;
}

/**
 * A problem with a lab definition or a lab operation the user can fix; `message` is the whole
 * story. Errors about files also carry them as structured issues, so that `validate` reports them
 * as data (JSON) without parsing the message back.
 */
export class LabError extends Error {
  override name = 'LabError';
  readonly issues: Issue[];
  constructor(message: string, issues: Issue[] = []) {
    super(message);
    this.issues = issues;
  }

  static of(issues: Issue[]): LabError {
    return new LabError(issues.map(formatIssueLine).join('\n'), issues);
  }
}

/** Another operation already runs on this lab. */
export class LabBusyError extends LabError {
  override name = 'LabBusyError';
}

/** Renders a field path the way lab messages write it: `steps.2.expect.stdout`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.');
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value === 'number' ? 'the number' : typeof value} ${String(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** One issue as one line, without the file: `steps.2.expect.stdout: expected …, received …`. */
export function formatIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const path = formatPath(issue.path);
  const received = valueAt(input, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys
        .map((key) => `${formatPath([...issue.path, key])}: unknown field "${key}" (check its spelling; labs/README.md lists every field)`)
        .join('\n');
    case 'invalid_type':
      if (received === undefined) return `${path}: missing; expected ${issue.expected === 'array' ? 'a list' : `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`}`;
      return `${path}: expected ${issue.expected === 'array' ? 'a list' : issue.expected}, received ${describeValue(received)}`;
    case 'invalid_value':
      return `${path}: expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, received ${describeValue(received)}`;
    case 'invalid_union':
      if ((issue as { note?: string }).note === 'No matching discriminator') {
        return `${path}: expected "demo", "check" or "exercise", received ${describeValue(received)}`;
      }
      return `${path}: ${issue.message}, received ${describeValue(received)}`;
    case 'too_small':
      if (issue.origin === 'array') return `${path}: expected at least ${String(issue.minimum)} item(s), received ${(received as unknown[] | undefined)?.length ?? 0}`;
      if (issue.origin === 'string') return `${path}: expected a non-empty text, received ${describeValue(received)}`;
      return `${path}: expected at least ${String(issue.minimum)}, received ${describeValue(received)}`;
    case 'invalid_format':
      return `${path}: ${issue.message.replace(/^Invalid string: must match pattern .*$/, 'expected a different format')}, received ${describeValue(received)}`;
    case 'custom':
      return `${path}: ${issue.message}`;
    default:
      return `${path}: ${issue.message}, received ${describeValue(received)}`;
  }
}

/** Every schema issue as a file issue: `labs/x/lab.yaml: steps.0.id: …`. */
export function schemaIssues(file: string, issues: readonly z.core.$ZodIssue[], input: unknown): Issue[] {
  return issues
    .flatMap((issue) => formatIssue(issue, input).split('\n'))
    .map((line) => {
      const at = line.indexOf(': ');
      return { file, path: line.slice(0, at), message: line.slice(at + 2) };
    });
}
