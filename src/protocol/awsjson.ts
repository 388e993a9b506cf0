// AWS JSON 1.1 (cognito-idp, cognito-identity): POST with X-Amz-Target, JSON bodies, errors as
// `__type` + `message` with the same name in x-amzn-ErrorType (api-surface.md §1.1-1.3).
//
// The lifecycle of one request, and the failure of each phase:
//   1. route      X-Amz-Target -> service and operation       UnknownOperationException
//   2. auth       SigV4 when the model signs the operation     MissingAuthenticationToken / IncompleteSignature /
//                                                              UnrecognizedClient / InvalidSignature
//   3. decode     body -> JSON object                          SerializationException
//   4. implement  is there a handler?                          UnsupportedOperationException (naming it)
//   5. validate   input against the model's constraints        SerializationException / InvalidParameterException
//   6. handle     the operation (domain, store)                its modeled exceptions
//   7. encode     200 + JSON, or the error; anything unexpected InternalErrorException + correlation id
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import {
  CognitoException,
  SerializationException,
  UnknownOperationException,
  httpStatusOf,
  notImplemented,
  protocolExceptionNames,
} from '../errors.js';
import { model as identityModel } from '../models/identity.js';
import { model as idpModel } from '../models/idp.js';
import type { ServiceModel } from '../models/types.js';
import { validateInput } from '../models/validate.js';
import { newRequestId } from '../ids.js';
import type { ServiceId } from '../operations/operation.js';
import type { Registry } from '../operations/registry.js';
import { verifySigV4, type Principal } from './sigv4.js';

const services: Record<string, { id: ServiceId; model: ServiceModel }> = {
  [idpModel.metadata.targetPrefix!]: { id: 'idp', model: idpModel },
  [identityModel.metadata.targetPrefix!]: { id: 'identity', model: identityModel },
};

export const AWS_JSON = 'application/x-amz-json-1.1';

export function isAwsJsonRequest(req: FastifyRequest): boolean {
  return req.method === 'POST' && typeof req.headers['x-amz-target'] === 'string';
}

export async function handleAwsJson(app: App, registry: Registry, req: FastifyRequest, reply: FastifyReply) {
  const requestId = newRequestId();
  const started = performance.now();
  let opName = '?';
  let service: ServiceId | undefined;
  try {
    const target = String(req.headers['x-amz-target']);
    const dot = target.lastIndexOf('.');
    const svc = services[target.slice(0, dot)];
    opName = target.slice(dot + 1);
    const opModel = svc?.model.operations[opName];
    if (!svc || !opModel) throw new UnknownOperationException(`Unknown operation ${target}`);
    service = svc.id;

    let principal: Principal | undefined;
    const body = (req.body as Buffer | undefined) ?? Buffer.alloc(0);
    if (opModel.auth === 'sigv4') {
      principal = await verifySigV4(
        { method: req.method, rawUrl: req.raw.url ?? '/', headers: req.headers, body },
        {
          service: svc.model.metadata.signingName,
          regions: new Set([app.config.region, ...extraRegions]),
          skewSeconds: app.config.sigv4SkewSeconds,
          now: app.clock.now(),
          lookup: app.credentials,
        },
      );
    }
    const input = decodeBody(body);
    const op = registry[svc.id].get(opName);
    if (!op) throw notImplemented(opName);
    validateInput(svc.model, opModel.input, input);
    const output = await op.handler(input, {
      app,
      requestId,
      sourceIp: req.ip,
      principal,
      headers: req.headers,
    });
    reply
      .code(200)
      .header('content-type', AWS_JSON)
      .header('x-amzn-requestid', requestId)
      .send(JSON.stringify(output ?? {}));
    logRequest(app, requestId, opName, 200, started);
  } catch (e) {
    let err = toCognitoException(app, e, requestId, opName);
    if (app.strictErrors && service && !isDeclared(service, opName, err.name)) {
      app.log.error({ requestId, op: opName, name: err.name }, 'undeclared exception');
      err = new CognitoException('InternalErrorException', `Tessera bug: ${err.name} is not declared for ${opName}: ${err.message}`);
    }
    sendError(reply, err, requestId);
    logRequest(app, requestId, opName, httpStatusOf(err), started, err.name);
  }
}

/** Regions other than the configured one that signatures may be scoped to (TESSERA_EXTRA_REGIONS). */
const extraRegions = (process.env.TESSERA_EXTRA_REGIONS ?? '').split(',').filter(Boolean);

function decodeBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new SerializationException('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SerializationException('The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function isDeclared(service: ServiceId, op: string, name: string): boolean {
  const model = service === 'idp' ? idpModel : identityModel;
  return protocolExceptionNames.has(name) || (model.operations[op]?.errors ?? []).includes(name);
}

/** Any failure becomes a CognitoException; the unexpected ones are logged and hidden. */
export function toCognitoException(app: App, e: unknown, requestId: string, op: string): CognitoException {
  if (e instanceof CognitoException) return e;
  app.log.error({ err: e, requestId, op }, 'unexpected error');
  return new CognitoException('InternalErrorException', `An internal error occurred. Correlation id: ${requestId}`);
}

export function sendError(reply: FastifyReply, err: CognitoException, requestId: string, status = httpStatusOf(err)) {
  reply
    .code(status)
    .header('content-type', AWS_JSON)
    .header('x-amzn-requestid', requestId)
    .header('x-amzn-errortype', `${err.name}:`)
    .header('x-amzn-errormessage', encodeURIComponent(err.message).slice(0, 1000))
    .send(JSON.stringify({ __type: err.name, message: err.message, ...(err.extra ?? {}) }));
}

function logRequest(app: App, requestId: string, op: string, status: number, started: number, error?: string) {
  app.log.info({ requestId, op, status, error, ms: Math.round((performance.now() - started) * 10) / 10 }, 'request');
}
