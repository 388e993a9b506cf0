// Tessera's admin operations for changing what Cognito freezes (src/userpools/frozen-settings.ts),
// outside Cognito's API:
//   POST /tessera/admin/pools/{UserPoolId}/frozen-settings/preview   body: FrozenChange (JSON)
//   POST /tessera/admin/pools/{UserPoolId}/frozen-settings/apply     body: FrozenChange (JSON)
// Signed with SigV4 by the admin keys (service cognito-idp, as the SDK signs), or HTTP Basic with
// the admin access key id and secret (as /metrics takes them). Answers JSON:
//   200 the preview (apply: what was applied)      409 apply refused: the preview with the conflicts
//   400 { error: InvalidParameterException, message }   401 not the admin   404 no such pool
// An applied change is an AdminAction audit event naming the operation and the access key id.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { CognitoException } from '../errors.js';
import { isAdminBasic } from '../metrics/routes.js';
import { verifySigV4 } from '../protocol/sigv4.js';
import { FrozenChangeConflict, FrozenSettings, type FrozenChange, type FrozenPreview } from '../userpools/frozen-settings.js';

export const FROZEN_OPERATION = 'tessera:ChangeFrozenSettings';

export function frozenSettingsOf(app: App): FrozenSettings {
  return new FrozenSettings({ store: app.store, pools: app.pools, sealer: app.sealer, clock: app.clock });
}

/**
 * Previews, or applies and records, a change for `accessKeyId` (the API and the console share it).
 * Throws CognitoException (bad input, no pool) or FrozenChangeConflict.
 */
export async function runFrozenChange(
  app: App,
  req: FastifyRequest,
  accessKeyId: string,
  poolId: string,
  change: FrozenChange,
  mode: 'preview' | 'apply',
): Promise<FrozenPreview> {
  const frozen = frozenSettingsOf(app);
  if (mode === 'preview') return frozen.preview(poolId, change);
  const applied = await frozen.apply(poolId, change);
  await app.audit.record({
    poolId,
    type: 'AdminAction',
    outcome: 'Pass',
    sourceIp: req.ip,
    requestId: req.id,
    detail: { op: FROZEN_OPERATION, accessKeyId, changed: Object.keys(applied.changes).join(','), users: applied.usersChanged },
  });
  return applied;
}

export function registerFrozenSettingsApi(fastify: FastifyInstance, app: App): void {
  for (const mode of ['preview', 'apply'] as const) {
    fastify.post<{ Params: { pool: string } }>(`/tessera/admin/pools/:pool/frozen-settings/${mode}`, async (req, reply) => {
      req.op = `${FROZEN_OPERATION}:${mode}`;
      const accessKeyId = await adminOf(app, req);
      if (!accessKeyId) {
        req.errorName = 'NotAuthorized';
        return reply.code(401).header('www-authenticate', 'Basic realm="tessera"').send({ error: 'NotAuthorized', message: 'admin credentials required' });
      }
      let change: FrozenChange;
      try {
        const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
        change = JSON.parse(body || '{}');
        if (!change || typeof change !== 'object' || Array.isArray(change)) throw new Error('not an object');
      } catch {
        return fail(reply, 400, 'SerializationException', 'The body must be a JSON object.');
      }
      try {
        return reply.send(await runFrozenChange(app, req, accessKeyId, req.params.pool, change, mode));
      } catch (e) {
        if (e instanceof FrozenChangeConflict) return reply.code(409).send({ error: 'FrozenChangeConflict', message: e.message, ...e.preview });
        if (e instanceof CognitoException) {
          req.errorName = e.name;
          return fail(reply, e.name === 'ResourceNotFoundException' ? 404 : 400, e.name, e.message);
        }
        throw e;
      }
    });
  }
}

function fail(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).send({ error, message });
}

/** The admin access key id that signed (SigV4) or sent (Basic) the request, if it is the admin's. */
async function adminOf(app: App, req: FastifyRequest): Promise<string | undefined> {
  const auth = req.headers.authorization ?? '';
  if (/^Basic /i.test(auth)) {
    if (!(await isAdminBasic(app, auth))) return undefined;
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    return decoded.slice(0, decoded.indexOf(':'));
  }
  try {
    const principal = await verifySigV4(
      { method: req.method, rawUrl: req.raw.url ?? '/', headers: req.headers, body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0) },
      {
        service: 'cognito-idp',
        regions: new Set([app.config.region, ...app.config.extraRegions]),
        skewSeconds: app.config.sigv4SkewSeconds,
        now: app.clock.now(),
        lookup: app.credentials,
      },
    );
    return principal.kind === 'admin' ? principal.accessKeyId : undefined;
  } catch {
    return undefined;
  }
}
