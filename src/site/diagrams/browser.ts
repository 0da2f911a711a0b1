import { existsSync } from 'node:fs';

/** Where to look for a Chromium when `CHROMIUM_PATH` is not set: Debian/Ubuntu, Fedora, macOS. */
const knownChromiums = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/**
 * Flags for a headless Chromium on a machine with no network but loopback: without the
 * background-networking ones it keeps trying to reach update and sync servers.
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The Chromium to use: `CHROMIUM_PATH` if set (it must exist), else the first known system one.
 * Undefined means none was found; the caller may still let Playwright try its own browser.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env, exists = existsSync): string | undefined {
  const chosen = env.CHROMIUM_PATH;
  if (chosen) {
    if (!exists(chosen)) throw new Error(`CHROMIUM_PATH is set to ${chosen}, which does not exist. Point it at a Chromium or Chrome executable, or unset it.`);
    return chosen;
  }
  return knownChromiums.find((path) => exists(path));
}
