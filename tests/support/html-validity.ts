/**
 * The HTML validator the site checks every built page with (html-validate: the HTML standard,
 * document and accessibility rules), and the only things it lets pass: markup that Starlight,
 * Expressive Code or Astro emit and we do not write. Each allowance names its rule, the element it
 * covers and why; anything else, and any of these in our own markup, is an error.
 */
import { HtmlValidate, type Message } from 'html-validate';

export const validator = new HtmlValidate({
  extends: ['html-validate:standard', 'html-validate:document', 'html-validate:a11y'],
  rules: {
    // Every asset is served from the site's own origin; SRI guards what a third-party host serves.
    'require-sri': ['error', { target: 'crossorigin' }],
  },
});

export interface Allowance {
  rule: string;
  /** Matched against "<CSS path of the element> <its start tag>". */
  where: RegExp;
  why: string;
}

export const frameworkAllowances: Allowance[] = [
  {
    rule: 'element-permitted-content',
    where: / > code > div <div class="ec-line">$/,
    why: 'Expressive Code draws each line of a code block as a <div class="ec-line"> inside <code>',
  },
  {
    rule: 'element-permitted-content',
    where: /> div > button > div <div>$/,
    why: "Expressive Code's copy button holds an empty <div> for its icon",
  },
  {
    rule: 'text-content',
    where: /<button title="Copy to clipboard" data-copied=/,
    why: "Expressive Code's copy button is named by its title attribute (axe accepts it; html-validate wants text)",
  },
  {
    rule: 'no-implicit-button-type',
    where: /<button (title="Copy to clipboard" data-copied=|data-open-modal|data-close-modal|popovertarget="starlight__sidebar")/,
    why: "Expressive Code's copy button and Starlight's search and menu buttons have no type (they are in no form, so none submits)",
  },
  {
    rule: 'unique-landmark',
    where: /<(nav aria-labelledby="starlight__on-this-page(--mobile)?"|aside class="right-sidebar-container)/,
    why: "Starlight's table of contents appears twice (desktop and mobile, one hidden by CSS) inside an unnamed <aside>",
  },
  {
    rule: 'heading-level',
    where: /<h2 id="starlight__on-this-page"/,
    why: "Starlight's table of contents (an <h2>) comes before the page's <h1> in the markup",
  },
];

export interface Problem {
  rule: string;
  message: string;
  line: number;
  element: string;
}

/** The start tag of the element a message is about (the message's offset is inside it). */
function startTag(html: string, offset: number): string {
  const start = html.lastIndexOf('<', offset + 1);
  return html.slice(start, html.indexOf('>', start) + 1);
}

/**
 * Attributes SVG 2 defines (core, styling, presentation, geometry, markers, gradients, filters,
 * text, links) beside data-* and aria-*. html-validate does not check attributes inside <svg>;
 * the W3C checker does, and refuses e.g. `name` on <rect> and `datatype` on <g>.
 */
const svgAttributes = new Set(
  `id class style lang tabindex role xmlns xmlns:xlink xml:space viewBox preserveAspectRatio width height x y x1 y1 x2 y2
  cx cy r rx ry d points pathLength transform transform-origin fill fill-opacity fill-rule clip-rule clip-path clip mask
  opacity stroke stroke-width stroke-opacity stroke-dasharray stroke-dashoffset stroke-linecap stroke-linejoin
  stroke-miterlimit color display visibility overflow filter flood-color flood-opacity lighting-color stop-color
  stop-opacity font-family font-size font-style font-weight font-variant text-anchor text-decoration dominant-baseline
  alignment-baseline baseline-shift letter-spacing word-spacing writing-mode direction unicode-bidi white-space
  paint-order vector-effect shape-rendering text-rendering image-rendering pointer-events cursor isolation mix-blend-mode
  marker-start marker-mid marker-end markerWidth markerHeight markerUnits refX refY orient dx dy rotate textLength
  lengthAdjust href xlink:href target gradientUnits gradientTransform spreadMethod offset fx fy fr patternUnits
  patternContentUnits patternTransform maskUnits maskContentUnits clipPathUnits filterUnits primitiveUnits in in2 result
  stdDeviation mode operator k1 k2 k3 k4 type values focusable`.split(/\s+/),
);

function svgAttributeProblems(html: string): Problem[] {
  const problems: Problem[] = [];
  for (const svg of html.matchAll(/<svg\b[\s\S]*?<\/svg>/g)) {
    for (const tag of svg[0].matchAll(/<([a-zA-Z][\w-]*)\b([^>]*)>/g)) {
      for (const attr of tag[2]!.matchAll(/\s([^\s=/>"']+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?/g)) {
        const name = attr[1]!;
        if (svgAttributes.has(name) || /^(data|aria)-/.test(name)) continue;
        const offset = svg.index! + tag.index!;
        problems.push({ rule: 'svg-attribute', message: `attribute "${name}" is not allowed on SVG <${tag[1]}>`, line: html.slice(0, offset).split('\n').length, element: `svg ${tag[0].slice(0, 200)}` });
      }
    }
  }
  return problems;
}

/** Validates one page; returns what no allowance covers. */
export async function validatePage(html: string, allowances: Allowance[] = frameworkAllowances): Promise<Problem[]> {
  const report = await validator.validateString(html);
  const messages: Message[] = report.results.flatMap((r) => r.messages);
  return messages
    .map((m) => ({ rule: m.ruleId, message: m.message, line: m.line, element: `${(m.selector ?? '').replace(/:nth-child\(\d+\)/g, '')} ${startTag(html, m.offset)}` }))
    .concat(svgAttributeProblems(html))
    .filter((p) => !allowances.some((a) => a.rule === p.rule && a.where.test(p.element)));
}
