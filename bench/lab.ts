/**
 * Lab engine budgets: the sandbox lab's up + all steps + down (target < 5 s) and the engine's
 * overhead per step (target < 20 ms): a step's wall time minus the time its command ran.
 * Run: npx node bench/lab.ts [rounds]
 */
import { performance } from 'node:perf_hooks';
import { loadLab, run, up, down, runStep } from '../src/lab/index.ts';

const rounds = Number(process.argv[2] ?? 3);
const lab = await loadLab('pod-network-by-hand');

const totals: number[] = [];
const overheads: number[] = [];
for (let i = 0; i < rounds; i++) {
  const started = performance.now();
  const summary = await run(lab);
  totals.push(performance.now() - started);
  if (!summary.ok) throw new Error(`the lab failed: ${JSON.stringify(summary.steps.filter((s) => s.passed === false))}`);
  for (const step of summary.steps) if (step.attempts === 1) overheads.push(step.durationMs - step.commandMs);
}

// A standalone runStep also takes the lock and checks the backend's status.
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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const max = (values: number[]) => Math.max(...values);
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
console.log(`sandbox lab pod-network-by-hand, ${rounds} rounds of up + ${lab.steps.length} steps + down:`);
console.log(`  total: median ${fmt(median(totals))}, max ${fmt(max(totals))} (budget 5000 ms)`);
console.log(`  engine overhead per step inside run: median ${fmt(median(overheads))}, max ${fmt(max(overheads))} (budget 20 ms)`);
console.log(`  engine overhead of a standalone runStep (lock + status + events): median ${fmt(median(single))}, max ${fmt(max(single))}`);
const ok = max(totals) < 5000 && median(overheads) < 20 && median(single) < 20;
console.log(ok ? 'within budget' : 'OVER BUDGET');
process.exitCode = ok ? 0 : 1;
