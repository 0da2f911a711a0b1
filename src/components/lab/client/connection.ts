/** The page's WebSocket to the local lab server: authenticates first, queues until ready. */
import type { ClientMessage, ServerMessage } from '../../../contract/protocol.ts';
import type { LiveConfig } from '../../../contract/live.ts';

export type Listener = (message: ServerMessage) => void;

export class Connection {
  #ws: WebSocket;
  #ready = false;
  #queue: ClientMessage[] = [];
  #listeners = new Set<Listener>();
  onLost?: () => void;

  constructor(config: LiveConfig) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    this.#ws = new WebSocket(`${scheme}://${location.host}${config.ws}`);
    this.#ws.onopen = () => this.#ws.send(JSON.stringify({ type: 'auth', token: config.token }));
    this.#ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as ServerMessage;
      if (message.type === 'ready') {
        this.#ready = true;
        for (const queued of this.#queue.splice(0)) this.#ws.send(JSON.stringify(queued));
      }
      for (const listener of this.#listeners) listener(message);
    };
    this.#ws.onclose = () => {
      this.#ready = false;
      this.onLost?.();
    };
  }

  send(message: ClientMessage): void {
    if (this.#ready) this.#ws.send(JSON.stringify(message));
    else this.#queue.push(message);
  }

  listen(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
