// The identity issuer's documents, under `${publicUrl}/identity` as AWS serves them under
// https://cognito-identity.amazonaws.com (identity-and-sync.md A.4):
//   GET /identity/.well-known/openid-configuration   discovery
//   GET /identity/.well-known/jwks_uri               the keys (AWS's file name)
//   GET /identity/.well-known/jwks.json              the same keys
// and the STS endpoint of the basic flow (sts.ts), in STS's Query protocol:
//   POST /identity/sts  Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=..&RoleSessionName=..
//                       &WebIdentityToken=..[&DurationSeconds=..]   (form-encoded body, or the query)
//   -> 200 <AssumeRoleWithWebIdentityResponse> XML, or <ErrorResponse><Error><Type>Sender</Type>
//      <Code>..</Code><Message>..</Message></Error>..</ErrorResponse> with 400 / 403
// An SDK client takes `endpoint: ${publicUrl}/identity/sts` (it appends `/`; both paths answer).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { newRequestId } from '../ids.js';
import { StsError, type AssumedRole } from './sts.js';

const MAX_AGE_SECONDS = 300;
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function registerIdentityRoutes(fastify: FastifyInstance, app: App): void {
  const jwks = async () => app.identity.tokens.jwks();
  fastify.get('/identity/.well-known/jwks_uri', async (_req, reply) => reply.header('cache-control', `public, max-age=${MAX_AGE_SECONDS}`).send(await jwks()));
  fastify.get('/identity/.well-known/jwks.json', async (_req, reply) => reply.header('cache-control', `public, max-age=${MAX_AGE_SECONDS}`).send(await jwks()));
  fastify.get('/identity/.well-known/openid-configuration', async (_req, reply) =>
    reply.header('cache-control', `public, max-age=${MAX_AGE_SECONDS}`).send(app.identity.tokens.discovery()),
  );
  const sts = (req: FastifyRequest, reply: FastifyReply) => answerSts(app, req, reply);
  // STS answers its own errors in XML, a NUL included (the root hook's JSON refusal is not STS's).
  fastify.post('/identity/sts', { config: { modelChecked: true } }, sts);
  fastify.post('/identity/sts/', { config: { modelChecked: true } }, sts);
}

async function answerSts(app: App, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const requestId = newRequestId();
  const params = new URLSearchParams((req.raw.url ?? '').split('?')[1] ?? '');
  const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : typeof req.body === 'string' ? req.body : '';
  for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
  reply.header('content-type', 'text/xml').header('x-amzn-requestid', requestId);
  try {
    for (const [k, v] of params) {
      if (k.includes('\0') || v.includes('\0')) throw new StsError('ValidationError', `The parameter ${k.includes('\0') ? 'name' : k} contains a NUL character.`);
    }
    if (params.get('Action') !== 'AssumeRoleWithWebIdentity') {
      throw new StsError('InvalidAction', `Could not find operation ${params.get('Action') ?? ''} for version 2011-06-15`);
    }
    const r = await app.identity.sts.assumeRole({
      roleArn: params.get('RoleArn') ?? undefined,
      roleSessionName: params.get('RoleSessionName') ?? undefined,
      webIdentityToken: params.get('WebIdentityToken') ?? undefined,
      durationSeconds: params.get('DurationSeconds') ?? undefined,
    });
    return reply.code(200).send(resultXml(r, requestId));
  } catch (e) {
    if (!(e instanceof StsError)) throw e;
    return reply
      .code(e.status)
      .send(
        `<ErrorResponse xmlns="${STS_NS}"><Error><Type>Sender</Type><Code>${xml(e.code)}</Code><Message>${xml(e.message)}</Message></Error>` +
          `<RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
  }
}

function resultXml(r: AssumedRole, requestId: string): string {
  const c = r.credentials;
  return (
    `<AssumeRoleWithWebIdentityResponse xmlns="${STS_NS}"><AssumeRoleWithWebIdentityResult>` +
    `<SubjectFromWebIdentityToken>${xml(r.subject)}</SubjectFromWebIdentityToken><Audience>${xml(r.audience)}</Audience>` +
    `<AssumedRoleUser><Arn>${xml(r.assumedRoleArn)}</Arn><AssumedRoleId>${xml(r.assumedRoleId)}</AssumedRoleId></AssumedRoleUser>` +
    `<Credentials><AccessKeyId>${c.accessKeyId}</AccessKeyId><SecretAccessKey>${xml(c.secretKey)}</SecretAccessKey>` +
    `<SessionToken>${xml(c.sessionToken)}</SessionToken><Expiration>${new Date(c.expiresAt).toISOString()}</Expiration></Credentials>` +
    `<Provider>${xml(r.provider)}</Provider></AssumeRoleWithWebIdentityResult>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`
  );
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
