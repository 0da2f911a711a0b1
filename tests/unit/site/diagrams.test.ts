import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Root } from 'mdast';
import { VFile } from 'vfile';
import { findChromium } from '../../../src/site/diagrams/browser.ts';
import { DiagramCache } from '../../../src/site/diagrams/cache.ts';
import { diagramKey } from '../../../src/site/diagrams/key.ts';
import { lintDiagram, remarkDiagrams } from '../../../src/site/diagrams/remark-diagrams.ts';
import { renderDiagrams } from '../../../src/site/diagrams/render.ts';

const good = 'flowchart LR\n  accTitle: Two boxes\n  accDescr: A points at B.\n  A --> B';

function tree(source: string): Root {
  return { type: 'root', children: [{ type: 'code', lang: 'mermaid', value: source, position: { start: { line: 7, column: 1 }, end: { line: 11, column: 1 } } }] };
}

function page(root: string) {
  return new VFile({ path: join(root, 'content/page.mdx') });
}

describe('diagram key', () => {
  it('changes with the source and the Mermaid version, not with surrounding whitespace', () => {
    assert.equal(diagramKey(good, '11.0.0'), diagramKey(`\n${good}\n\n`, '11.0.0'));
    assert.notEqual(diagramKey(good, '11.0.0'), diagramKey(`${good}\n  B --> C`, '11.0.0'));
    assert.notEqual(diagramKey(good, '11.0.0'), diagramKey(good, '11.1.0'));
  });
});

describe('lintDiagram', () => {
  it('accepts a diagram with an accessible title and description', () => {
    assert.deepEqual(lintDiagram(good), []);
  });
  it('names both missing accessibility lines', () => {
    const problems = lintDiagram('flowchart LR\n  A --> B');
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /accTitle/);
    assert.match(problems[1]!, /accDescr/);
  });
});

describe('findChromium', () => {
  it('prefers CHROMIUM_PATH and refuses one that does not exist', () => {
    assert.equal(findChromium({ CHROMIUM_PATH: '/opt/c' }, (p) => p === '/opt/c'), '/opt/c');
    assert.throws(() => findChromium({ CHROMIUM_PATH: '/nope' }, () => false), /CHROMIUM_PATH is set to \/nope, which does not exist/);
  });
  it('returns undefined when no known browser exists', () => {
    assert.equal(findChromium({}, () => false), undefined);
  });
});

describe('remarkDiagrams', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'diagrams-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('uses the cache without a browser (cache hit)', async () => {
    const cacheDir = join(root, 'hit');
    await new DiagramCache(cacheDir).set(diagramKey(good), '<svg id="cached"><text>cached</text></svg>');
    const t = tree(good);
    // A browser path that does not exist proves no browser was needed.
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      await remarkDiagrams({ cacheDir, root })(t, page(root));
    } finally {
      delete process.env.CHROMIUM_PATH;
    }
    const node = t.children[0] as unknown as { type: string; data: { hName: string; hChildren: { tagName: string; properties: { id: string } }[] } };
    assert.equal(node.type, 'diagram');
    assert.equal(node.data.hName, 'figure');
    assert.deepEqual(node.data.hChildren.map((c) => [c.tagName, c.properties.id]), [['svg', 'cached']]);
  });

  it('gives a diagram used twice on one page its own ids the second time', async () => {
    const cacheDir = join(root, 'twice');
    const id = `diagram-${diagramKey(good)}`;
    await new DiagramCache(cacheDir).set(diagramKey(good), `<svg id="${id}" aria-labelledby="t-${id}"><title id="t-${id}">x</title><style>#${id} .a{fill:red}</style></svg>`);
    const t: Root = { type: 'root', children: [...tree(good).children, ...tree(good).children] };
    await remarkDiagrams({ cacheDir, root })(t, page(root));
    const ids = t.children.map((n) => (n as unknown as { data: { hChildren: { properties: Record<string, unknown> }[] } }).data.hChildren[0]!.properties);
    assert.equal(ids[0]!.id, id);
    assert.equal(ids[1]!.id, `${id}-2`);
    assert.deepEqual(ids[1]!.ariaLabelledBy, [`t-${id}-2`]);
  });

  it('fails with the file, line and the fix when a diagram is missing and no browser exists', async () => {
    const cacheDir = join(root, 'nobrowser');
    process.env.CHROMIUM_PATH = '/bin/false';
    try {
      await assert.rejects(remarkDiagrams({ cacheDir, root })(tree(`${good}\n  B --> C`), page(root)), (error: Error) => {
        assert.match(error.message, /content\/page\.mdx:7/);
        assert.match(error.message, /no browser could be started/);
        assert.match(error.message, /apt-get install chromium/);
        return true;
      });
    } finally {
      delete process.env.CHROMIUM_PATH;
    }
    assert.deepEqual(await readdir(cacheDir).catch(() => []), []);
  });

  it('refuses a diagram without an accessible title, naming file and line', async () => {
    await assert.rejects(remarkDiagrams({ cacheDir: join(root, 'lint'), root })(tree('flowchart LR\n A --> B'), page(root)), /content\/page\.mdx:7: diagram: it has no accessible title/);
  });

  it('renders a missing diagram once for both themes and caches it (cache miss)', async () => {
    const cacheDir = join(root, 'miss');
    const source = `${good}\n  B --> C${Date.now()}`;
    await remarkDiagrams({ cacheDir, root })(tree(source), page(root));
    const cached = await new DiagramCache(cacheDir).get(diagramKey(source));
    assert.ok(cached);
    const id = `diagram-${diagramKey(source)}`;
    assert.match(cached, new RegExp(`<svg[^>]+id="${id}"`));
    assert.equal(cached.match(/<svg\b/g)?.length, 1);
    assert.match(cached, /<title[^>]*>Two boxes<\/title>/);
    // The dark theme's colours, switched by Starlight's data-theme.
    assert.match(cached, new RegExp(`\\[data-theme='dark'\\] #${id}\\{--dg0:`));
    assert.match(cached, /fill:var\(--dg\d+\)/);
  });

  it('reports a diagram Mermaid cannot parse, with file and line', async () => {
    await assert.rejects(
      remarkDiagrams({ cacheDir: join(root, 'bad'), root })(tree('flowchart LR\n  accTitle: x\n  accDescr: y\n  A -->> ((B'), page(root)),
      /content\/page\.mdx:7: Mermaid could not parse this diagram/,
    );
  });

  it('renders diagrams from concurrent pages in one batch, each with its own ids and its own text', async () => {
    const sources = ['First', 'Second', 'Third'].map((name) => `flowchart LR\n  accTitle: ${name} diagram\n  accDescr: d\n  A${name} --> B${name}`);
    const keys = sources.map((source) => diagramKey(source));
    // Three callers, as three pages being built at once would be.
    const results = await Promise.all(sources.map((source, i) => renderDiagrams([{ key: keys[i]!, source }])));
    results.forEach(([outcome], i) => {
      assert.ok(outcome?.ok);
      assert.match(outcome.svg, new RegExp(`<svg[^>]+id="diagram-${keys[i]}"`));
      assert.doesNotMatch(outcome.svg, /guide-batch/);
      assert.match(outcome.svg, new RegExp(`<title[^>]*>${['First', 'Second', 'Third'][i]} diagram</title>`));
    });
  });

  it('draws a sequence diagram with ids of its own and no attribute SVG does not allow', async () => {
    const source = 'sequenceDiagram\n  accTitle: Seq\n  accDescr: d\n  participant A\n  participant B\n  A->>B: hello';
    const key = diagramKey(source);
    const [outcome] = await renderDiagrams([{ key, source }]);
    assert.ok(outcome?.ok, outcome && !outcome.ok ? outcome.error : '');
    const ids = [...outcome.svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(ids.length > 3);
    assert.deepEqual(ids.filter((id) => !id.includes(`diagram-${key}`)), []);
    assert.doesNotMatch(outcome.svg, /\s(name|datatype|data-type)="/);
  });
});
