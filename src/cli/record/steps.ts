/**
 * Records a real run of a sandbox lab, one asciicast v2 file per step, into
 * labs/<id>/recordings/<step>.cast (LabStep plays a step's file where no lab server is running),
 * and each of its packet walks into labs/<id>/walks/<walk>.json (PacketWalk steps through it).
 *   npm run lab:record -- pod-network-by-hand
 *   npm run lab:record -- services-by-hand --walks    (only the walks)
 * Steps run in order on one lab environment, as `npm run lab -- run` does. An exercise is recorded
 * as its check failing, then (after its solution is applied off the record: pages never show
 * solutions) the same check passing.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { applySolution, down, labStateDir, loadLab, runStep, up, type LabEvent } from '../../lab/index.ts';
import { attemptWalk } from '../../lab/trace/lab-walk.ts';
import { recordedWalk } from '../../lab/trace/recorded.ts';
import { AsciicastRecorder } from './asciicast.ts';

const id = process.argv[2];
if (!id) {
  console.error('usage: npm run lab:record -- <lab-id>');
  process.exit(2);
}
const lab = await loadLab(id);
if (lab.backend !== 'sandbox') {
  console.error(`${id} is a ${lab.backend} lab: record it on a machine that can run it`);
  process.exit(2);
}
const walksOnly = process.argv.includes('--walks');
const dir = path.join(lab.dir, 'recordings');
const walksDir = path.join(lab.dir, 'walks');
if (!walksOnly) {
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(dir)) if (file.endsWith('.cast')) rmSync(path.join(dir, file));
}

const signal = new AbortController().signal;
await up(lab, { signal });
let failed = 0;
try {
  for (const step of lab.steps) {
    if (walksOnly) {
      if (step.type === 'exercise') await applySolution(lab, step.id, { signal });
      continue;
    }
    // A failing check prints its daemons' logs, under this machine's state folder: committed
    // recordings name that folder and the lab's own the way a reader would.
    const scrub = [[labStateDir(lab), `$XDG_RUNTIME_DIR/k8s-net-labs/…/${lab.id}`], [lab.dir, `labs/${lab.id}`]] as const;
    const recorder = new AsciicastRecorder({ title: `${lab.title}: ${step.title}`, width: 100, height: 16, scrub });
    const note = (data: string) => recorder.listener({ type: 'output', lab: lab.id, step: step.id, stream: 'stdout', data } satisfies LabEvent);
    let result = await runStep(lab, step.id, { onEvent: recorder.listener, signal });
    if (step.type === 'exercise') {
      const fix = await applySolution(lab, step.id, { signal });
      if (fix.status !== 'done' && fix.status !== 'passed') throw new Error(`${step.id}: the solution failed: ${fix.reason ?? fix.status}`);
      note('\n\x1b[2m# ... after solving the exercise, the same check:\x1b[0m\n');
      result = await runStep(lab, step.id, { onEvent: recorder.listener, signal });
    }
    if (result.status === 'failed' || result.status === 'error' || result.status === 'timed-out') failed++;
    recorder.save(path.join(dir, `${step.id}.cast`));
    console.log(`${result.status.padEnd(8)} ${step.id}`);
  }
  if (lab.walks.length > 0) {
    mkdirSync(walksDir, { recursive: true });
    for (const file of readdirSync(walksDir)) if (file.endsWith('.json')) rmSync(path.join(walksDir, file));
  }
  for (const walk of lab.walks) {
    const result = await attemptWalk(lab, walk, { signal });
    if (!result.passed || !result.walk || !result.topology) failed++;
    else writeFileSync(path.join(walksDir, `${walk.id}.json`), `${JSON.stringify(recordedWalk(walk, result.walk, result.topology))}\n`);
    console.log(`${result.passed ? 'passed  ' : 'failed  '} walk ${walk.id}${result.reason ? `: ${result.reason}` : ''}`);
  }
} finally {
  await down(lab, { signal });
}
console.log(`recordings written to ${path.relative(process.cwd(), walksOnly ? walksDir : dir)}/`);
if (failed > 0) {
  console.error(`${failed} step(s) did not pass: fix the lab before committing these recordings`);
  process.exit(1);
}
