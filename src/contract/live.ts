/**
 * How a page served by the lab server finds the server: the config the server injects into lab
 * pages, where, and where the live client and the WebSocket live. Read by the server (which
 * writes them) and the live client (which reads them).
 */

/** Element id of the injected JSON config (`<script type="application/json" id=…>`). */
export const CONFIG_ID = 'lab-server-config';

/** The injected config. */
export interface LiveConfig {
  /** This server start's token, sent as the first WebSocket message. */
  token: string;
  /** WebSocket path, e.g. `/lab/ws`. */
  ws: string;
}

/** The lab WebSocket's path on the server. */
export const WS_PATH = '/lab/ws';

/** Where the live client lives inside the build (written at build time, injected only by the lab server). */
export const CLIENT_PATH = '_lab/live.js';
