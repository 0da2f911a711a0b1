/** Which lab backends can run on this machine, as the engine sees it, said once at server start. */
import { findExecutable, sandboxSupport } from '../lab/index.ts';

export interface BackendAvailability {
  usable: boolean;
  /** One line: what was found, or what is missing. */
  detail: string;
}

export function sandboxAvailability(): BackendAvailability {
  const support = sandboxSupport();
  return { usable: support.mode !== 'unavailable', detail: support.detail };
}

export function kindAvailability(): BackendAvailability {
  const engine = findExecutable('docker') ? 'docker' : findExecutable('podman') ? 'podman' : undefined;
  const kind = findExecutable('kind');
  if (engine && kind) return { usable: true, detail: `${engine} and kind found` };
  const missing = [engine ? undefined : 'docker or podman', kind ? undefined : 'kind'].filter(Boolean);
  return { usable: false, detail: `${missing.join(' and ')} not found` };
}
