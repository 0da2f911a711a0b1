import type { InstallHints } from '../types.ts';

/**
 * How to install each tool the kind backend needs, per OS family. Windows readers run the labs
 * in WSL2 (a Linux distribution), so `other` names WSL2 as well as the upstream install page.
 * Versions come from labs/versions.yaml so the hints never name an unpinned release.
 */
export function installHints(tool: 'docker' | 'kind' | 'kubectl' | 'helm', kindVersion: string): InstallHints {
  switch (tool) {
    case 'docker':
      return {
        debian: 'sudo apt-get install docker.io && sudo usermod -aG docker "$USER" (log in again), or: sudo apt-get install podman',
        fedora: 'sudo dnf install podman (or Docker Engine: https://docs.docker.com/engine/install/fedora/)',
        macos: 'install Docker Desktop, or: brew install podman && podman machine init && podman machine start',
        other: 'Windows: Docker Desktop with the WSL2 backend, then run the labs inside WSL2; elsewhere: https://docs.docker.com/engine/install/',
      };
    case 'kind':
      return {
        debian: `go install sigs.k8s.io/kind@${kindVersion}, or download the ${kindVersion} binary from https://github.com/kubernetes-sigs/kind/releases/tag/${kindVersion}`,
        fedora: `go install sigs.k8s.io/kind@${kindVersion}, or download the ${kindVersion} binary from https://github.com/kubernetes-sigs/kind/releases/tag/${kindVersion}`,
        macos: `brew install kind (check: kind version shows ${kindVersion} or newer)`,
        other: `Windows/WSL2: inside WSL2 use the Linux binary from https://github.com/kubernetes-sigs/kind/releases/tag/${kindVersion}`,
      };
    case 'kubectl':
      return {
        debian: 'sudo apt-get install kubectl (from the pkgs.k8s.io repository: https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/)',
        fedora: 'sudo dnf install kubectl (from the pkgs.k8s.io repository: https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/)',
        macos: 'brew install kubectl',
        other: 'Windows/WSL2: install the Linux kubectl inside WSL2: https://kubernetes.io/docs/tasks/tools/',
      };
    case 'helm':
      return {
        debian: 'sudo apt-get install helm (from the Helm apt repository: https://helm.sh/docs/intro/install/)',
        fedora: 'sudo dnf install helm',
        macos: 'brew install helm',
        other: 'Windows/WSL2: install the Linux helm inside WSL2: https://helm.sh/docs/intro/install/',
      };
  }
}
