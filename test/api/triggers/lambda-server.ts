// A small server that speaks the Lambda Invoke API (and, on /hooks/<name>, Tessera's webhook
// protocol), for the trigger tests: a protocol peer of Tessera, not a stand-in for any of its
// code. Each function name has a JS handler; the server keeps every event it received.
//
//   POST /2015-03-31/functions/{FunctionName}/invocations
//     handler returns a value     200, the value as JSON (X-Amz-Executed-Version: $LATEST)
//     handler throws              200 + X-Amz-Function-Error: Unhandled, {errorMessage, errorType, stackTrace}
//     handler returns raw(...)    200, that body as is (not JSON, say)
//     handler returns refuse(...) the status with {Type, message} and x-amzn-ErrorType (a service error)
//     unknown function            404 ResourceNotFoundException
//     X-Amz-Invocation-Type Event 202 at once; the handler runs afterwards
//   POST /hooks/{name}            the same handlers: 200 + returned JSON, a throw is 500 {errorMessage}
import { createServer, type IncomingMessage, type Server } from 'node:http';

export type Handler = (event: any, meta: { headers: IncomingMessage['headers']; body: string }) => unknown | Promise<unknown>;

const RAW = Symbol('raw');
const REFUSE = Symbol('refuse');

/** A body returned as is. */
export const raw = (body: string) => ({ [RAW]: body });
/** A Lambda service error instead of an invocation. */
export const refuse = (status: number, type: string) => ({ [REFUSE]: { status, type } });
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Received {
  event: any;
  headers: IncomingMessage['headers'];
  body: string;
  via: 'lambda' | 'webhook';
}

export interface LambdaServer {
  url: string;
  handlers: Record<string, Handler>;
  /** The events each function received, in order. */
  received: Record<string, Received[]>;
  events(name: string): any[];
  /** Waits until `name` has received `count` events (asynchronous invocations). */
  waitFor(name: string, count: number, timeoutMs?: number): Promise<any[]>;
  reset(): void;
  close(): Promise<void>;
}

/** arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>] -> name; a plain name stays. */
export function functionName(ref: string): string {
  const m = /^arn:[^:]+:lambda:[^:]*:\d+:function:([^:]+)/.exec(ref);
  return m ? m[1] : ref;
}

/** The ARN tests put into LambdaConfig for a handler name. */
export const arnOf = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

export async function startLambdaServer(handlers: Record<string, Handler> = {}): Promise<LambdaServer> {
  const received: Record<string, Received[]> = {};
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '').split('?')[0];
    const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(path);
    const hook = /^\/hooks\/([^/]+)$/.exec(path);
    const send = (status: number, payload: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(payload);
    };
    if (req.method !== 'POST' || (!invoke && !hook)) return send(404, JSON.stringify({ message: 'no such route' }));
    const name = invoke ? functionName(decodeURIComponent(invoke[1])) : decodeURIComponent(hook![1]);
    const handler = handlers[name];
    if (!handler) {
      return send(404, JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }), { 'x-amzn-errortype': 'ResourceNotFoundException' });
    }
    let event: unknown;
    try {
      event = JSON.parse(body);
    } catch {
      event = body;
    }
    (received[name] ??= []).push({ event, headers: req.headers, body, via: invoke ? 'lambda' : 'webhook' });
    const run = async () => handler(structuredClone(event), { headers: req.headers, body });
    if (invoke && req.headers['x-amz-invocation-type'] === 'Event') {
      send(202, '');
      void run().catch(() => undefined);
      return;
    }
    try {
      const out = (await run()) as Record<symbol, unknown> | undefined;
      if (out && typeof out === 'object' && RAW in out) return send(200, out[RAW] as string);
      if (out && typeof out === 'object' && REFUSE in out) {
        const r = out[REFUSE] as { status: number; type: string };
        return send(r.status, JSON.stringify({ Type: 'User', message: r.type }), { 'x-amzn-errortype': r.type });
      }
      return send(200, JSON.stringify(out ?? null), invoke ? { 'x-amz-executed-version': '$LATEST' } : {});
    } catch (e) {
      const err = e as Error;
      const payload = { errorMessage: err.message, errorType: err.name, stackTrace: (err.stack ?? '').split('\n') };
      if (hook) return send(500, JSON.stringify({ errorMessage: err.message }));
      return send(200, JSON.stringify(payload), { 'x-amz-function-error': 'Unhandled' });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    handlers,
    received,
    events: (name) => (received[name] ?? []).map((r) => r.event),
    async waitFor(name, count, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while ((received[name]?.length ?? 0) < count) {
        if (Date.now() > until) throw new Error(`${name} received ${received[name]?.length ?? 0} of ${count} events`);
        await sleep(10);
      }
      return (received[name] ?? []).map((r) => r.event);
    },
    reset() {
      for (const k of Object.keys(received)) delete received[k];
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
