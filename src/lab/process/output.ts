import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

/** Keeps at most `limit` characters of a stream (the tail, where results usually are). */
export class BoundedText {
  #parts: string[] = [];
  #length = 0;
  truncated = false;
  readonly limit: number;
  constructor(limit: number) {
    this.limit = limit;
  }

  push(text: string): void {
    this.#parts.push(text);
    this.#length += text.length;
    if (this.#length > this.limit * 2) this.#compact();
  }

  #compact(): void {
    const joined = this.#parts.join('');
    const kept = joined.length > this.limit ? joined.slice(joined.length - this.limit) : joined;
    if (kept.length < joined.length) this.truncated = true;
    this.#parts = [kept];
    this.#length = kept.length;
  }

  toString(): string {
    this.#compact();
    return this.#parts[0] ?? '';
  }
}

/** Decodes a stream as UTF-8 (never splitting a character), calling `onText` per chunk. */
export function readText(stream: Readable, onText: (text: string) => void): Promise<void> {
  const decoder = new StringDecoder('utf8');
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      const text = decoder.write(chunk);
      if (text) onText(text);
    });
    const finish = () => {
      const rest = decoder.end();
      if (rest) onText(rest);
      resolve();
    };
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', finish);
  });
}
