/** The first `major.minor.patch` in a tool's version output, e.g. `kind v0.32.0 go1.24 linux/amd64`. */
export function findVersion(text: string): string | undefined {
  const m = /v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? `${m[1]}.${m[2]}.${m[3] ?? '0'}` : undefined;
}

/** Compares two `x.y.z` versions (a leading `v` is ignored): negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string): number[] => v.replace(/^v/, '').split(/[.+-]/).slice(0, 3).map((n) => Number.parseInt(n, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
