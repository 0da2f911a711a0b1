/**
 * The live server's only change to the built pages: pages that hold a lab component get a small
 * JSON config (the WebSocket path and this start's token) and the live client script. Pages
 * without a lab stay free of our JS, and the static build never contains either.
 */

/**
 * What every lab component renders (`data-klab="lab"` / `data-klab="step"`); its presence marks a
 * page as a lab page. With the `="`, class names in inlined CSS (`[data-klab-state=…]`) do not match.
 */
export const LAB_MARKER = 'data-klab="';

/** Element id of the injected config; the client reads it. */
export const CONFIG_ID = 'lab-server-config';

export interface LiveConfig {
  token: string;
  /** WebSocket path, e.g. `/lab/ws`. */
  ws: string;
}

/** JSON that is safe inside a <script> element (no `</script>`, no `<!--`). */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function injectLiveConfig(html: string, config: LiveConfig, clientSrc: string): string {
  if (!html.includes(LAB_MARKER)) return html;
  const tags =
    `<script type="application/json" id="${CONFIG_ID}">${scriptSafeJson(config)}</script>` +
    `<script type="module" src="${clientSrc}"></script>`;
  const at = html.indexOf('</head>');
  return at === -1 ? tags + html : html.slice(0, at) + tags + html.slice(at);
}
