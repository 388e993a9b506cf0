// A small stand-in for the three AWS services Cognito Sync delivers through, on one local port, each
// speaking its real protocol so that Tessera's AWS SDK clients talk to it unchanged:
//   STS      Query protocol (form POST, XML answer): AssumeRole; the role must be one the test
//            allowed, and each call gets fresh temporary credentials.
//   SNS      Query protocol: CreatePlatformEndpoint (one endpoint per application and token, as SNS
//            does: the same token answers the same ARN) and Publish to an endpoint.
//   Kinesis  JSON 1.1 (X-Amz-Target Kinesis_20131202.*): PutRecord on a stream the test created.
// SNS and Kinesis calls must carry a SigV4 signature made with credentials this STS issued (and
// their session token): the signature is computed again here with @smithy/signature-v4 and a call
// that does not match is refused as AWS refuses it. What arrived is kept for the test to read.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface Issued {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  roleArn: string;
}

export interface Published {
  targetArn: string;
  /** The message as sent (MessageStructure json: one message per platform). */
  message: string;
  messageStructure?: string;
  /** The role whose credentials signed the call. */
  roleArn: string;
}

export interface PutRecord {
  streamName: string;
  partitionKey: string;
  data: unknown;
  roleArn: string;
}

export interface AwsServices {
  url: string;
  /** Roles AssumeRole may hand out. */
  allowRole(roleArn: string): void;
  createStream(name: string): void;
  assumed: { roleArn: string; sessionName: string }[];
  endpoints: Map<string, { applicationArn: string; token: string; customUserData?: string }>;
  published: Published[];
  records: PutRecord[];
  /** Calls refused for their signature (should stay empty). */
  badSignatures: string[];
  /** Makes the next `n` Publish calls fail with SNS's InternalError (500). */
  failPublish(n: number): void;
  /** Deletes an endpoint, as SNS does when its token is found invalid. */
  deleteEndpoint(arn: string): void;
  /** Holds the next PutRecord back for `ms` before storing it. */
  delayNextPut(ms: number): void;
  close(): Promise<void>;
}

export async function startAwsServices(): Promise<AwsServices> {
  const roles = new Set<string>();
  const streams = new Set<string>();
  const issued = new Map<string, Issued>();
  const endpointsByKey = new Map<string, string>();
  let publishFailures = 0;
  let putDelay = 0;
  const s: Omit<AwsServices, 'url' | 'close'> = {
    allowRole: (r) => roles.add(r),
    createStream: (n) => streams.add(n),
    assumed: [],
    endpoints: new Map(),
    published: [],
    records: [],
    badSignatures: [],
    failPublish: (n) => {
      publishFailures = n;
    },
    deleteEndpoint: (arn) => {
      const e = s.endpoints.get(arn);
      if (e) endpointsByKey.delete(`${e.applicationArn} ${e.token}`);
      s.endpoints.delete(arn);
    },
    delayNextPut: (ms) => {
      putDelay = ms;
    },
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      answer(req, body)
        .then((a) => res.writeHead(a.status, { 'content-type': a.type, 'x-amzn-requestid': randomUUID() }).end(a.body))
        .catch((e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(e.message));
    });
  });

  interface Answer {
    status: number;
    type: string;
    body: string;
  }
  const xml = (body: string, status = 200): Answer => ({ status, type: 'text/xml', body });
  const json = (body: unknown, status = 200): Answer => ({ status, type: 'application/x-amz-json-1.1', body: JSON.stringify(body) });

  async function answer(req: IncomingMessage, body: string): Promise<Answer> {
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') return kinesis(req, body, target);
    const form = new URLSearchParams(body);
    const action = form.get('Action');
    if (action === 'AssumeRole') return assumeRole(form);
    if (action === 'CreatePlatformEndpoint' || action === 'Publish') return sns(req, body, form);
    return xml(queryError('Sender', 'InvalidAction', `Unknown action ${action}`), 400);
  }

  function assumeRole(form: URLSearchParams): Answer {
    const roleArn = form.get('RoleArn') ?? '';
    const sessionName = form.get('RoleSessionName') ?? '';
    if (form.get('Version') !== '2011-06-15') return xml(queryError('Sender', 'InvalidAction', 'Unsupported version'), 400);
    if (!roles.has(roleArn)) return xml(queryError('Sender', 'AccessDenied', `Not authorized to perform sts:AssumeRole on ${roleArn}`), 403);
    const c: Issued = {
      accessKeyId: 'ASIA' + randomBytes(8).toString('hex').toUpperCase(),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(48).toString('base64'),
      roleArn,
    };
    issued.set(c.accessKeyId, c);
    s.assumed.push({ roleArn, sessionName });
    const expiration = new Date(Date.now() + Number(form.get('DurationSeconds') ?? 3600) * 1000).toISOString();
    return xml(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><Arn>arn:aws:sts::000000000000:assumed-role/${roleArn.split('/').pop()}/${sessionName}</Arn><AssumedRoleId>AROA${randomBytes(8).toString('hex').toUpperCase()}:${sessionName}</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${c.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${c.secretAccessKey}</SecretAccessKey>
      <SessionToken>${c.sessionToken}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>
</AssumeRoleResponse>`);
  }

  async function sns(req: IncomingMessage, body: string, form: URLSearchParams): Promise<Answer> {
    // SNS is called in the region of the ARN it acts on.
    const arnRegion = /^arn:aws:sns:([a-z0-9-]+):/.exec(form.get('PlatformApplicationArn') ?? form.get('TargetArn') ?? '')?.[1];
    const signer = await verify(req, body, 'sns', arnRegion);
    if (!signer) return xml(queryError('Sender', 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'), 403);
    if (form.get('Action') === 'CreatePlatformEndpoint') {
      const applicationArn = form.get('PlatformApplicationArn') ?? '';
      const token = form.get('Token') ?? '';
      const key = `${applicationArn} ${token}`;
      let arn = endpointsByKey.get(key);
      if (!arn) {
        arn = applicationArn.replace(':app/', ':endpoint/') + '/' + randomUUID();
        endpointsByKey.set(key, arn);
        s.endpoints.set(arn, { applicationArn, token, customUserData: form.get('CustomUserData') ?? undefined });
      }
      return xml(`<CreatePlatformEndpointResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <CreatePlatformEndpointResult><EndpointArn>${arn}</EndpointArn></CreatePlatformEndpointResult>
  <ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>
</CreatePlatformEndpointResponse>`);
    }
    if (publishFailures > 0) {
      publishFailures--;
      return xml(queryError('Receiver', 'InternalError', 'Internal failure'), 500);
    }
    const targetArn = form.get('TargetArn') ?? '';
    if (!s.endpoints.has(targetArn)) return xml(queryError('Sender', 'NotFound', 'Endpoint does not exist'), 404);
    s.published.push({ targetArn, message: form.get('Message') ?? '', messageStructure: form.get('MessageStructure') ?? undefined, roleArn: signer.roleArn });
    return xml(`<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult>
  <ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>
</PublishResponse>`);
  }

  async function kinesis(req: IncomingMessage, body: string, target: string): Promise<Answer> {
    const signer = await verify(req, body, 'kinesis');
    if (!signer) return json({ __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }, 400);
    if (target !== 'Kinesis_20131202.PutRecord') return json({ __type: 'UnknownOperationException' }, 400);
    const input = JSON.parse(body) as { StreamName?: string; PartitionKey?: string; Data?: string };
    if (!input.StreamName || !streams.has(input.StreamName)) {
      return json({ __type: 'ResourceNotFoundException', message: `Stream ${input.StreamName} under account 000000000000 not found.` }, 400);
    }
    const data = JSON.parse(Buffer.from(input.Data ?? '', 'base64').toString('utf8')) as unknown;
    if (putDelay) {
      const ms = putDelay;
      putDelay = 0;
      await new Promise((r) => setTimeout(r, ms));
    }
    s.records.push({ streamName: input.StreamName, partitionKey: input.PartitionKey ?? '', data, roleArn: signer.roleArn });
    return json({ ShardId: 'shardId-000000000000', SequenceNumber: String(Date.now()) + String(s.records.length).padStart(6, '0') });
  }

  /** The issued credentials that signed the request, when its SigV4 signature checks out. */
  async function verify(req: IncomingMessage, body: string, service: string, region?: string): Promise<Issued | undefined> {
    const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      req.headers.authorization ?? '',
    );
    const creds = auth && issued.get(auth[1]);
    if (!auth || !creds || auth[4] !== service || (region && auth[3] !== region) || req.headers['x-amz-security-token'] !== creds.sessionToken) {
      s.badSignatures.push(`${service}: ${req.headers.authorization ?? 'unsigned'}`);
      return undefined;
    }
    const signed = auth[5].split(';');
    const headers: Record<string, string> = {};
    for (const h of signed) if (h !== 'x-amz-date' && h !== 'x-amz-security-token') headers[h] = String(req.headers[h] ?? '');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const request = new HttpRequest({
      method: req.method,
      protocol: 'http:',
      hostname: String(req.headers.host).split(':')[0],
      port: Number(String(req.headers.host).split(':')[1]) || undefined,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    });
    const signer = new SignatureV4({ credentials: creds, region: auth[3], service, sha256: Sha256, applyChecksum: false });
    const amzDate = String(req.headers['x-amz-date']);
    const date = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
    const again = await signer.sign(request, { signingDate: date });
    const expected = /Signature=([0-9a-f]{64})/.exec(String(again.headers.authorization))?.[1];
    if (expected !== auth[6]) {
      s.badSignatures.push(`${service}: signature mismatch`);
      return undefined;
    }
    return creds;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { ...s, url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) } as AwsServices;
}

function queryError(type: string, code: string, message: string): string {
  return `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${message.replace(/[<&>]/g, ' ')}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}
