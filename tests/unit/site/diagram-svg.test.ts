import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dropInvalidAttributes, dropRulesForAbsentLooks, dropUnusedDefinitions, dropUnusedRules, ownIds, renameIds, themedSvg, ThemeMismatchError } from '../../../src/site/diagrams/svg.ts';

const id = 'diagram-k';

describe('diagram ids', () => {
  it('renames every id and every reference to it: selectors, url(#), href, aria lists', () => {
    const svg = '<svg id="p-0" aria-labelledby="t-p-0 x" aria-describedby="d-p-0"><title id="t-p-0">T</title><desc id="d-p-0">D</desc><style>#p-0 .a{marker-end:url(#p-0_end)}</style><marker id="p-0_end"/><use href="#p-0_end"/><line id="actor0"/><text>#p-0 stays? no: #other stays</text></svg>';
    const out = ownIds(svg, 'p-0', id);
    assert.match(out, /<svg id="diagram-k" aria-labelledby="t-diagram-k x" aria-describedby="d-diagram-k">/);
    assert.match(out, /<title id="t-diagram-k">/);
    assert.match(out, /#diagram-k \.a\{marker-end:url\(#diagram-k_end\)\}/);
    assert.match(out, /<marker id="diagram-k_end"\/><use href="#diagram-k_end"\/>/);
    assert.match(out, /<line id="diagram-k-actor0"\/>/);
    assert.match(out, /#other stays/);
  });
  it('does not take the prefix of another diagram of the batch for its own (p-1 vs p-10)', () => {
    assert.equal(ownIds('<svg id="p-10"></svg>', 'p-1', id), '<svg id="diagram-k-p-10"></svg>');
  });
  it('renameIds leaves references to unknown ids alone', () => {
    assert.equal(renameIds('<a href="#nope"/>', () => 'x'), '<a href="#nope"/>');
  });
});

describe('diagram cleanup', () => {
  it('drops name, datatype and data-type attributes (data-type becomes datatype in HTML)', () => {
    assert.equal(dropInvalidAttributes('<g datatype="x" data-type="p" data-id="i"><rect name="A" x="1"/><line name="B"/></g>'), '<g data-id="i"><rect x="1"/><line/></g>');
  });
  it('drops definitions nothing refers to, keeps used ones', () => {
    const svg = '<svg><defs><filter id="f"><x/></filter></defs><marker id="used"><path/></marker><marker id="unused"><path/></marker><linearGradient id="g"><stop/></linearGradient><path marker-end="url(#used)"/></svg>';
    assert.equal(dropUnusedDefinitions(svg), '<svg><marker id="used"><path/></marker><path marker-end="url(#used)"/></svg>');
  });
  it('drops CSS rules that match nothing, keeps the rest, pseudo-classes and @-rules included', () => {
    const svg = '<svg id="a"><style>#a .x{fill:red}#a .gone{fill:blue}#a .x:hover,#a .none{fill:green}#a .gone2::before{content:""}@keyframes dash{to{stroke-dashoffset:0}}#a rect{stroke:red}</style><g class="x"><rect/></g></svg>';
    assert.equal(dropUnusedRules(svg), '<svg id="a"><style>#a .x{fill:red}#a .x:hover,#a .none{fill:green}@keyframes dash{to{stroke-dashoffset:0}}#a rect{stroke:red}</style><g class="x"><rect/></g></svg>');
  });
  it('drops CSS rules for a look no element has, keeps the others', () => {
    const svg = '<svg><style>#a .x{fill:red}#a [data-look="neo"].y,#a [data-look="neo"].z{stroke:url(#g)}#a [data-look="classic"].w{fill:blue}</style><g data-look="classic"/></svg>';
    assert.equal(dropRulesForAbsentLooks(svg), '<svg><style>#a .x{fill:red}#a [data-look="classic"].w{fill:blue}</style><g data-look="classic"/></svg>');
  });
});

describe('one SVG for both themes', () => {
  const light = `<svg id="${id}" style="max-width: 10px;"><style>#${id} .n{fill:#fff;stroke:#333!important}#${id} .t{font-size:16px}</style><rect class="n" fill="#eee" style="stroke:#111"/><text fill="#000">A</text></svg>`;
  const dark = `<svg id="${id}" style="max-width: 10px;"><style>#${id} .n{fill:#1f2020;stroke:lightgrey!important}#${id} .t{font-size:16px}</style><rect class="n" fill="#222" style="stroke:#eee"/><text fill="#000">A</text></svg>`;

  it('turns values that differ into custom properties switched by data-theme', () => {
    const out = themedSvg(light, dark, id);
    assert.equal(out.match(/<svg\b/g)?.length, 1);
    assert.match(out, /#diagram-k \.n\{fill:var\(--dg0\);stroke:var\(--dg1\)!important\}#diagram-k \.t\{font-size:16px\}/);
    assert.match(out, /#diagram-k\{--dg0:#fff;--dg1:#333;--dg2:#eee;--dg3:#111\}\[data-theme='dark'\] #diagram-k\{--dg0:#1f2020;--dg1:lightgrey;--dg2:#222;--dg3:#eee\}/);
    // A presentation attribute keeps its light value; a style declaration switches it.
    assert.match(out, /<rect class="n" fill="#eee" style="stroke:var\(--dg3\);fill:var\(--dg2\)"\/>/);
    assert.match(out, /<text fill="#000">A<\/text>/);
  });
  it('gives two equal value pairs one property', () => {
    const out = themedSvg(`<svg><style>a{fill:#fff}b{fill:#fff}</style></svg>`, `<svg><style>a{fill:#000}b{fill:#000}</style></svg>`, id);
    assert.match(out, /a\{fill:var\(--dg0\)\}b\{fill:var\(--dg0\)\}/);
  });
  it('refuses renderings that differ in more than values', () => {
    assert.throws(() => themedSvg('<svg><rect/></svg>', '<svg><rect/><rect/></svg>', id), ThemeMismatchError);
    assert.throws(() => themedSvg('<svg><text>A</text></svg>', '<svg><text>B</text></svg>', id), ThemeMismatchError);
    assert.throws(() => themedSvg('<svg><style>a{fill:red}</style></svg>', '<svg><style>b{fill:red}</style></svg>', id), ThemeMismatchError);
    assert.throws(() => themedSvg('<svg><style>a{fill:red}</style></svg>', '<svg><style>a{stroke:red}</style></svg>', id), ThemeMismatchError);
    assert.throws(() => themedSvg('<svg><rect x="1"/></svg>', '<svg><rect x="2"/></svg>', id), ThemeMismatchError);
  });
});
