/**
 * `npm run bench`: prints the project's figures. Parts: site (build, weight, lighthouse), and
 * lab benchmarks when present. `npm run bench -- --growth` adds build-growth measurements;
 * `npm run bench -- --walks-only` prints only the packet walks' page weight, from the current dist/.
 */
import { existsSync } from 'node:fs';
import { benchBuild, benchGrowth, benchLighthouse, benchWalkWeight, benchWeight } from './site.ts';

const args = process.argv.slice(2);
if (args.includes('--walks-only')) {
  await benchWalkWeight();
  process.exit(0);
}
await benchBuild();
await benchWeight();
await benchWalkWeight();
await benchLighthouse();
if (args.includes('--growth')) await benchGrowth();
for (const extra of ['bench/lab.ts', 'bench/lab-page.ts']) {
  if (existsSync(extra)) {
    console.log(`\n${extra}:`);
    await import(`../${extra}`);
  }
}
