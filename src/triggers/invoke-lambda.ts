// Invokes a Lambda function through the Lambda Invoke API (@aws-sdk/client-lambda):
//   POST /2015-03-31/functions/{FunctionName}/invocations
// at AWS (lambda.<region>.amazonaws.com, credentials from the environment) or at
// TESSERA_LAMBDA_ENDPOINT (SAM local, LocalStack, the Runtime Interface Emulator, a test server);
// there, when the SDK's credential chain finds none, dummy ones are used: local runtimes do not
// check signatures (aws-credentials.ts). The function ARN is passed through unchanged (its region picks the client).
//
// Each call is one attempt; retries and the error mapping are the runner's (invoke.ts), shared
// with the webhook transport. The SDK's own retries are off.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { credentialsFor } from '../aws-credentials.js';
import type { Attempt, AttemptResult } from './invoke.js';

const ARN_REGION = /^arn:[\w-]+:lambda:([a-z0-9-]+):/;

export class LambdaInvoker {
  private readonly clients = new Map<string, LambdaClient>();

  constructor(private readonly opts: { region: string; endpoint?: string }) {}

  private client(functionRef: string): LambdaClient {
    const region = ARN_REGION.exec(functionRef)?.[1] ?? this.opts.region;
    let c = this.clients.get(region);
    if (!c) {
      c = new LambdaClient({
        region,
        endpoint: this.opts.endpoint,
        maxAttempts: 1,
        credentials: credentialsFor(this.opts.endpoint),
      });
      this.clients.set(region, c);
    }
    return c;
  }

  /** One invocation: RequestResponse (waits for the output) or Event (queued, no output). */
  async invoke(a: Attempt): Promise<AttemptResult> {
    try {
      const out = await this.client(a.ref).send(
        new InvokeCommand({
          FunctionName: a.ref,
          InvocationType: a.async ? 'Event' : 'RequestResponse',
          Payload: Buffer.from(a.payload, 'utf8'),
        }),
        { abortSignal: a.signal },
      );
      const body = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
      if (out.FunctionError) return { kind: 'function-error', body };
      return { kind: 'ok', body };
    } catch (e) {
      const err = e as Error & { $metadata?: { httpStatusCode?: number }; code?: string };
      if (a.signal.aborted || err.name === 'AbortError' || err.name === 'TimeoutError') return { kind: 'timeout' };
      const status = err.$metadata?.httpStatusCode;
      if (status) return { kind: 'service-error', type: err.name, retry: status === 429 || status >= 500 };
      // No HTTP answer at all: refused, reset, unresolvable.
      return { kind: 'unreachable', type: err.code ?? err.name };
    }
  }

  close(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}
