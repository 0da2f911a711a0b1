/**
 * Lab page budgets: our JS on a lab page before first use (live client, replay button script),
 * and click-to-first-output of a sandbox step, cold (terminal not yet loaded) and warm.
 *   npx node bench/lab-page.ts        (builds nothing: serves $LAB_DIST, else tests/.scratch/lab-dist or dist)
 * Budgets (issue 4): < 10 KiB gz of our JS before first use; first output < 300 ms.
 */
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startLabServer } from '../src/server/server.ts';
import { createEngine } from '../src/server/engine.ts';
import { chromiumArgs, findChromium } from '../src/site/diagrams/browser.ts';

const distDir = process.env.LAB_DIST ?? (existsSync('tests/.scratch/lab-dist/index.html') ? 'tests/.scratch/lab-dist' : 'dist');
const engine = createEngine();
const server = await startLabServer({ distDir, port: 0, engine });
const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs });
const LAB = 'pod-network-by-hand';
const STEP = 'pod-default-route';
try {
  const page = await browser.newPage();
  // Timestamps of output messages as the page receives them (the terminal draws on the next frame).
  await page.addInitScript(() => {
    const times: number[] = ((window as unknown as { __out: number[] }).__out = []);
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener('message', (e) => {
          if (String(e.data).includes('"type":"output"')) times.push(performance.now());
        });
      }
    };
  });
  const ours: { url: string; gz: number }[] = [];
  page.on('response', async (res) => {
    const url = new URL(res.url());
    if (!/\.js$/.test(url.pathname) || !(url.pathname.startsWith('/_lab/') || /\/_astro\/(Replay|replay)/.test(url.pathname))) return;
    const body = await res.body().catch(() => Buffer.alloc(0));
    ours.push({ url: url.pathname, gz: gzipSync(body).length });
  });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${server.url}network-model/pod-to-pod/`, { waitUntil: 'networkidle' });
  const before = ours.splice(0);
  const beforeGz = before.reduce((n, r) => n + r.gz, 0);

  const card = page.locator(`[data-klab="lab"][data-klab-lab="${LAB}"]`).first();
  await card.getByRole('button', { name: 'Start lab' }).click();
  await card.locator('[data-klab-status]').filter({ hasText: 'Start finished' }).waitFor({ timeout: 30_000 });

  const step = page.locator(`[data-klab="step"][data-klab-step="${STEP}"]`);
  /**
   * Click to the first output message, to the output on screen (the plain-text view the page draws
   * at once, or the terminal), and to the output drawn in the terminal (xterm, in a shadow root).
   */
  const clickToOutput = async (hoverFirst: boolean) => {
    if (hoverFirst) {
      await step.locator('button[data-action="run"]').hover();
      await page.waitForTimeout(150); // a pointer's usual travel-and-press time
    }
    const t = await page.evaluate(async (sel) => {
      const w = window as unknown as { __out: number[] };
      w.__out.length = 0;
      const section = document.querySelector(sel)!;
      const button = section.querySelector<HTMLButtonElement>('button[data-action="run"]')!;
      const terminalText = () => (section.querySelector('.klab-term__host')?.shadowRoot ?? section).querySelector('.xterm-rows')?.textContent ?? '';
      const start = performance.now();
      button.click();
      return new Promise<{ message: number; shown: number; drawn: number }>((resolve) => {
        let shown = 0;
        const poll = () => {
          const now = performance.now() - start;
          const inTerminal = terminalText().includes('default via');
          if (!shown && (inTerminal || (section.querySelector('.klab-term__plain')?.textContent ?? '').includes('default via'))) shown = now;
          if (w.__out.length > 0 && inTerminal) resolve({ message: w.__out[0]! - start, shown, drawn: now });
          else requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      });
    }, `[data-klab="step"][data-klab-step="${STEP}"]`);
    await step.locator('.klab-mark--step').filter({ hasText: 'passed' }).waitFor();
    return t;
  };
  const cold = await clickToOutput(false);
  const termGz = ours.splice(0).reduce((n, r) => n + r.gz, 0);
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) warm.push((await clickToOutput(false)).shown);
  warm.sort((a, b) => a - b);
  // A fresh page again, the pointer resting on Run before the click (as a reader's would).
  await page.reload({ waitUntil: 'networkidle' });
  const hovered = await clickToOutput(true);

  await card.getByRole('button', { name: 'Tear down' }).click();
  await card.locator('[data-klab-status]').filter({ hasText: 'Teardown finished' }).waitFor({ timeout: 30_000 });

  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`lab page (${distDir}, /network-model/pod-to-pod/)`);
  console.log(`  our JS before first use: ${kib(beforeGz)} gz (${before.map((r) => `${r.url} ${kib(r.gz)}`).join(', ') || 'none'})  budget 10 KiB`);
  console.log(`  terminal JS loaded on first Run: ${kib(termGz)} gz`);
  const fmt = (r: { message: number; shown: number; drawn: number }) => `message ${r.message.toFixed(0)} ms, on screen ${r.shown.toFixed(0)} ms, in the terminal ${r.drawn.toFixed(0)} ms`;
  console.log(`  click to first output, cold (terminal loads on click): ${fmt(cold)}  budget 300 ms (on screen)`);
  console.log(`  click to first output, cold, second page load, hover then click: ${fmt(hovered)}`);
  console.log(`  click to first output on screen, warm: median ${warm[2]!.toFixed(0)} ms, max ${warm[4]!.toFixed(0)} ms (5 runs)`);
} finally {
  await browser.close();
  await server.close();
}
