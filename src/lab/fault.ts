/**
 * Fault injection for the engine's own tests: `K8S_NET_LABS_FAULT=<point>` makes the process
 * SIGKILL itself when it reaches that point, as a crash or `kill -9` would, so the tests can show
 * that the next `lab down` still finds and removes everything. Points: sandbox-holder-started,
 * sandbox-state-written, setup-running, daemon-started, kind-creating.
 */
export function faultPoint(point: string): void {
  if (process.env.K8S_NET_LABS_FAULT === point) process.kill(process.pid, 'SIGKILL');
}
