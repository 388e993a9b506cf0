// Runs one trigger invocation over either transport and turns what happened into Cognito's
// answer (shared/spec/triggers.md §4), the same for Lambda and webhooks:
//
//   function error (X-Amz-Function-Error / non-2xx / {errorMessage})
//       -> UserLambdaValidationException "<Trigger> failed with error <errorMessage>."   (not retried)
//   no answer within the limit (5 s)
//       -> UnexpectedLambdaException "<Trigger> invocation failed due to error Socket timeout while invoking Lambda function."
//   refused by the Lambda service (403, 404, 429, 5xx) or unreachable
//       -> UnexpectedLambdaException "<Trigger> invocation failed due to error <type>."
//   output that is not JSON                -> InvalidLambdaResponseException "Invalid lambda function output : Invalid JSON"
//   output that is not an event object     -> InvalidLambdaResponseException "Unrecognizable lambda output"
//   output nested deeper than 64 levels    -> InvalidLambdaResponseException
//   output over 6 MB (Lambda's limit)      -> UserLambdaValidationException "... Response payload size exceeded ..."
// A function's error message is passed on up to 1,000 characters.
//
// Timeouts, unreachable targets, throttling and 5xx are retried: `attempts` in all (3). The
// event is never logged (it holds attributes, passwords of migrations, codes).
import type { Logger } from 'pino';
import { InvalidLambdaResponseException, UnexpectedLambdaException, UserLambdaValidationException } from '../errors.js';
import type { UserPool } from '../userpools/pools.js';
import { observeTrigger } from '../metrics/metrics.js';
import { triggerTarget, type Target, type TriggerName } from './target.js';

/** One try at delivering an event, as the transports see it. */
export interface Attempt {
  ref: string;
  poolId: string;
  triggerSource: string;
  payload: string;
  async: boolean;
  signal: AbortSignal;
}

export type AttemptResult =
  | { kind: 'ok'; body: string }
  | { kind: 'function-error'; body: string }
  | { kind: 'service-error'; type: string; retry: boolean }
  | { kind: 'unreachable'; type: string }
  | { kind: 'timeout' };

export interface Transport {
  invoke(a: Attempt): Promise<AttemptResult>;
}

/** How long one attempt may take and how many there are (tests shorten the wait). */
export interface TriggerLimits {
  timeoutMs: number;
  attempts: number;
}

export const DEFAULT_LIMITS: TriggerLimits = { timeoutMs: 5000, attempts: 3 };

/** A trigger event: the common envelope (event.ts) with its request and response. */
export type TriggerEvent = Record<string, unknown> & { triggerSource: string; response: unknown };

export const INVALID_JSON = 'Invalid lambda function output : Invalid JSON';
export const UNRECOGNIZABLE = 'Unrecognizable lambda output';
/** Lambda's limit on a synchronous response, held to for webhooks and Lambda look-alikes too. */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
export const RESPONSE_TOO_LARGE = `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes)`;
/** How deep a returned event may nest (objects and arrays): far beyond any real event. */
const MAX_DEPTH = 64;
/** How much of a function's error message is passed on. */
const MAX_ERROR_CHARS = 1000;

export class TriggerRunner {
  constructor(
    private readonly deps: { lambda: Transport; webhook: Transport; log: Logger; limits: TriggerLimits },
  ) {}

  has(pool: UserPool, name: TriggerName): boolean {
    return triggerTarget(pool, name) !== undefined;
  }

  /**
   * Invokes the pool's `name` trigger with `event` and waits for the returned event (an object).
   * Throws the exceptions of the file comment. Call only when `has(pool, name)`.
   */
  async invoke(pool: UserPool, name: TriggerName, event: TriggerEvent): Promise<Record<string, unknown>> {
    const target = triggerTarget(pool, name)!;
    let r = await this.attempt(pool.id, target, event.triggerSource, JSON.stringify(event), false);
    if ((r.kind === 'ok' || r.kind === 'function-error') && Buffer.byteLength(r.body, 'utf8') > MAX_RESPONSE_BYTES) {
      r = { kind: 'function-error', body: JSON.stringify({ errorMessage: RESPONSE_TOO_LARGE }) };
    }
    switch (r.kind) {
      case 'ok':
        return parseOutput(r.body);
      case 'function-error':
        throw new UserLambdaValidationException(`${name} failed with error ${errorMessageOf(r.body)}.`);
      case 'timeout':
        throw new UnexpectedLambdaException(`${name} invocation failed due to error Socket timeout while invoking Lambda function.`);
      default:
        throw new UnexpectedLambdaException(`${name} invocation failed due to error ${r.type}.`);
    }
  }

  /**
   * Invokes asynchronously (InvocationType Event), as Cognito invokes custom senders: the caller
   * neither waits nor sees failures, which are logged.
   */
  fire(pool: UserPool, name: TriggerName, event: TriggerEvent): Promise<void> {
    const target = triggerTarget(pool, name);
    if (!target) return Promise.resolve();
    return this.attempt(pool.id, target, event.triggerSource, JSON.stringify(event), true).then(
      (r) => {
        if (r.kind !== 'ok') this.deps.log.warn({ poolId: pool.id, trigger: name, outcome: r.kind }, 'asynchronous trigger failed');
      },
      (e: Error) => this.deps.log.warn({ poolId: pool.id, trigger: name, err: e.message }, 'asynchronous trigger failed'),
    );
  }

  /**
   * Invokes a function that no user pool's LambdaConfig names (Cognito Sync's SyncTrigger, which
   * belongs to an identity pool: `ownerId` keys its webhook secret) and returns what happened, for
   * the caller to answer with its own service's exceptions. Same transports, limits and retries.
   */
  invokeRef(ownerId: string, ref: string, source: string, event: Record<string, unknown>): Promise<AttemptResult> {
    const target: Target = { kind: /^https?:\/\//i.test(ref) ? 'webhook' : 'lambda', ref, version: 'V1_0' };
    return this.attempt(ownerId, target, source, JSON.stringify(event), false);
  }

  private async attempt(ownerId: string, target: Target, triggerSource: string, payload: string, async: boolean): Promise<AttemptResult> {
    const transport = target.kind === 'webhook' ? this.deps.webhook : this.deps.lambda;
    const { timeoutMs, attempts } = this.deps.limits;
    let r: AttemptResult = { kind: 'timeout' };
    for (let i = 0; i < attempts; i++) {
      const signal = AbortSignal.timeout(timeoutMs);
      r = await transport.invoke({ ref: target.ref, poolId: ownerId, triggerSource, payload, async, signal });
      const retry = r.kind === 'timeout' || r.kind === 'unreachable' || (r.kind === 'service-error' && r.retry);
      if (!retry) break;
      this.deps.log.warn({ poolId: ownerId, triggerSource, outcome: r.kind, attempt: i + 1 }, 'trigger invocation failed');
    }
    observeTrigger(triggerSource, r.kind);
    return r;
  }
}

/** The returned event: JSON, and an object. */
function parseOutput(body: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    throw new InvalidLambdaResponseException(INVALID_JSON);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InvalidLambdaResponseException(UNRECOGNIZABLE);
  if (depthOver(v, MAX_DEPTH)) throw new InvalidLambdaResponseException(`Invalid lambda function output : nested deeper than ${MAX_DEPTH} levels`);
  return v as Record<string, unknown>;
}

/** Whether `v` nests objects or arrays deeper than `max` (walked without recursion). */
function depthOver(v: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    if (d > max) return true;
    for (const child of Array.isArray(x) ? x : Object.values(x)) if (typeof child === 'object' && child !== null) stack.push([child, d + 1]);
  }
  return false;
}

/** `errorMessage` of a Lambda error payload (never its stackTrace), else the body as text. */
function errorMessageOf(body: string): string {
  try {
    const v = JSON.parse(body);
    if (typeof v?.errorMessage === 'string') return v.errorMessage.slice(0, MAX_ERROR_CHARS);
    if (typeof v === 'string') return v.slice(0, MAX_ERROR_CHARS);
  } catch {
    /* not JSON: the text itself */
  }
  return body.slice(0, MAX_ERROR_CHARS);
}
