/**
 * `npm run bench` (site part): the figures the site's budgets are about. A benchmark, not a test:
 * it prints numbers and flags the ones over budget; it never fails CI.
 *
 *   build      cold production build time (diagram cache kept: that is the normal case)
 *   weight     JS and CSS each built page loads, gzip, after the idle search UI has loaded
 *   walks      per page with a packet walk: its markup and the walk JS loaded on first use, gzip, worst first
 *   lighthouse accessibility, best practices, SEO, performance and element count of every page, worst first
 *   growth     (--growth) build time for the skeleton plus N synthetic pages / diagrams
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { chromiumArgs, findChromium } from '../src/site/diagrams/browser.ts';
import { scratchSite } from '../tests/support/scratch-site.ts';
import { builtPages } from '../tests/support/built-pages.ts';

const port = 4396;
const origin = `http://127.0.0.1:${port}`;
const budget = { jsKiB: 40, cssKiB: 20, buildSeconds: 20, performance: 95, walkKiB: 20 };
const kib = (bytes: number) => (bytes / 1024).toFixed(1);

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env } });
    child.on('close', (code) => (code === 0 ? resolve(0) : reject(new Error(`${command} ${args.join(' ')} exited ${code}`))));
  });
}

export async function benchBuild(): Promise<number> {
  await rm('dist', { recursive: true, force: true });
  await rm('.astro', { recursive: true, force: true });
  await rm('node_modules/.astro', { recursive: true, force: true });
  const started = performance.now();
  await run(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build']);
  const seconds = (performance.now() - started) / 1000;
  console.log(`build: cold production build of ${builtPages().length} pages in ${seconds.toFixed(1)} s (budget ${budget.buildSeconds} s)${seconds > budget.buildSeconds ? '  OVER BUDGET' : ''}`);
  return seconds;
}

function serve(): ChildProcess {
  return spawn(process.execPath, ['tests/support/static-server.ts', 'dist', String(port)], { stdio: 'ignore' });
}

export async function benchWeight(): Promise<void> {
  const server = serve();
  await new Promise((r) => setTimeout(r, 500));
  const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs });
  try {
    console.log('weight: per page, gzip KiB, after load and idle (includes Starlight and the idle search UI)');
    console.log('  page                                   JS    CSS   scripts of ours');
    for (const path of builtPages()) {
      const page = await browser.newPage();
      const sizes = { js: 0, css: 0 };
      const ours: string[] = [];
      page.on('response', async (response) => {
        const type = response.request().resourceType();
        if (type !== 'script' && type !== 'stylesheet') return;
        const body = await response.body().catch(() => Buffer.alloc(0));
        const gz = gzipSync(body).length;
        if (type === 'script') {
          sizes.js += gz;
          // Our scripts come from our components (src/components, src/server); Starlight's from its own.
          if (/\/_astro\/(Lab|LabStep|lab|terminal|replay)/i.test(response.url())) ours.push(`${response.url().split('/').pop()} ${kib(gz)}`);
        } else sizes.css += gz;
      });
      await page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
      await page.waitForTimeout(1500); // Starlight loads the search UI when the browser is idle
      const over = sizes.js / 1024 > budget.jsKiB || sizes.css / 1024 > budget.cssKiB ? '  OVER BUDGET' : '';
      console.log(`  ${path.padEnd(36)} ${kib(sizes.js).padStart(5)} ${kib(sizes.css).padStart(6)}   ${ours.join(', ') || 'none'}${over}`);
      await page.close();
    }
    console.log(`  budgets: JS <= ${budget.jsKiB} KiB, CSS <= ${budget.cssKiB} KiB on a page without a lab component`);
  } finally {
    await browser.close();
    server.kill();
  }
}

export interface WalkWeight {
  path: string;
  walks: number;
  markupBytes: number;
  /** Our walk scripts: the page's PacketWalk script and what the first "Step through" loads. */
  scripts: { name: string; bytes: number; when: 'load' | 'first use' }[];
  totalBytes: number;
}

/**
 * A packet walk's weight on each page that has one (issue 15: under 20 KiB gzipped): the walks'
 * markup as served (the recorded hops are in it: no walk data is fetched), plus the walk's own
 * scripts: the PacketWalk script the page loads, and every script the first click on "Step
 * through the walk" brings in (the player). Measured in the browser, each gzipped alone; the
 * markup gzipped on its own is a little more than it costs inside the page's gzip stream.
 */
export async function benchWalkWeight(): Promise<WalkWeight[]> {
  const server = serve();
  await new Promise((r) => setTimeout(r, 500));
  const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs });
  const results: WalkWeight[] = [];
  try {
    for (const path of builtPages()) {
      const page = await browser.newPage();
      const scripts: WalkWeight['scripts'] = [];
      /** Every script the page loaded before the click, by file name, with its body (for its imports). */
      const atLoad = new Map<string, Buffer>();
      let phase: 'load' | 'first use' = 'load';
      const pending: Promise<void>[] = [];
      page.on('response', (response) => {
        if (response.request().resourceType() !== 'script') return;
        const when = phase;
        const name = response.url().split('/').pop() ?? response.url();
        pending.push(
          response.body().then(
            (body) => {
              if (when === 'first use') scripts.push({ name, bytes: gzipSync(body).length, when });
              else atLoad.set(name, body);
            },
            () => undefined,
          ),
        );
      });
      await page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
      const figures = await page.$$eval('[data-kwalk]', (els) => els.map((el) => el.outerHTML));
      if (figures.length === 0) {
        await page.close();
        continue;
      }
      await page.waitForTimeout(1500); // let the idle search UI load before the click, so it is not counted as the walk's
      await Promise.all(pending);
      // At load, the walk's own script and what it imports statically (a helper it may share with
      // other components: counted, since the walk needs it); Starlight's and other components' are not the walk's.
      const walkScripts = new Set([...atLoad.keys()].filter((name) => /PacketWalk/.test(name)));
      for (const name of walkScripts) {
        for (const m of (atLoad.get(name)?.toString('utf8') ?? '').matchAll(/(?:from|import)\s*["'`]\.\/([^"'`]+\.js)["'`]/g)) if (atLoad.has(m[1]!)) walkScripts.add(m[1]!);
      }
      for (const name of walkScripts) scripts.push({ name, bytes: gzipSync(atLoad.get(name)!).length, when: 'load' });
      phase = 'first use';
      await page.locator('[data-kwalk-start]').first().click();
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      await Promise.all(pending);
      const markupBytes = gzipSync(Buffer.from(figures.join(''))).length;
      const totalBytes = markupBytes + scripts.reduce((sum, s) => sum + s.bytes, 0);
      results.push({ path, walks: figures.length, markupBytes, scripts, totalBytes });
      await page.close();
    }
  } finally {
    await browser.close();
    server.kill();
  }
  results.sort((a, b) => b.totalBytes - a.totalBytes);
  console.log(`walks: per page with a packet walk, gzip KiB, worst first (budget ${budget.walkKiB} KiB: the walks' markup + the walk JS of the page load and of the first "Step through")`);
  console.log('  page                                   walks  markup   JS   total   scripts');
  for (const r of results) {
    const js = r.scripts.reduce((sum, s) => sum + s.bytes, 0);
    const over = r.totalBytes / 1024 > budget.walkKiB ? '  OVER BUDGET' : '';
    const names = r.scripts.map((s) => `${s.name.replace(/\.[\w-]+\.js$/, '.js')} ${kib(s.bytes)} (${s.when})`).join(', ');
    console.log(`  ${r.path.padEnd(38)} ${String(r.walks).padStart(5)} ${kib(r.markupBytes).padStart(7)} ${kib(js).padStart(5)} ${kib(r.totalBytes).padStart(7)}   ${names || 'none'}${over}`);
  }
  if (results.length === 0) console.log('  no built page has a packet walk');
  return results;
}

interface PageScore {
  path: string;
  scores: Record<'performance' | 'accessibility' | 'best-practices' | 'seo', number>;
  elements: number;
  tbtMs: number;
  lcpMs: number;
  htmlKiB: number;
  failing: string[];
}

/**
 * Lighthouse (its default mobile preset: a mid-range phone, simulated slow 4G and 4x CPU slowdown)
 * on every built page, printed worst performance first with the page's element count, total
 * blocking time, largest contentful paint and HTML size (gzip, as served).
 */
export async function benchLighthouse(paths: string[] = builtPages(), runs = Number(process.env.BENCH_RUNS ?? 3)): Promise<PageScore[]> {
  const { default: lighthouse } = await import('lighthouse');
  const chromeLauncher = await import('chrome-launcher');
  const server = serve();
  await new Promise((r) => setTimeout(r, 500));
  const chrome = await chromeLauncher.launch({ chromePath: findChromium(), chromeFlags: ['--headless=new', ...chromiumArgs] });
  const results: PageScore[] = [];
  let benchmarkIndex = 0;
  try {
    for (const path of paths) {
      // Several runs, the median by performance kept: one run's score moves with whatever else the machine does.
      const lhrs = [];
      for (let i = 0; i < runs; i++) {
        const result = await lighthouse(`${origin}${path}`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['accessibility', 'best-practices', 'seo', 'performance'] });
        lhrs.push(result!.lhr);
      }
      lhrs.sort((a, b) => (a.categories.performance?.score ?? 0) - (b.categories.performance?.score ?? 0));
      const { categories, audits, environment } = lhrs[Math.floor(lhrs.length / 2)]!;
      benchmarkIndex = Math.max(benchmarkIndex, environment.benchmarkIndex);
      const score = (k: string) => Math.round((categories[k]?.score ?? 0) * 100);
      const html = await fetch(`${origin}${path}`, { headers: { 'accept-encoding': 'gzip' } }).then((r) => r.arrayBuffer());
      results.push({
        path,
        scores: { performance: score('performance'), accessibility: score('accessibility'), 'best-practices': score('best-practices'), seo: score('seo') },
        elements: audits['dom-size']?.numericValue ?? 0,
        tbtMs: audits['total-blocking-time']?.numericValue ?? 0,
        lcpMs: audits['largest-contentful-paint']?.numericValue ?? 0,
        htmlKiB: gzipSync(Buffer.from(html)).length / 1024,
        failing: Object.values(audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary').map((a) => a.id),
      });
    }
  } finally {
    await chrome.kill();
    server.kill();
  }
  results.sort((a, b) => a.scores.performance - b.scores.performance || b.elements - a.elements);
  // Lighthouse scales the main-thread time it observes: on a loaded machine every page scores lower.
  console.log(`lighthouse (mobile preset), every built page, median of ${runs} run(s) (BENCH_RUNS), worst first. Budgets: performance >= ${budget.performance}, the others 100`);
  console.log(`  machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (1/5/15 min); Lighthouse CPU benchmark index ${benchmarkIndex.toFixed(0)}`);
  console.log('  page                                 perf  a11y  bp  seo  elements  TBT ms  LCP ms  HTML KiB gz');
  for (const r of results) {
    const over = r.scores.performance < budget.performance || r.scores.accessibility < 100 || r.scores['best-practices'] < 100 || r.scores.seo < 100;
    console.log(
      `  ${r.path.padEnd(36)} ${String(r.scores.performance).padStart(4)} ${String(r.scores.accessibility).padStart(5)} ${String(r.scores['best-practices']).padStart(3)} ${String(r.scores.seo).padStart(4)}` +
        ` ${String(r.elements).padStart(9)} ${r.tbtMs.toFixed(0).padStart(7)} ${r.lcpMs.toFixed(0).padStart(7)} ${r.htmlKiB.toFixed(1).padStart(11)}` +
        `${over ? '  OVER BUDGET' : ''}${r.failing.length ? `   failing audits: ${r.failing.join(', ')}` : ''}`,
    );
  }
  return results;
}

export async function benchGrowth(): Promise<void> {
  const page = (i: number, diagram: boolean) =>
    `---\ntitle: Page ${i}\ndescription: Synthetic page ${i}.\n---\n\n${'Some prose about veth pairs and bridges. '.repeat(200)}\n\n` +
    (diagram ? `\`\`\`mermaid\nflowchart LR\n  accTitle: Diagram ${i}\n  accDescr: Synthetic diagram ${i}.\n  A${i} --> B${i}\n\`\`\`\n` : '');
  console.log('growth: scratch builds (first diagram renders are uncached, then cached)');
  for (const [pages, diagrams] of [[0, false], [40, false], [40, true]] as const) {
    const files = Object.fromEntries(Array.from({ length: pages }, (_, i) => [`network-model/p${i}.mdx`, page(i, diagrams)]));
    const site = await scratchSite(files);
    try {
      let started = performance.now();
      await site.build();
      const first = (performance.now() - started) / 1000;
      started = performance.now();
      await site.build();
      const second = (performance.now() - started) / 1000;
      console.log(`  +${String(pages).padStart(2)} pages${diagrams ? ' with a diagram each' : ''}: ${first.toFixed(1)} s, rebuild ${second.toFixed(1)} s`);
    } finally {
      await site.remove();
    }
  }
}
