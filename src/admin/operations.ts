// The console acts only through the operations themselves (cognito-idp, and cognito-identity for
// identity pools): the same validation, the same handler, the same audit event (an AdminAction
// under the signed-in access key id) as a SigV4-signed call. So the console can do nothing the API
// cannot.
import type { FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { observeCall } from '../audit/observe.js';
import { CognitoException } from '../errors.js';
import { model as identityModel } from '../models/identity.js';
import { model as idpModel } from '../models/idp.js';
import { validateInput } from '../models/validate.js';
import type { Registry } from '../operations/registry.js';
import type { AdminSession } from './session.js';

export type CallOp = (name: string, input: Record<string, unknown>) => Promise<any>;

export function operationCaller(app: App, registry: Registry, req: FastifyRequest, session: AdminSession, service: 'idp' | 'identity' = 'idp'): CallOp {
  const model = service === 'idp' ? idpModel : identityModel;
  return async (name, input) => {
    const op = registry[service].get(name);
    const opModel = model.operations[name];
    if (!op || !opModel) throw new Error(`no operation ${service}/${name}`);
    const principal = { kind: 'admin' as const, accessKeyId: session.accessKeyId };
    const call = { service, op: name, input, principal, requestId: req.id, sourceIp: req.ip };
    req.op = `admin:${name}`;
    try {
      validateInput(model, opModel.input, input);
      const output = await op.handler(input, { app, requestId: req.id, sourceIp: req.ip, principal, headers: req.headers });
      await observeCall(app, { ...call, output: output ?? {} });
      return output ?? {};
    } catch (e) {
      if (e instanceof CognitoException) await observeCall(app, { ...call, error: e });
      throw e;
    }
  };
}
