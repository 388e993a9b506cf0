// What an operation handler is: one AWS operation, named exactly as AWS names it, that checks
// its input, calls the domain and shapes the reply. Files in src/operations/<service>/ export one
// as default; the registry finds them (so adding an operation is adding one file).
import type { App } from '../app.js';
import type { Principal } from '../protocol/sigv4.js';

export type ServiceId = 'idp' | 'identity' | 'sync';

export interface OperationContext {
  app: App;
  requestId: string;
  sourceIp: string;
  /** The SigV4 principal, on signed operations. */
  principal?: Principal;
  headers: Record<string, string | string[] | undefined>;
}

export interface Operation<I = any, O = any> {
  service: ServiceId;
  name: string;
  handler: (input: I, ctx: OperationContext) => Promise<O>;
}

export function defineOperation<I, O = Record<string, unknown>>(
  service: ServiceId,
  name: string,
  handler: (input: I, ctx: OperationContext) => Promise<O>,
): Operation<I, O> {
  return { service, name, handler };
}
