/** One problem found by static validation: where it is and what to do about it. */
export interface ValidationIssue {
  /** The file, relative to the repository root when inside it, e.g. `labs/dns/kind.yaml`. */
  file: string;
  /** Field path inside the file (`nodes.0.role`, `steps.2.run`, `spec.containers`) or `line N` for scripts. */
  path: string;
  /** What is wrong, then what to do. */
  message: string;
}

/** `labs/x/kind.yaml: nodes.0.role: expected …` */
export function formatValidationIssue(issue: ValidationIssue): string {
  return `${issue.file}: ${issue.path}: ${issue.message}`;
}
