import { spawn } from 'node:child_process';
import { chromiumArgs, findChromium } from '/work/main/src/site/diagrams/browser.ts';
const { default: lighthouse } = await import('lighthouse');
const chromeLauncher = await import('chrome-launcher');
const server = spawn(process.execPath, ['tests/support/static-server.ts', 'dist', '4396'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 800));
const chrome = await chromeLauncher.launch({ chromePath: findChromium(), chromeFlags: ['--headless=new', ...chromiumArgs] });
try {
  for (const p of process.argv.slice(2)) {
    const r = await lighthouse(`http://127.0.0.1:4396${p}`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
    const a = r!.lhr.audits;
    console.log(p, 'perf', Math.round(r!.lhr.categories.performance.score! * 100), 'TBT', a['total-blocking-time'].numericValue, 'LCP', a['largest-contentful-paint'].numericValue, 'FCP', a['first-contentful-paint'].numericValue, 'SI', a['speed-index'].numericValue, 'CLS', a['cumulative-layout-shift'].numericValue);
    for (const it of (a['mainthread-work-breakdown'].details as any).items) console.log('   ', it.groupLabel ?? it.group, Math.round(it.duration));
    for (const it of ((a['bootup-time'].details as any)?.items ?? []).slice(0, 5)) console.log('   script', it.url.slice(-60), Math.round(it.total), Math.round(it.scripting));
    for (const it of ((a['long-tasks']?.details as any)?.items ?? []).slice(0, 6)) console.log('   long task', it.url?.slice(-50), Math.round(it.startTime), Math.round(it.duration));
  }
} finally { await chrome.kill(); server.kill(); }
