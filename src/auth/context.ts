// Builds the FlowContext of an auth operation: the app client (and its pool) the request names,
// whether it came through the Admin* operation, and the end user's address for the failure
// counters. For the Admin* operations the caller is a trusted back end that may pass the end
// user's address in ContextData.IpAddress; the public operations use the connection's address.
import type { OperationContext } from '../operations/operation.js';
import type { FlowContext } from './types.js';

export interface ContextInput {
  ClientId: string;
  /** Admin* operations name the pool; the client must belong to it. */
  UserPoolId?: string;
  ClientMetadata?: Record<string, string>;
  ContextData?: { IpAddress?: string };
}

export async function flowContext(op: OperationContext, input: ContextInput, admin: boolean): Promise<FlowContext> {
  const { app } = op;
  const client = await app.pools.getClient(admin ? input.UserPoolId : undefined, input.ClientId);
  const pool = await app.pools.get(client.poolId);
  const sourceIp = (admin && input.ContextData?.IpAddress) || op.sourceIp;
  const ua = op.headers['user-agent'];
  return { app, pool, client, admin, sourceIp, userAgent: typeof ua === 'string' ? ua : undefined, clientMetadata: input.ClientMetadata };
}
