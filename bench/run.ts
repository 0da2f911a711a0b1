/**
 * `npm run bench`: prints the project's figures. Parts: site (build, weight, lighthouse), and
 * lab benchmarks when present. `npm run bench -- --growth` adds build-growth measurements.
 */
import { existsSync } from 'node:fs';
import { benchBuild, benchGrowth, benchLighthouse, benchWeight } from './site.ts';

const args = process.argv.slice(2);
await benchBuild();
await benchWeight();
await benchLighthouse();
if (args.includes('--growth')) await benchGrowth();
for (const extra of ['bench/lab.ts', 'bench/lab-page.ts']) {
  if (existsSync(extra)) {
    console.log(`\n${extra}:`);
    await import(`../${extra}`);
  }
}
