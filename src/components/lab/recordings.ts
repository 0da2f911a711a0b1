/**
 * Recorded runs: asciicast v2 files committed as `labs/<lab>/recordings/<step>.cast`, one per
 * step, cut from a real `npm run lab -- run <lab> --record` (see src/server/recordings/). Vite
 * copies each to the build output and gives its URL.
 */
const urls = import.meta.glob('/labs/*/recordings/*.cast', { query: '?url&no-inline', import: 'default', eager: true }) as Record<string, string>;

/** The URL of a step's recording, if one was committed. */
export function recordingUrl(lab: string, step: string): string | undefined {
  return urls[`/labs/${lab}/recordings/${step}.cast`];
}
