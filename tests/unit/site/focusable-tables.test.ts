import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Element, Root } from 'hast';
import { rehypeFocusableTables } from '../../../src/site/tables/focusable-tables.ts';

const el = (tagName: string, properties: Element['properties'] = {}, children: Element[] = []): Element => ({ type: 'element', tagName, properties, children });

it('gives every table a tab stop, keeps one an author set, leaves other elements alone', () => {
  const tree: Root = { type: 'root', children: [el('table'), el('div', {}, [el('table', { tabIndex: -1 })]), el('pre')] };
  rehypeFocusableTables()(tree);
  const [a, div, pre] = tree.children as Element[];
  assert.equal(a!.properties.tabIndex, 0);
  assert.equal((div!.children[0] as Element).properties.tabIndex, -1);
  assert.equal(pre!.properties.tabIndex, undefined);
});
