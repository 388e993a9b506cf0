// AWS JSON 1.1 (cognito-idp, cognito-identity): POST with X-Amz-Target, JSON bodies, errors as
// `__type` + `message` with the same name in x-amzn-ErrorType (api-surface.md §1.1-1.3).
//
// The lifecycle of one request, and the failure of each phase:
//   1. route      X-Amz-Target -> service and operation       UnknownOperationException
//   2. auth       SigV4 when the model signs the operation     MissingAuthenticationToken / IncompleteSignature /
//                                                              UnrecognizedClient / InvalidSignature /
//                                                              AccessDenied (identity credentials)
//   3. decode     body -> JSON object                          SerializationException
//   4. implement  is there a handler?                          UnsupportedOperationException (naming it)
//   5. validate   input against the model's constraints        SerializationException / InvalidParameterException
//   6. handle     the operation (domain, store)                its modeled exceptions
//   7. encode     200 + JSON, or the error; anything unexpected InternalErrorException + correlation id
// With `app.strictErrors` (every API test), an exception the model does not list for the
// operation answers 500 instead, so a test that provokes it fails.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import {
  AccessDeniedException,
  CognitoException,
  SerializationException,
  UnknownOperationException,
  httpStatusOf,
  notImplemented,
  protocolExceptionNames,
} from '../errors.js';
import { model as identityModel } from '../models/identity.js';
import { model as idpModel } from '../models/idp.js';
import type { OperationModel, ServiceModel } from '../models/types.js';
import { validateInput } from '../models/validate.js';
import type { ServiceId } from '../operations/operation.js';
import type { Registry } from '../operations/registry.js';
import { unsupportedReason } from '../operations/unsupported.js';
import { verifySigV4, type Principal } from './sigv4.js';
import { observeCall } from '../audit/observe.js';

interface JsonService {
  id: ServiceId;
  model: ServiceModel;
}

const services = new Map<string, JsonService>([
  [idpModel.metadata.targetPrefix!, { id: 'idp', model: idpModel }],
  [identityModel.metadata.targetPrefix!, { id: 'identity', model: identityModel }],
]);

export const AWS_JSON = 'application/x-amz-json-1.1';

export function isAwsJsonRequest(req: FastifyRequest): boolean {
  return req.method === 'POST' && typeof req.headers['x-amz-target'] === 'string';
}

/** Step 1: `<prefix>.<Operation>`, both exact and case-sensitive. */
function route(target: string): { svc: JsonService; opName: string; opModel: OperationModel } {
  const dot = target.lastIndexOf('.');
  const svc = dot > 0 ? services.get(target.slice(0, dot)) : undefined;
  const opName = target.slice(dot + 1);
  // Own properties only: `constructor` or `__proto__` are not operations.
  const opModel = svc && Object.hasOwn(svc.model.operations, opName) ? svc.model.operations[opName] : undefined;
  if (!svc || !opModel) {
    throw new UnknownOperationException(`Unknown operation: ${target.length > 200 ? target.slice(0, 200) + '…' : target}`);
  }
  return { svc, opName, opModel };
}

export async function handleAwsJson(app: App, registry: Registry, req: FastifyRequest, reply: FastifyReply) {
  const requestId = req.id;
  let service: ServiceId | undefined;
  let opName: string | undefined;
  let input: Record<string, unknown> | undefined;
  let principal: Principal | undefined;
  try {
    const routed = route(String(req.headers['x-amz-target']));
    ({ opName } = routed);
    const { svc, opModel } = routed;
    service = svc.id;
    req.op = opName;

    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (opModel.auth === 'sigv4') {
      principal = await verifySigV4(
        { method: req.method, rawUrl: req.raw.url ?? '/', headers: req.headers, body },
        {
          service: svc.model.metadata.signingName,
          regions: new Set([app.config.region, ...app.config.extraRegions]),
          skewSeconds: app.config.sigv4SkewSeconds,
          now: app.clock.now(),
          lookup: app.credentials,
        },
      );
      // Identity credentials act for one identity (Cognito Sync); administration takes the admin keys.
      if (principal.kind !== 'admin') {
        throw new AccessDeniedException(
          `User: ${principal.identityId ?? principal.accessKeyId} is not authorized to perform: ${svc.model.metadata.signingName}:${opName}`,
        );
      }
    }
    input = decodeBody(body);
    const op = registry[svc.id].get(opName);
    if (!op) throw notImplemented(opName, unsupportedReason(svc.id, opName));
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
      .send(jsonBytes(output ?? {}));
    // The audit event after the reply: off the response path, still waited for by audit reads.
    app.audit.track(observeCall(app, { service: svc.id, op: opName, input, output: output ?? {}, principal, requestId, sourceIp: req.ip }));
  } catch (e) {
    let err = toCognitoException(app, e, requestId, opName ?? '?');
    if (app.strictErrors && service && opName && !isDeclared(service, opName, err.name)) {
      app.log.error({ requestId, op: opName, name: err.name }, 'undeclared exception');
      err = new CognitoException('InternalErrorException', `Tessera bug: ${err.name} is not declared for ${opName}: ${err.message}`);
    }
    req.errorName = err.name;
    sendError(reply, err, requestId);
    if (service && opName && input) app.audit.track(observeCall(app, { service, op: opName, input, error: err, principal, requestId, sourceIp: req.ip }));
  }
}

/** Step 3: the body must be one JSON object (an empty body counts as `{}`, as SDKs send for no input). */
export function decodeBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new SerializationException('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SerializationException(`The request body must be a JSON object, not ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`}.`);
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

/**
 * The AWS JSON error: `{"__type","message"}` plus modeled extras in the body, the name in
 * x-amzn-ErrorType (with the trailing `:` the real service sends), the message in
 * x-amzn-ErrorMessage as far as a header can carry it.
 */
export function sendError(reply: FastifyReply, err: CognitoException, requestId: string, status = httpStatusOf(err)) {
  reply
    .code(status)
    .header('content-type', AWS_JSON)
    .header('x-amzn-requestid', requestId)
    .header('x-amzn-errortype', `${err.name}:`)
    .header('x-amzn-errormessage', headerSafe(err.message))
    .send(jsonBytes({ ...(err.extra ?? {}), __type: err.name, message: err.message }));
}

/** Bytes, so that Fastify leaves the content type exactly as the real service sends it (no charset). */
const jsonBytes = (v: unknown): Buffer => Buffer.from(JSON.stringify(v), 'utf8');

/** Header values are Latin-1 without control characters: anything else becomes `?`. */
function headerSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = s.replace(/[^\x20-\x7e]/g, '?');
  return safe.length > 1000 ? safe.slice(0, 1000) : safe;
}
