import { WebSocket } from 'ws';
import type { App } from '../../src/http/app.js';

// Frames are whatever JSON the server sent; tests read them field by field.
export type Frame = Record<string, any>;

/** Listens on a free loopback port (once) and answers the WebSocket address of the live route. */
export async function liveUrl(app: App): Promise<string> {
  const address = app.server.address();
  if (address && typeof address === 'object') return `ws://127.0.0.1:${address.port}/api/v1/live`;
  await app.listen({ host: '127.0.0.1', port: 0 });
  return liveUrl(app);
}

/**
 * A real-time client as a test drives it: every frame it received, kept in order, and waits for
 * the next one matching what the test expects.
 */
export class LiveClient {
  readonly frames: Frame[] = [];
  private cursor = 0;
  private waiters: (() => void)[] = [];
  closeCode: number | null = null;
  readonly closed: Promise<number>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code) => {
        this.closeCode = code;
        this.wake();
        resolve(code);
      }),
    );
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Opens a connection; rejects with the HTTP status when the server refuses to upgrade. */
  static connect(url: string, headers: Record<string, string> = {}): Promise<LiveClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      const client = new LiveClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_request, response) => {
        reject(Object.assign(new Error(`refused with ${response.statusCode}`), { status: response.statusCode }));
        socket.terminate();
      });
      socket.once('error', (error) => reject(error));
    });
  }

  static bearer(url: string, token: string, locale = 'en'): Promise<LiveClient> {
    return LiveClient.connect(url, { authorization: `Bearer ${token}`, 'accept-language': locale });
  }

  send(frame: object): void {
    this.socket.send(JSON.stringify(frame));
  }

  /** The next frame (after those already taken) that matches; fails after `ms`. */
  async next(match: (frame: Frame) => boolean = () => true, ms = 5000): Promise<Frame> {
    const deadline = Date.now() + ms;
    for (;;) {
      while (this.cursor < this.frames.length) {
        const frame = this.frames[this.cursor++]!;
        if (match(frame)) return frame;
      }
      if (this.closeCode !== null) throw new Error(`closed with ${this.closeCode} while waiting`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${ms} ms; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Subscribes and waits for `subscribed` (or `reset`, or an error), returning every frame until then. */
  async subscribe(chatId: string, since?: number): Promise<{ frames: Frame[]; end: Frame }> {
    const start = this.cursor;
    this.send({ type: 'subscribe', chatId, ...(since !== undefined ? { since } : {}) });
    const end = await this.next(
      (f) => f.chatId === chatId && ['subscribed', 'reset', 'error', 'gone'].includes(f.type as string),
    );
    return { frames: this.frames.slice(start, this.cursor - 1), end };
  }

  /** Frames received so far that were not taken yet, without waiting. */
  rest(): Frame[] {
    const rest = this.frames.slice(this.cursor);
    this.cursor = this.frames.length;
    return rest;
  }

  async close(): Promise<void> {
    if (this.closeCode === null) {
      this.socket.close();
      await this.closed;
    }
  }
}
