import type { Versions } from '../versions.ts';

/**
 * Pinning rules: images carry a sha256 digest, nothing uses `latest`, and no URL points at a branch
 * (what a branch holds changes under the reader's feet; a tag or a commit does not).
 */

const DIGEST = /@sha256:[0-9a-f]{64}$/;

/** Every `image` value in versions.yaml, by dotted path. */
export function versionImages(versions: Versions): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (value: unknown, at: string[]): void => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, item] of Object.entries(value)) walk(item, [...at, key]);
    } else if (typeof value === 'string' && at.at(-1) === 'image') {
      found.set(at.join('.'), value);
    }
  };
  walk(versions, []);
  return found;
}

/** The repository part of an image reference (no tag, no digest). */
function repositoryOf(ref: string): string {
  const noDigest = ref.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** A problem with one image reference, or undefined when it is pinned (and agrees with versions.yaml). */
export function imageProblem(ref: string, versions: Versions): string | undefined {
  if (DIGEST.test(ref)) {
    for (const [key, pinned] of versionImages(versions)) {
      if (repositoryOf(pinned) === repositoryOf(ref) && pinned !== ref) {
        return `image "${ref}" differs from labs/versions.yaml ${key} ("${pinned}"): use the pinned value`;
      }
    }
    return undefined;
  }
  const noDigest = ref.split('@')[0]!;
  const tag = noDigest.lastIndexOf(':') > noDigest.lastIndexOf('/') ? noDigest.slice(noDigest.lastIndexOf(':') + 1) : undefined;
  if (tag === undefined || tag === 'latest') {
    return `image "${ref}" uses the moving tag "latest"${tag === undefined ? ' (no tag means latest)' : ''}: pin it by digest (name:tag@sha256:…) from labs/versions.yaml images`;
  }
  return `image "${ref}" is not pinned by digest: use name:tag@sha256:… (add it to labs/versions.yaml images and write {{ images.<name>.image }})`;
}

const URL_PATTERN = /https?:\/\/[^\s"'`<>)]+/g;
const VERSION_REF = /^(v?\d+(\.\d+)*([-+][\w.-]+)?|[0-9a-f]{40})$/;

/** Why a URL moves (points at a branch or `latest`), or undefined for a pinned one. */
export function urlProblem(url: string): string | undefined {
  const u = url.replace(/[.,;:]+$/, '');
  const moving = (why: string): string => `URL ${u} ${why}: use a release tag or a commit (from labs/versions.yaml)`;
  if (/\/releases\/latest(\/|$)/.test(u)) return moving('points at the latest release');
  if (/\/refs\/heads\//.test(u)) return moving('points at a branch');
  const raw = /^https?:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/([^/]+)\//.exec(u);
  if (raw && !VERSION_REF.test(raw[1]!)) return moving(`points at the branch "${raw[1]}"`);
  const blob = /^https?:\/\/github\.com\/[^/]+\/[^/]+\/(?:blob|raw|tree)\/([^/]+)\//.exec(u);
  if (blob && !VERSION_REF.test(blob[1]!)) return moving(`points at the branch "${blob[1]}"`);
  const branch = /\/(master|main|HEAD|latest)\//.exec(u);
  if (branch) return moving(`points at "${branch[1]}"`);
  return undefined;
}

/**
 * true for a URL that fetches something from outside (a manifest, a chart, a binary); false for a
 * traffic target inside the lab: cluster DNS names, IP addresses, localhost, single-label names.
 */
export function isDownload(url: string): boolean {
  const host = /^https?:\/\/(\[[^\]]*\]|[^/:?#]+)/.exec(url)?.[1] ?? '';
  if (host.startsWith('[') || /^\d+(\.\d+){3}$/.test(host) || !host.includes('.')) return false;
  return !/(\.svc|\.local|\.internal|\.localhost|\.test|\.example)$/.test(host) && !/\.svc\./.test(host);
}

export function urlsIn(text: string): string[] {
  return [...text.matchAll(URL_PATTERN)].map((m) => m[0]);
}

/** Image references written in a command or script: `--image=X`, `--image X`, `image: X`. */
export function imagesIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/--image[= ]["']?([^\s"';]+)/g)) found.push(m[1]!);
  for (const m of text.matchAll(/^\s*(?:-\s+)?image:\s*["']?([^\s"'#]+)/gm)) found.push(m[1]!);
  return found;
}

/** `go install x@latest`, `:latest` images, `--version latest` and friends. */
export function latestProblem(text: string): string | undefined {
  const m = /(@latest\b|:latest\b|--version[= ]latest\b|\/latest\/)/.exec(text);
  return m ? `"${m[1]}" is a moving version: pin it in labs/versions.yaml and refer to it with {{ path }}` : undefined;
}
