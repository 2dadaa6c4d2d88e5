import type { ServerResponse } from 'node:http';

/** Server-sent event streams of connected pages; a broadcast writes one frame to each. */
export class EventStreams {
  readonly #clients = new Set<ServerResponse>();

  add(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    this.#clients.add(res);
    res.on('close', () => this.#clients.delete(res));
  }

  get size(): number {
    return this.#clients.size;
  }

  broadcast(event: string, data: unknown): void {
    if (this.#clients.size === 0) return;
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of this.#clients) res.write(frame);
  }

  close(): void {
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }
}
