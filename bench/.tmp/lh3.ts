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
    const ev = (r!.artifacts as any).Trace.traceEvents as any[];
    const sums: Record<string, [number, number]> = {};
    for (const e of ev) if (e.ph === 'X' && e.dur && ['UpdateLayoutTree','Layout','Paint','ParseAuthorStyleSheet','RecalculateStyles','PrePaint','Layerize','HitTest','ScheduleStyleRecalculation','InvalidateLayout','UpdateLayer','IntersectionObserverController::computeIntersections','FunctionCall','EvaluateScript','ParseHTML','v8.compile'].includes(e.name)) { const s = (sums[e.name] ??= [0, 0]); s[0] += e.dur / 1000; s[1]++; }
    console.log(p, 'perf', Math.round(r!.lhr.categories.performance.score! * 100), 'TBT', Math.round(a['total-blocking-time'].numericValue));
    for (const [k, [d, n]] of Object.entries(sums).sort((x, y) => y[1][0] - x[1][0])) console.log('   ', k, Math.round(d), 'ms', n, 'x');
    const big = ev.filter((e) => e.ph === 'X' && (e.name === 'UpdateLayoutTree' || e.name === 'Layout') && e.dur > 20000).map((e) => `${e.name} ${Math.round(e.dur/1000)}ms ${JSON.stringify(e.args?.beginData ?? e.args?.elementCount ?? '').slice(0,120)}`);
    for (const b of big.slice(0, 12)) console.log('      ', b);
  }
} finally { await chrome.kill(); server.kill(); }
