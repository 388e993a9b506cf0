// Invokes a webhook trigger: the event JSON POSTed to the URL of the pool's LambdaConfig.
//   request headers   content-type: application/json
//                     x-tessera-trigger: <triggerSource>
//                     x-tessera-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>
//   2xx               the body is the returned event (as a Lambda handler returns it); a body
//                     that is an object with `errorMessage` is a function error
//   other status      a function error (its `errorMessage`, else "HTTP <status>")
//   a body over 6 MB  a function error, as Lambda answers one (the rest is not read)
// The secret is the pool's webhook secret (webhook-secret.ts). A receiver checks the signature
// over the exact body bytes and refuses a `t` far from its clock (replays).
import { createHmac } from 'node:crypto';
import { MAX_RESPONSE_BYTES, RESPONSE_TOO_LARGE, type Attempt, type AttemptResult } from './invoke.js';

/** The signature header for `body` signed at `unixSeconds`. */
export function webhookSignature(secret: string, unixSeconds: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

export class WebhookInvoker {
  constructor(private readonly deps: { secretOf: (poolId: string) => Promise<string>; nowSeconds: () => number }) {}

  async invoke(a: Attempt): Promise<AttemptResult> {
    const secret = await this.deps.secretOf(a.poolId);
    let res: Response;
    let body: string;
    try {
      res = await fetch(a.ref, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-tessera-trigger': a.triggerSource,
          'x-tessera-signature': webhookSignature(secret, this.deps.nowSeconds(), a.payload),
        },
        body: a.payload,
        signal: a.signal,
        redirect: 'error',
      });
      const read = await readCapped(res, MAX_RESPONSE_BYTES);
      if (read === undefined) return { kind: 'function-error', body: JSON.stringify({ errorMessage: RESPONSE_TOO_LARGE }) };
      body = read;
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      if (a.signal.aborted || err.name === 'AbortError' || err.name === 'TimeoutError') return { kind: 'timeout' };
      return { kind: 'unreachable', type: err.cause?.code ?? err.name };
    }
    if (res.status < 200 || res.status > 299) {
      return { kind: 'function-error', body: hasErrorMessage(body) ? body : JSON.stringify({ errorMessage: `HTTP ${res.status}` }) };
    }
    if (hasErrorMessage(body)) return { kind: 'function-error', body };
    return { kind: 'ok', body };
  }
}

function hasErrorMessage(body: string): boolean {
  try {
    const v = JSON.parse(body);
    return typeof v === 'object' && v !== null && typeof v.errorMessage === 'string';
  } catch {
    return false;
  }
}

/** The body as text, or undefined (the rest left unread) once it passes `max` bytes. */
async function readCapped(res: Response, max: number): Promise<string | undefined> {
  if (!res.body) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    // Leaving the loop ends the iterator, which cancels the stream.
    if (size > max) return undefined;
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}
