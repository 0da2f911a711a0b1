import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';

/**
 * Post-processing of Mermaid's SVG, done once when a diagram is rendered (the result is cached):
 * - ids: each diagram's ids are its own (`diagram-<key>…`), and every reference follows;
 * - one SVG for both themes: the light and dark renderings must differ only in values (colours,
 *   a shadow, a gradient); those become CSS custom properties switched by Starlight's `data-theme`,
 *   so a page carries one copy of each diagram instead of two;
 * - markup that is not valid SVG in HTML (`name`, `datatype`) and definitions nothing uses
 *   (markers and filters Mermaid adds to every flowchart) are dropped.
 */

const STYLE = /<style>([\s\S]*?)<\/style>/;

/** Thrown when the two renderings differ in more than values: one themed SVG cannot show both. */
export class ThemeMismatchError extends Error {}

/** Every `id="…"` in the markup, in order. */
export function idsOf(svg: string): string[] {
  return [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
}

/**
 * Renames ids and every reference to them: `id="…"`, `#id` (CSS selectors, `url(#…)`,
 * `href="#…"`), and the id lists of `aria-labelledby` / `aria-describedby`.
 */
export function renameIds(svg: string, rename: (id: string) => string): string {
  const map = new Map(idsOf(svg).map((id) => [id, rename(id)]));
  const mapped = (id: string) => map.get(id) ?? id;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (_, a: string, id: string, b: string) => a + mapped(id) + b)
    .replace(/(\saria-(?:labelledby|describedby)=")([^"]+)(")/g, (_, a: string, list: string, b: string) => a + list.split(/\s+/).map(mapped).join(' ') + b)
    .replace(/#([\w-]+)/g, (whole, id: string) => (map.has(id) ? `#${map.get(id)}` : whole));
}

/**
 * Gives a rendering's ids the diagram's own prefix. Mermaid names most ids after the prefix it was
 * given (`<prefix>`, `<prefix>_flowchart-v2-pointEnd`, `chart-title-<prefix>`); sequence diagrams
 * add bare ones (`actor0`, `root-0`) that would clash between two diagrams on a page.
 */
export function ownIds(svg: string, renderPrefix: string, id: string): string {
  const ours = new RegExp(`${renderPrefix}(?!\\d)`);
  return renameIds(svg, (old) => (ours.test(old) ? old.replace(ours, id) : `${id}-${old}`));
}

/**
 * Attributes Mermaid's sequence diagrams write that HTML's SVG does not allow: `name` on <rect> and
 * <line>, and `data-type` on <g>, which the HTML toolchain (hast) reads as SVG's RDFa `datatype`
 * and writes back as `datatype`. Nothing on a static page reads them.
 */
export function dropInvalidAttributes(svg: string): string {
  return svg.replace(/<[a-zA-Z][^>]*>/g, (tag) => tag.replace(/\s(?:name|datatype|data-type)="[^"]*"/g, ''));
}

/**
 * Removes CSS rules for a Mermaid "look" no element of this diagram has (`[data-look="neo"]` rules
 * in a classic diagram): they cannot match, and in the dark theme they refer to a gradient that
 * the light theme does not define.
 */
export function dropRulesForAbsentLooks(svg: string): string {
  const present = new Set([...svg.replace(STYLE, '').matchAll(/\sdata-look="([^"]*)"/g)].map((m) => m[1]));
  return svg.replace(STYLE, (_, css: string) => {
    const kept = css.replace(/(?<=^|[};])([^{};]+)\{[^{}]*\}/g, (rule, selectors: string) => {
      const looks = selectors.split(',').map((sel) => /\[data-look="([^"]*)"\]/.exec(sel)?.[1]);
      return looks.every((look) => look !== undefined && !present.has(look)) ? '' : rule;
    });
    return `<style>${kept}</style>`;
  });
}

/** Top-level parts of a stylesheet: rules (`selector{…}`) and @-blocks kept whole. */
function topLevelRules(css: string): { text: string; selector?: string }[] {
  const parts: { text: string; selector?: string }[] = [];
  let i = 0;
  while (i < css.length) {
    const open = css.indexOf('{', i);
    if (open < 0) break;
    let depth = 0;
    let end = open;
    for (; end < css.length; end++) {
      if (css[end] === '{') depth++;
      else if (css[end] === '}' && --depth === 0) break;
    }
    const head = css.slice(i, open);
    parts.push({ text: css.slice(i, end + 1), selector: head.trim().startsWith('@') ? undefined : head });
    i = end + 1;
  }
  if (i < css.length) parts.push({ text: css.slice(i) });
  return parts;
}

/**
 * Removes CSS rules none of whose selectors matches an element of the diagram (pseudo-classes
 * and pseudo-elements are ignored for the test: `.x:hover` stays if `.x` matches). @-rules and
 * selectors the matcher does not understand are kept.
 */
export function dropUnusedRules(svg: string): string {
  const tree = fromHtml(svg.replace(STYLE, ''), { fragment: true });
  const matches = (selector: string) => {
    const base = selector.replace(/::?[a-zA-Z-]+(\([^)]*\))?/g, '').trim();
    if (!base) return true;
    try {
      return selectAll(base, tree, 'svg').length > 0;
    } catch {
      return true;
    }
  };
  return svg.replace(STYLE, (_, css: string) => {
    const kept = topLevelRules(css).filter((rule) => rule.selector === undefined || rule.selector.split(',').some(matches));
    return `<style>${kept.map((r) => r.text).join('')}</style>`;
  });
}

/** Removes definitions (markers, filters, gradients) that nothing refers to, and defs left empty. */
export function dropUnusedDefinitions(svg: string): string {
  let out = svg;
  for (const tag of ['marker', 'filter', 'linearGradient', 'radialGradient']) {
    out = out.replace(new RegExp(`<${tag}\\b[^>]*\\sid="([^"]+)"[^>]*>[\\s\\S]*?</${tag}>`, 'g'), (whole, id: string) => {
      const uses = out.split(`#${id}`).length - 1;
      return uses > 0 ? whole : '';
    });
  }
  return out.replace(/<defs><\/defs>|<defs\/>/g, '');
}

/** CSS split into declarations and the structure around them (`{`, `}`, `;` kept as parts). */
function cssParts(css: string): string[] {
  return css.split(/([{};])/);
}

/** Assigns one custom property per distinct (light, dark) value pair. */
class Values {
  readonly pairs = new Map<string, { name: string; light: string; dark: string }>();
  readonly prefix: string;
  constructor(prefix: string) {
    this.prefix = prefix;
  }
  variable(light: string, dark: string): string {
    const key = JSON.stringify([light, dark]);
    let pair = this.pairs.get(key);
    if (!pair) {
      pair = { name: `${this.prefix}${this.pairs.size}`, light, dark };
      this.pairs.set(key, pair);
    }
    return `var(${pair.name})`;
  }
}

/** One declaration `prop:value`, the value's `!important` kept outside what varies. */
function splitDeclaration(decl: string): { prop: string; value: string; important: string } | undefined {
  const colon = decl.indexOf(':');
  if (colon < 0) return undefined;
  const raw = decl.slice(colon + 1);
  const important = /\s*!important\s*$/.exec(raw)?.[0] ?? '';
  return { prop: decl.slice(0, colon), value: raw.slice(0, raw.length - important.length), important };
}

/** Merges two declaration lists (CSS text or a style attribute) that differ in values only. */
function mergeDeclarations(light: string, dark: string, values: Values, where: string): string {
  const a = cssParts(light);
  const b = cssParts(dark);
  if (a.length !== b.length) throw new ThemeMismatchError(`${where}: the light and dark CSS have different rules`);
  return a
    .map((part, i) => {
      const other = b[i]!;
      if (part === other) return part;
      const da = splitDeclaration(part);
      const db = splitDeclaration(other);
      // Only a declaration may differ: an even part (not a delimiter) that is not a selector.
      const isDeclaration = i % 2 === 0 && a[i + 1] !== '{' && b[i + 1] !== '{';
      if (!isDeclaration || !da || !db || da.prop.trim() !== db.prop.trim() || da.important !== db.important) {
        throw new ThemeMismatchError(`${where}: "${part.slice(0, 80)}" (light) and "${other.slice(0, 80)}" (dark) differ in more than a value`);
      }
      return `${da.prop}:${values.variable(da.value.trim(), db.value.trim())}${da.important}`;
    })
    .join('');
}

/** Markup split into tags and text; each tag parsed into name and attributes. */
function parseTag(tag: string): { name: string; attrs: [string, string][]; end: string } | undefined {
  const m = /^<([a-zA-Z][\w:-]*)([\s\S]*?)(\/?>)$/.exec(tag);
  if (!m) return undefined;
  return { name: m[1]!, attrs: [...m[2]!.matchAll(/\s([^\s=]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]), end: m[3]! };
}

/**
 * One SVG for both themes from two renderings that already share their ids. Values that differ
 * become `var(--dgN)`, defined on the SVG for the light theme and under
 * `[data-theme='dark']` for the dark one. Throws ThemeMismatchError when the renderings differ in
 * anything but values.
 */
export function themedSvg(light: string, dark: string, id: string): string {
  // Short names: each SVG defines its own, so two diagrams on a page never share one.
  const values = new Values('--dg');
  const cssA = STYLE.exec(light)?.[1] ?? '';
  const cssB = STYLE.exec(dark)?.[1] ?? '';
  const css = mergeDeclarations(cssA, cssB, values, 'style');

  const tokensA = light.replace(STYLE, '<style></style>').split(/(<[^>]+>)/);
  const tokensB = dark.replace(STYLE, '<style></style>').split(/(<[^>]+>)/);
  if (tokensA.length !== tokensB.length) throw new ThemeMismatchError('the light and dark renderings have different elements');
  const markup = tokensA.map((token, i) => {
    const other = tokensB[i]!;
    if (token === other) return token;
    const ta = parseTag(token);
    const tb = parseTag(other);
    if (!ta || !tb || ta.name !== tb.name || ta.attrs.length !== tb.attrs.length) {
      throw new ThemeMismatchError(`"${token.slice(0, 80)}" (light) and "${other.slice(0, 80)}" (dark) differ in more than values`);
    }
    let style = ta.attrs.find(([n]) => n === 'style')?.[1] ?? '';
    const extra: string[] = [];
    ta.attrs.forEach(([name, value], j) => {
      const [nameB, valueB] = tb.attrs[j]!;
      if (name !== nameB) throw new ThemeMismatchError(`<${ta.name}> has attribute ${name} in light and ${nameB} in dark`);
      if (value === valueB) return;
      if (name === 'style') style = mergeDeclarations(value, valueB, values, `<${ta.name} style>`);
      // A presentation attribute (fill, stroke, flood-color…): the light value stays as written,
      // a style declaration (which wins over it) switches with the theme.
      else if (/^(fill|stroke|stop-color|flood-color|lighting-color|color)$/.test(name)) extra.push(`${name}:${values.variable(value, valueB)}`);
      else throw new ThemeMismatchError(`<${ta.name} ${name}> is "${value.slice(0, 60)}…" in light and "${valueB.slice(0, 60)}…" in dark`);
    });
    const merged = [style.replace(/;\s*$/, ''), ...extra].filter(Boolean).join(';');
    const attrs = ta.attrs.filter(([n]) => n !== 'style').map(([n, v]) => ` ${n}="${v}"`).join('');
    return `<${ta.name}${attrs}${merged ? ` style="${merged}"` : ''}${ta.end}`;
  });

  const pairs = [...values.pairs.values()];
  const vars = (theme: 'light' | 'dark') => pairs.map((p) => `${p.name}:${p[theme]}`).join(';');
  const themeCss = pairs.length ? `#${id}{${vars('light')}}[data-theme='dark'] #${id}{${vars('dark')}}` : '';
  return markup.join('').replace('<style></style>', `<style>${themeCss}${css}</style>`);
}
