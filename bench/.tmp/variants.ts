import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { parse, serialize } from 'parse5';
const src = readFileSync('dist/services/data-planes/index.html', 'utf8');
const variants: Record<string, (cls: string, tag: string) => boolean> = {
  nodiag: (c) => c.split(' ').includes('diagram'),
  nowalk: (c) => c.split(' ').includes('kwalk'),
  nostep: (c) => c.split(' ').includes('klab-step'),
  nolab: (c) => c.split(' ').includes('klab-step') || c.split(' ').includes('klab-lab'),
  noec: (c) => c.split(' ').includes('expressive-code'),
  nosidebar: (c) => c.split(' ').includes('top-level'),
};
for (const [name, drop] of Object.entries(variants)) {
  const doc = parse(src) as any;
  let n = 0;
  const walk = (node: any) => {
    if (!node.childNodes) return;
    node.childNodes = node.childNodes.filter((ch: any) => {
      const cls = ch.attrs?.find((a: any) => a.name === 'class')?.value ?? '';
      if (drop(cls, ch.tagName)) { n++; return false; }
      return true;
    });
    node.childNodes.forEach(walk);
    if (node.content) walk(node.content);
  };
  walk(doc);
  mkdirSync(`dist/exp/${name}`, { recursive: true });
  writeFileSync(`dist/exp/${name}/index.html`, serialize(doc));
  console.log(name, 'removed', n);
}
