import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Element } from 'hast';
import { focusableScroll } from '../../../src/site/code/focusable-scroll.ts';

it('makes every <pre> of a rendered code block keyboard-focusable, and nothing else', () => {
  const pre: Element = { type: 'element', tagName: 'pre', properties: {}, children: [] };
  const button: Element = { type: 'element', tagName: 'button', properties: {}, children: [] };
  const blockAst: Element = { type: 'element', tagName: 'figure', properties: {}, children: [pre, button] };
  focusableScroll().hooks.postprocessRenderedBlock({ renderData: { blockAst } });
  assert.equal(pre.properties.tabIndex, 0);
  assert.equal(button.properties.tabIndex, undefined);
  assert.equal(blockAst.properties.tabIndex, undefined);
});
