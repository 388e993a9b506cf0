// A lean HTTP/1.1 keep-alive client for the load generator: one request at a time per connection,
// the request written as one buffer, the response read by its Content-Length. It exists so the load
// generator, which shares the server's two cores, costs as little CPU per request as it can (about
// a third of autocannon's here): what the benches measure is the server. It speaks only what
// Tessera answers with (Content-Length bodies, no chunking, no upgrades) and fails loudly otherwise.
import net from 'node:net';

export interface LiteResponse {
  status: number;
  body: Buffer;
}

export interface LiteRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** The request's bytes: request line, Host, Content-Length and the given headers, then the body. */
export function encodeRequest(host: string, r: LiteRequest): Buffer {
  const body = r.body === undefined ? undefined : Buffer.from(r.body, 'utf8');
  let head = `${r.method} ${r.path} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (const [k, v] of Object.entries(r.headers)) if (k.toLowerCase() !== 'content-length' && k.toLowerCase() !== 'host') head += `${k}: ${v}\r\n`;
  head += `content-length: ${body?.length ?? 0}\r\n\r\n`;
  return body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1');
}

export class LiteConnection {
  private readonly socket: net.Socket;
  private buf: Buffer = Buffer.alloc(0);
  private waiting?: { resolve(r: LiteResponse): void; reject(e: Error): void };
  private ready: Promise<void>;
  private failure?: Error;

  constructor(host: string, port: number) {
    this.socket = net.connect({ host, port });
    this.socket.setNoDelay(true);
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    // A refused connection is reported by the request that waits on it, never as unhandled.
    this.ready.catch(() => undefined);
    this.socket.on('data', (chunk: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
      this.parse();
    });
    const fail = (e: Error) => {
      this.failure ??= e;
      const w = this.waiting;
      this.waiting = undefined;
      w?.reject(e);
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('connection closed')));
  }

  /** Sends one request and resolves with its response (the previous one must have been answered). */
  async request(bytes: Buffer): Promise<LiteResponse> {
    await this.ready;
    if (this.failure) throw this.failure;
    if (this.waiting) throw new Error('one request at a time');
    return new Promise<LiteResponse>((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(bytes);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private parse(): void {
    const end = this.buf.indexOf(HEAD_END);
    if (end < 0 || !this.waiting) return;
    const head = this.buf.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const m = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!m) {
      this.socket.destroy(new Error(`response without Content-Length: ${head.split('\r\n')[0]}`));
      return;
    }
    const total = end + 4 + Number(m[1]);
    if (this.buf.length < total) return;
    const body = this.buf.subarray(end + 4, total);
    this.buf = this.buf.length > total ? this.buf.subarray(total) : Buffer.alloc(0);
    const w = this.waiting;
    this.waiting = undefined;
    w.resolve({ status, body });
  }
}
