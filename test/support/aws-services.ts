// A small stand-in for the AWS services Tessera delivers to (Cognito Sync's three, and the log
// export's CloudWatch Logs, Firehose and S3), on one local port, each speaking its real protocol so
// that Tessera's AWS SDK clients talk to it unchanged:
//   STS      Query protocol (form POST, XML answer): AssumeRole; the role must be one the test
//            allowed, and each call gets fresh temporary credentials.
//   SNS      Query protocol: CreatePlatformEndpoint (one endpoint per application and token, as SNS
//            does: the same token answers the same ARN) and Publish to an endpoint.
//   Kinesis  JSON 1.1 (X-Amz-Target Kinesis_20131202.*): PutRecord on a stream the test created.
//   CloudWatch Logs  JSON 1.1 (Logs_20140328.*): CreateLogStream, PutLogEvents in a log group the
//            test created.
//   Firehose JSON 1.1 (Firehose_20150804.PutRecordBatch) to a delivery stream the test created.
//   S3       REST, path-style: PutObject into a bucket the test created.
// SNS and Kinesis calls must carry a SigV4 signature made with credentials this STS issued (and
// their session token); the log export's, one made with a key pair the test accepted. The
// signature is computed again here with @smithy/signature-v4 and a call that does not match is
// refused as AWS refuses it. What arrived is kept for the test to read.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { signatureMatches } from './sigv4-check.js';

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

export interface LogEvent {
  logGroup: string;
  logStream: string;
  timestamp: number;
  message: string;
}

export interface AwsServices {
  url: string;
  /** Long-term credentials the log-export services accept (Tessera's own). */
  acceptKey(accessKeyId: string, secretAccessKey: string): void;
  /** A log group, in `region` (us-east-1 by default): calls about it must be signed for that region. */
  createLogGroup(name: string, region?: string): void;
  createDeliveryStream(name: string, region?: string): void;
  createBucket(name: string): void;
  logEvents: LogEvent[];
  /** Firehose records, as the data bytes (utf-8). */
  firehoseRecords: { stream: string; data: string }[];
  objects: { bucket: string; key: string; body: string; contentType?: string }[];
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
  const accepted = new Map<string, string>();
  const logGroups = new Map<string, { region: string; streams: Set<string> }>();
  const deliveryStreams = new Map<string, string>();
  const buckets = new Set<string>();
  const endpointsByKey = new Map<string, string>();
  let publishFailures = 0;
  let putDelay = 0;
  const s: Omit<AwsServices, 'url' | 'close'> = {
    acceptKey: (id, secret) => accepted.set(id, secret),
    createLogGroup: (n, region = 'us-east-1') => logGroups.set(n, { region, streams: new Set() }),
    createDeliveryStream: (n, region = 'us-east-1') => deliveryStreams.set(n, region),
    createBucket: (n) => buckets.add(n),
    logEvents: [],
    firehoseRecords: [],
    objects: [],
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
    if (typeof target === 'string' && target.startsWith('Logs_20140328.')) return cloudWatchLogs(req, body, target);
    if (typeof target === 'string' && target.startsWith('Firehose_20150804.')) return firehose(req, body, target);
    if (typeof target === 'string') return kinesis(req, body, target);
    if (req.method === 'PUT') return s3Put(req, body);
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

  async function cloudWatchLogs(req: IncomingMessage, body: string, target: string): Promise<Answer> {
    const input = JSON.parse(body) as { logGroupName?: string; logStreamName?: string; logEvents?: { timestamp: number; message: string }[] };
    const found = logGroups.get(input.logGroupName ?? '');
    // A group lives in one region: a call signed for another is refused (as AWS would not find it there).
    if (!(await verify(req, body, 'logs', found?.region ?? 'us-east-1', 'accepted'))) {
      return json({ __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }, 400);
    }
    if (!found) return json({ __type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' }, 400);
    const group = found.streams;
    if (target === 'Logs_20140328.CreateLogStream') {
      if (group.has(input.logStreamName ?? '')) return json({ __type: 'ResourceAlreadyExistsException', message: 'The specified log stream already exists' }, 400);
      group.add(input.logStreamName ?? '');
      return json({});
    }
    if (target !== 'Logs_20140328.PutLogEvents') return json({ __type: 'UnknownOperationException' }, 400);
    if (!group.has(input.logStreamName ?? '')) return json({ __type: 'ResourceNotFoundException', message: 'The specified log stream does not exist.' }, 400);
    const events = input.logEvents ?? [];
    if (events.some((e, i) => i > 0 && e.timestamp < events[i - 1]!.timestamp)) {
      return json({ __type: 'InvalidParameterException', message: 'Log events in a single PutLogEvents request must be in chronological order.' }, 400);
    }
    for (const e of events) s.logEvents.push({ logGroup: input.logGroupName!, logStream: input.logStreamName!, timestamp: e.timestamp, message: e.message });
    return json({ nextSequenceToken: String(s.logEvents.length) });
  }

  async function firehose(req: IncomingMessage, body: string, target: string): Promise<Answer> {
    const input = JSON.parse(body) as { DeliveryStreamName?: string; Records?: { Data: string }[] };
    if (!(await verify(req, body, 'firehose', deliveryStreams.get(input.DeliveryStreamName ?? '') ?? 'us-east-1', 'accepted'))) {
      return json({ __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }, 400);
    }
    if (target !== 'Firehose_20150804.PutRecordBatch') return json({ __type: 'UnknownOperationException' }, 400);
    if (!deliveryStreams.has(input.DeliveryStreamName ?? '')) return json({ __type: 'ResourceNotFoundException', message: `Firehose ${input.DeliveryStreamName} not found.` }, 400);
    const records = input.Records ?? [];
    for (const r of records) s.firehoseRecords.push({ stream: input.DeliveryStreamName!, data: Buffer.from(r.Data, 'base64').toString('utf8') });
    return json({ FailedPutCount: 0, Encrypted: false, RequestResponses: records.map(() => ({ RecordId: randomUUID() })) });
  }

  async function s3Put(req: IncomingMessage, body: string): Promise<Answer> {
    const error = (code: string, message: string, status: number): Answer => ({ status, type: 'application/xml', body: `<Error><Code>${code}</Code><Message>${message}</Message></Error>` });
    if (!(await verify(req, body, 's3', undefined, 'accepted'))) return error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.', 403);
    // S3 signs the payload hash the client states: it must be the body's.
    const stated = String(req.headers['x-amz-content-sha256'] ?? '');
    if (/^[0-9a-f]{64}$/.test(stated) && stated !== createHash('sha256').update(body).digest('hex')) {
      s.badSignatures.push('s3: payload hash mismatch');
      return error('XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.', 400);
    }
    const [, bucket, ...key] = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname).split('/');
    if (!bucket || !buckets.has(bucket)) return error('NoSuchBucket', 'The specified bucket does not exist', 404);
    s.objects.push({ bucket, key: key.join('/'), body, contentType: req.headers['content-type'] });
    return { status: 200, type: 'application/xml', body: '' };
  }

  /** The credentials that signed the request, when its SigV4 signature checks out. */
  async function verify(req: IncomingMessage, body: string, service: string, region?: string, kind: 'issued' | 'accepted' = 'issued'): Promise<Issued | undefined> {
    const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      req.headers.authorization ?? '',
    );
    const secret = auth && kind === 'accepted' ? accepted.get(auth[1]) : undefined;
    const creds = auth && (kind === 'issued' ? issued.get(auth[1]) : secret ? { accessKeyId: auth[1], secretAccessKey: secret, sessionToken: '', roleArn: '' } : undefined);
    if (!auth || !creds || auth[4] !== service || (region && auth[3] !== region) || (kind === 'issued' && req.headers['x-amz-security-token'] !== creds.sessionToken)) {
      s.badSignatures.push(`${service}: ${req.headers.authorization ?? 'unsigned'}`);
      return undefined;
    }
    if (!(await signatureMatches(req, body, kind === 'issued' ? creds : { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey }))) {
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
