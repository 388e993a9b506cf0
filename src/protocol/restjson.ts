// REST-JSON for cognito-sync (api-surface.md §1.4): operations are told apart by HTTP method and
// path template (src/models/sync.ts), inputs travel in the path, the query string, headers and a
// JSON body; errors carry their name in `x-amzn-ErrorType` and in the body as `__type` and `code`,
// with the status the model gives each exception.
//
// The lifecycle of one request, and the failure of each phase (it mirrors awsjson.ts):
//   1. route      method + path -> operation, labels percent-decoded   UnknownOperationException (404)
//   2. auth       SigV4, service `cognito-sync`, over the raw path     MissingAuthenticationToken / IncompleteSignature /
//                                                                      UnrecognizedClient / InvalidSignature (403)
//   3. decode     body -> JSON object (operations with body members)   SerializationException (400)
//   4. implement  is there a handler?                                  UnsupportedOperationException (naming it)
//   5. bind       uri / querystring / header / body members -> input   SerializationException (400)
//   6. validate   input against the model's constraints                InvalidParameterException (400)
//   7. handle     the operation (authorization, domain, store)         its modeled exceptions, model status
//   8. encode     200 + JSON, or the error; anything unexpected        InternalErrorException (500) + correlation id
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import {
  CognitoException,
  InvalidParameterException,
  NotAuthorizedException,
  SerializationException,
  UnknownOperationException,
  httpStatusOf,
  notImplemented,
  protocolExceptionNames,
} from '../errors.js';
import { model } from '../models/sync.js';
import type { OperationModel } from '../models/types.js';
import { compilePattern, validateInput } from '../models/validate.js';
import type { Registry } from '../operations/registry.js';
import { unsupportedReason } from '../operations/unsupported.js';
import { mayWatch } from '../sync/access.js';
import { SYNC_STREAM_HEARTBEAT_SECONDS } from '../sync/limits.js';
import { requireIdentity, requireIdentityPool } from '../sync/scope.js';
import { decodeBody } from './awsjson.js';
import { verifySigV4, type Principal } from './sigv4.js';

const JSON_TYPE = 'application/json';

// ---- 1. route ----

type Segment = { literal: string } | { label: string };

interface Route {
  op: string;
  method: string;
  segments: Segment[];
}

const routes: Route[] = Object.entries(model.operations).map(([op, m]) => ({
  op,
  method: m.http.method,
  segments: m.http.requestUri
    .split('/')
    .filter(Boolean)
    .map((s) => (/^\{\w+\}$/.test(s) ? { label: s.slice(1, -1) } : { literal: s })),
}));

/** The operation a method and raw (still percent-encoded) path name, with its decoded labels. */
export function matchRoute(method: string, rawPath: string): { op: string; labels: Record<string, string> } | undefined {
  const parts = rawPath.split('/').filter(Boolean);
  for (const r of routes) {
    if (r.method !== method || r.segments.length !== parts.length) continue;
    const labels: Record<string, string> = {};
    const ok = r.segments.every((seg, i) => {
      if ('literal' in seg) return seg.literal === parts[i];
      labels[seg.label] = decodeLabel(parts[i]);
      return true;
    });
    if (ok) return { op: r.op, labels };
  }
  return undefined;
}

function decodeLabel(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new SerializationException(`The path segment '${raw}' is not valid percent-encoding.`);
  }
}

// ---- 2. auth ----

/** Verifies the request's SigV4 signature for cognito-sync over the path as received. */
export function verifySyncSignature(app: App, req: FastifyRequest): Promise<Principal> {
  return verifySigV4(
    { method: req.method, rawUrl: req.raw.url ?? '/', headers: req.headers, body: bodyOf(req) },
    {
      service: model.metadata.signingName,
      regions: new Set([app.config.region, ...app.config.extraRegions]),
      skewSeconds: app.config.sigv4SkewSeconds,
      now: app.clock.now(),
      lookup: app.credentials,
    },
  );
}

const bodyOf = (req: FastifyRequest): Buffer => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

// ---- 3 & 5. decode and bind ----


/** Gathers the input members from where the model says each travels. */
export function bindInput(
  op: OperationModel,
  labels: Record<string, string>,
  query: URLSearchParams,
  headers: Record<string, string | string[] | undefined>,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const shape = op.input ? model.shapes[op.input] : undefined;
  for (const [name, ref] of Object.entries(shape?.members ?? {})) {
    const wireName = ref.locationName ?? name;
    let raw: string | undefined;
    switch (ref.location) {
      case 'uri':
        raw = labels[wireName];
        break;
      case 'querystring':
        raw = query.get(wireName) ?? undefined;
        break;
      case 'header': {
        const h = headers[wireName.toLowerCase()];
        raw = Array.isArray(h) ? h.join(',') : h;
        break;
      }
      default:
        if (body[name] !== undefined) input[name] = body[name];
        continue;
    }
    if (raw !== undefined) input[name] = coerce(raw, model.shapes[ref.shape]?.type, wireName);
  }
  return input;
}

/** Strings from the path, query or headers, read as the member's type. */
function coerce(raw: string, type: string | undefined, where: string): unknown {
  switch (type) {
    case 'integer':
    case 'long':
      if (!/^-?\d{1,15}$/.test(raw)) throw new SerializationException(`Expected an integer at '${where}' but found '${raw}'.`);
      return Number(raw);
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw new SerializationException(`Expected a boolean at '${where}' but found '${raw}'.`);
      return raw === 'true';
    default:
      return raw;
  }
}

// ---- the lifecycle ----

export async function handleRestJson(app: App, registry: Registry, req: FastifyRequest, reply: FastifyReply) {
  const requestId = req.id;
  let opName = '?';
  let opModel: OperationModel | undefined;
  try {
    const rawUrl = req.raw.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const route = matchRoute(req.method, path);
    if (!route) {
      throw new UnknownOperationException(`No cognito-sync operation for ${req.method} ${path.length > 200 ? path.slice(0, 200) + '…' : path}`);
    }
    opName = route.op;
    opModel = model.operations[opName];
    req.op = opName;

    const principal = await verifySyncSignature(app, req);
    const body = hasBodyMembers(opModel) ? decodeBody(bodyOf(req)) : {};
    const op = registry.sync.get(opName);
    if (!op) throw notImplemented(opName, unsupportedReason('sync', opName));
    const input = bindInput(opModel, route.labels, new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1)), req.headers, body);
    validateInput(model, opModel.input, input);
    const output = await op.handler(input, { app, requestId, sourceIp: req.ip, principal, headers: req.headers });
    reply
      .code(opModel.http.responseCode ?? 200)
      .header('content-type', JSON_TYPE)
      .header('x-amzn-requestid', requestId)
      .send(jsonBytes(output ?? {}));
  } catch (e) {
    let err = toException(app, e, requestId, opName);
    if (app.strictErrors && opModel && !protocolExceptionNames.has(err.name) && !opModel.errors.includes(err.name)) {
      app.log.error({ requestId, op: opName, name: err.name }, 'undeclared exception');
      err = new CognitoException('InternalErrorException', `Tessera bug: ${err.name} is not declared for ${opName}: ${err.message}`);
    }
    req.errorName = err.name;
    sendRestError(reply, err, requestId);
  }
}

const hasBodyMembers = (op: OperationModel): boolean =>
  Object.values((op.input && model.shapes[op.input]?.members) ?? {}).some((m) => m.location === undefined);

// ---- 8. encode errors ----

/** Signature failures: REST services answer these with 403, as AWS's own front doors do. */
const AUTH_FAILURES = new Set([
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
  'InvalidSignatureException',
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'AccessDeniedException',
]);

/** The status of an error on cognito-sync: the model's, else the protocol's. */
export function restStatusOf(e: CognitoException): number {
  const modeled = model.shapes[e.name];
  if (modeled?.exception && modeled.httpStatus) return modeled.httpStatus;
  if (e.name === 'UnknownOperationException') return 404;
  if (AUTH_FAILURES.has(e.name)) return 403;
  return httpStatusOf(e);
}

export function sendRestError(reply: FastifyReply, err: CognitoException, requestId: string, status = restStatusOf(err)) {
  reply
    .code(status)
    .header('content-type', JSON_TYPE)
    .header('x-amzn-requestid', requestId)
    .header('x-amzn-errortype', err.name)
    .send(jsonBytes({ ...(err.extra ?? {}), __type: err.name, code: err.name, message: err.message }));
}

export function toException(app: App, e: unknown, requestId: string, op: string): CognitoException {
  if (e instanceof CognitoException) return e;
  app.log.error({ err: e, requestId, op }, 'unexpected error');
  return new CognitoException('InternalErrorException', `An internal error occurred. Correlation id: ${requestId}`);
}

/** Bytes, so that Fastify leaves the content type as given (no charset added). */
const jsonBytes = (v: unknown): Buffer => Buffer.from(JSON.stringify(v), 'utf8');

// ---- mounting ----

/** Mounts cognito-sync (`/identitypools...`) and the change stream (`GET /sync/events`). */
export function registerRestJson(fastify: FastifyInstance, app: App, registry: Registry): void {
  const handler = (req: FastifyRequest, reply: FastifyReply) => handleRestJson(app, registry, req, reply);
  const method = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH'];
  // modelChecked: the operations' models check the input (server.ts leaves these routes alone).
  fastify.route({ method, url: '/identitypools', handler, config: { modelChecked: true } });
  fastify.route({ method, url: '/identitypools/*', handler, config: { modelChecked: true } });
  fastify.get('/sync/events', { config: { modelChecked: true } }, (req, reply) => serveChangeStream(app, req, reply));
  // Open change streams would hold the server's close forever: end them first.
  fastify.addHook('preClose', async () => app.sync.events.close());
}

// ---- the change stream (beyond Cognito) ----
//
// `GET /sync/events?identityPoolId=..&identityId=..&dataset=..`, signed with SigV4 like every
// cognito-sync call (identity credentials: their own identity only; admin: any identity, or the
// whole pool when identityId is left out). Server-sent events:
//   event: ready    once the server is sure to hear changes (send writes after this)
//   event: change   data {"datasetName","syncCount","identityId"} for each committed change
//   `: ping`        comment lines while idle
// Failures before the stream starts answer like any cognito-sync error.

export async function serveChangeStream(app: App, req: FastifyRequest, reply: FastifyReply) {
  const requestId = req.id;
  req.op = 'SyncEvents';
  let stop: (() => void) | undefined;
  try {
    const principal = await verifySyncSignature(app, req);
    const q = req.query as Record<string, string | undefined>;
    const poolId = q.identityPoolId;
    const identityId = q.identityId ?? (principal.kind === 'identity' ? principal.identityId : undefined);
    const datasetName = q.dataset;
    checkStreamParam('identityPoolId', poolId, 'IdentityPoolId', true);
    checkStreamParam('identityId', identityId, 'IdentityId', false);
    checkStreamParam('dataset', datasetName, 'DatasetName', false);
    if (!mayWatch(principal, poolId!, identityId)) {
      throw new NotAuthorizedException(`Access to Identity '${identityId ?? '*'}' is forbidden.`);
    }
    if (identityId) await requireIdentity(app.store, poolId!, identityId);
    else await requireIdentityPool(app.store, poolId!);

    const raw = reply.raw;
    const send = (chunk: string) => {
      if (!raw.writableEnded) raw.write(chunk);
    };
    const end = () => {
      clearInterval(heartbeat);
      stop?.();
      if (!raw.writableEnded) raw.end();
    };
    const heartbeat = setInterval(() => send(': ping\n\n'), SYNC_STREAM_HEARTBEAT_SECONDS * 1000);
    heartbeat.unref();
    stop = await app.sync.events.watch(
      { identityPoolId: poolId!, identityId, datasetName },
      (c) => send(`event: change\ndata: ${JSON.stringify({ datasetName: c.datasetName, syncCount: c.syncCount, identityId: c.identityId })}\n\n`),
      end,
    );
    reply.hijack();
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-amzn-requestid': requestId,
    });
    send('retry: 3000\nevent: ready\ndata: {}\n\n');
    // The response closes when the client goes away (or the server ends the stream).
    raw.on('close', end);
    if (raw.destroyed) end();
  } catch (e) {
    stop?.();
    const err = toException(app, e, requestId, 'SyncEvents');
    req.errorName = err.name;
    sendRestError(reply, err, requestId);
  }
}

function checkStreamParam(name: string, value: string | undefined, shape: string, required: boolean): void {
  if (value === undefined || value === '') {
    if (required) throw new InvalidParameterException(`1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
    return;
  }
  const s = model.shapes[shape];
  const re = s.pattern ? compilePattern(s.pattern) : null;
  if ((s.max !== undefined && value.length > s.max) || (re && !re.test(value))) {
    throw new InvalidParameterException(`1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${s.pattern}`);
  }
}
