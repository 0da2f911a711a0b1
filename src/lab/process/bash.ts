/** The argument vector that runs a lab command: strict bash, so a failing line fails the step. */
export function bashArgs(cmd: string): string[] {
  return ['-euo', 'pipefail', '-c', cmd];
}
