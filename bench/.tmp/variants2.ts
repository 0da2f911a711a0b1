import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { parse, serialize } from 'parse5';
const src = readFileSync('dist/services/data-planes/index.html', 'utf8');
const has = (n: any, c: string) => (n.attrs?.find((a: any) => a.name === 'class')?.value ?? '').split(' ').includes(c);
const variants: Record<string, (n: any) => any> = {
  nocopy: (n) => (has(n, 'copy') ? null : n),
  nohead: (n) => (has(n, 'header') && n.tagName === 'figcaption' ? null : n),
  nostyle: (n) => { if (n.tagName === 'span' && n.attrs?.some((a: any) => a.name === 'style' && a.value.startsWith('--0'))) n.attrs = n.attrs.filter((a: any) => a.name !== 'style'); return n; },
  notabindex: (n) => { if (n.tagName === 'pre') n.attrs = n.attrs.filter((a: any) => a.name !== 'tabindex'); return n; },
  noreplayscript: (n) => (n.tagName === 'script' && n.attrs?.some((a: any) => a.name === 'src' && a.value.includes('Replay')) ? null : n),
};
for (const [name, f] of Object.entries(variants)) {
  const doc = parse(src) as any;
  const walk = (node: any) => {
    if (!node.childNodes) return;
    node.childNodes = node.childNodes.map(f).filter(Boolean);
    node.childNodes.forEach(walk);
  };
  walk(doc);
  mkdirSync(`dist/exp/${name}`, { recursive: true });
  writeFileSync(`dist/exp/${name}/index.html`, serialize(doc));
}
