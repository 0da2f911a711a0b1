/**
 * Lab engine budgets (a benchmark, not a test: it prints figures and flags the ones over budget):
 * - every sandbox lab on disk, up + every step + down (`run`): budget 3 s, 8 s for a lab whose
 *   daemons must converge first (`converges: true`: BGP speakers; not a DNS server or a proxy,
 *   which serve as soon as they start);
 * - the engine's overhead per step (budget 20 ms): a step's wall time minus its command's;
 * - live packet walks: arming a lab for tracing, then for each walk the time from the probe to the
 *   first hop (budget 300 ms) and to the whole walk (budget 2 s), as the lab server runs them.
 * Run: npx node bench/lab.ts [rounds]
 */
import { performance } from 'node:perf_hooks';
import { loadAllLabs, loadLab, run, up, down, runStep } from '../src/lab/index.ts';
import { TraceSession } from '../src/lab/trace/session.ts';
import { walkProto } from '../src/lab/trace/lab-walk.ts';

const rounds = Number(process.argv[2] ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const max = (values: number[]) => Math.max(...values);
const fmt = (ms: number) => `${Math.round(ms)} ms`;
let over = false;

console.log(`sandbox labs, up + every step + down (median of ${rounds}):`);
const labs = (await loadAllLabs()).filter((lab) => lab.backend === 'sandbox');
for (const lab of labs) {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    const summary = await run(lab);
    times.push(performance.now() - started);
    if (!summary.ok) throw new Error(`${lab.id} failed: ${summary.error ?? JSON.stringify(summary.steps.filter((s) => s.passed === false).map((s) => s.id))}`);
  }
  const converges = lab.daemons.some((d) => d.converges);
  const budget = converges ? 8000 : 3000;
  const late = median(times) > budget;
  over ||= late;
  console.log(`  ${lab.id.padEnd(22)} ${fmt(median(times)).padStart(8)}  (max ${fmt(max(times))}, budget ${budget} ms${converges ? ', daemons converge' : ''})${late ? '  OVER BUDGET' : ''}`);
}

const lab = await loadLab('pod-network-by-hand');
const overheads: number[] = [];
for (let i = 0; i < rounds; i++) {
  const summary = await run(lab);
  for (const step of summary.steps) if (step.attempts === 1) overheads.push(step.durationMs - step.commandMs);
}
await up(lab);
const single: number[] = [];
try {
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    const step = await runStep(lab, 'pod-default-route');
    single.push(performance.now() - started - step.commandMs);
  }
} finally {
  await down(lab);
}
console.log(`engine overhead per step inside run: median ${fmt(median(overheads))}, max ${fmt(max(overheads))} (budget 20 ms)`);
console.log(`engine overhead of a standalone runStep (lock + status + events): median ${fmt(median(single))}, max ${fmt(max(single))}`);
over ||= median(overheads) > 20;

console.log('live packet walks (what the lab server does): arm once, then each walk:');
for (const withWalks of labs.filter((l) => l.walks.length > 0)) {
  await run(withWalks, { keep: true });
  try {
    const armStarted = performance.now();
    const session = await TraceSession.open(withWalks);
    const armMs = performance.now() - armStarted;
    try {
      for (const walk of withWalks.walks) {
        const first: number[] = [];
        const done: number[] = [];
        for (let i = 0; i < rounds; i++) {
          const { walk: result } = await session.walk({ from: walk.from, to: walk.to, proto: walkProto(walk) });
          if (result.timing?.firstHopMs !== undefined) first.push(result.timing.firstHopMs);
          done.push(result.timing?.doneMs ?? NaN);
        }
        const late = median(first) > 300 || median(done) > 2000;
        over ||= late;
        console.log(`  ${`${withWalks.id} ${walk.id}`.padEnd(44)} first hop ${fmt(median(first)).padStart(7)}, done ${fmt(median(done)).padStart(7)}  (arming the lab: ${fmt(armMs)})${late ? '  OVER BUDGET' : ''}`);
      }
    } finally {
      await session.close();
    }
  } finally {
    await down(withWalks);
  }
}
console.log(over ? 'some figures are OVER BUDGET' : 'within budget');
