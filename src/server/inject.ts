/**
 * The live server's only change to the built pages: pages that hold a lab component get a small
 * JSON config (the WebSocket path and this start's token) and the live client script. Pages
 * without a lab stay free of our JS, and the static build never contains either.
 */
import { CONFIG_ID, type LiveConfig } from '../contract/live.ts';
import { LAB_MARKER } from '../contract/dom.ts';

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
