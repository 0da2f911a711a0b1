/**
 * `npm run diagrams:prune`: removes cached diagram renderings that no chapter uses any more
 * (left behind when a diagram is edited). Prints what it removed.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { diagramSources } from './sources.ts';

const contentDir = process.argv[2] ?? 'content';
const cacheDir = join(contentDir, '_diagrams');
const used = new Set((await diagramSources(contentDir)).map((d) => d.key));
const files = await readdir(cacheDir).catch(() => [] as string[]);
// Anything but a `<key>.svg` in use goes, older formats (`<key>.<theme>.svg`) included.
const unused = files.filter((f) => !(f.endsWith('.svg') && f.split('.').length === 2 && used.has(f.split('.')[0]!)));
await Promise.all(unused.map((f) => rm(join(cacheDir, f))));
for (const f of unused) console.log(`removed ${join(cacheDir, f)}`);
console.log(`${used.size} diagram(s) in use, ${unused.length} unused file(s) removed`);
