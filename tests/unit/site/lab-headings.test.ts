import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Root } from 'mdast';
import { headingTag, remarkLabHeadings } from '../../../src/site/lab-headings.ts';

const jsx = (name: string, attrs: Record<string, string> = {}) => ({
  type: 'mdxJsxFlowElement',
  name,
  attributes: Object.entries(attrs).map(([n, value]) => ({ type: 'mdxJsxAttribute', name: n, value })),
  children: [],
});
const heading = (depth: number) => ({ type: 'heading', depth, children: [] });
const levels = (tree: Root) =>
  (tree.children as unknown as ReturnType<typeof jsx>[]).filter((n) => n.type === 'mdxJsxFlowElement').map((n) => `${n.name}:${n.attributes.find((a) => a.name === 'headingLevel')?.value}`);

describe('remarkLabHeadings', () => {
  it('titles each lab component one level below the section it sits in', () => {
    const tree = { type: 'root', children: [jsx('LabStep'), heading(2), jsx('Lab'), jsx('LabStep'), heading(3), jsx('LabStep'), heading(2), jsx('LabStep')] } as unknown as Root;
    remarkLabHeadings()(tree);
    assert.deepEqual(levels(tree), ['LabStep:2', 'Lab:3', 'LabStep:3', 'LabStep:4', 'LabStep:3']);
  });
  it('keeps a level the author set, leaves other components alone, never goes past h6', () => {
    const tree = { type: 'root', children: [heading(6), jsx('LabStep'), jsx('LabStep', { headingLevel: '2' }), jsx('CommandOutput')] } as unknown as Root;
    remarkLabHeadings()(tree);
    assert.deepEqual(levels(tree), ['LabStep:6', 'LabStep:2', 'CommandOutput:undefined']);
  });
  it('headingTag falls back for missing or out-of-range levels', () => {
    assert.equal(headingTag('4', 3), 'h4');
    assert.equal(headingTag(undefined, 3), 'h3');
    assert.equal(headingTag('1', 2), 'h2');
    assert.equal(headingTag('9', 3), 'h3');
  });
});
