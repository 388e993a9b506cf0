// The AWS services Cognito Sync talks to on an identity pool's behalf: Amazon SNS for push sync and
// Amazon Kinesis for Cognito Streams (identity-and-sync.md B.5). As in Cognito, each call is made
// with the role the pool's configuration names (PushSync.RoleArn, CognitoStreams.RoleArn): Tessera
// assumes it through STS (AssumeRole) with its own credentials and signs the SNS or Kinesis call
// with the temporary credentials it gets back.
//
// Where the calls go: AWS by default (the region of the SNS application ARN; Tessera's region for
// Kinesis and STS), or TESSERA_SNS_ENDPOINT, TESSERA_KINESIS_ENDPOINT and TESSERA_STS_ENDPOINT
// (LocalStack, a test server, any service that speaks the same protocols). Tessera's own
// credentials come from the SDK's default chain; with TESSERA_STS_ENDPOINT set and none found,
// dummy ones are used, as local STS services accept any (aws-credentials.ts).
//
// Assumed credentials are kept per role until five minutes before they expire.
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { credentialsFor } from '../aws-credentials.js';

export interface AwsTargets {
  region: string;
  snsEndpoint?: string;
  kinesisEndpoint?: string;
  stsEndpoint?: string;
}

interface Assumed {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

const SESSION_NAME = 'tessera-cognito-sync';
const DURATION_SECONDS = 3600;
const REFRESH_BEFORE_MS = 5 * 60 * 1000;
/** No delivery may hang: a shutdown waits for the ones under way. */
const HTTP = { connectionTimeout: 5_000, requestTimeout: 10_000 };
const SNS_ARN_REGION = /^arn:[\w-]+:sns:([a-z0-9-]+):/;

export class SyncAws {
  private sts?: STSClient;
  private readonly roles = new Map<string, Promise<Assumed>>();
  private readonly snsClients = new Map<string, SNSClient>();
  private readonly kinesisClients = new Map<string, KinesisClient>();

  constructor(private readonly t: AwsTargets) {}

  /** An SNS client for the region of `applicationArn`, acting as `roleArn`. */
  sns(applicationArn: string, roleArn: string): SNSClient {
    const region = SNS_ARN_REGION.exec(applicationArn)?.[1] ?? this.t.region;
    const key = `${region} ${roleArn}`;
    let c = this.snsClients.get(key);
    if (!c) {
      c = new SNSClient({ region, endpoint: this.t.snsEndpoint, credentials: () => this.assume(roleArn), maxAttempts: 3, requestHandler: HTTP });
      this.snsClients.set(key, c);
    }
    return c;
  }

  /** A Kinesis client in Tessera's region, acting as `roleArn`. */
  kinesis(roleArn: string): KinesisClient {
    let c = this.kinesisClients.get(roleArn);
    if (!c) {
      // HTTP/1.1: the Kinesis client defaults to HTTP/2, which only SubscribeToShard needs and
      // which local Kinesis services on http:// do not all speak.
      c = new KinesisClient({
        region: this.t.region,
        endpoint: this.t.kinesisEndpoint,
        credentials: () => this.assume(roleArn),
        maxAttempts: 3,
        requestHandler: new NodeHttpHandler(HTTP),
      });
      this.kinesisClients.set(roleArn, c);
    }
    return c;
  }

  close(): void {
    for (const c of [...this.snsClients.values(), ...this.kinesisClients.values()]) c.destroy();
    this.sts?.destroy();
    this.snsClients.clear();
    this.kinesisClients.clear();
    this.roles.clear();
  }

  /** The role's temporary credentials, from the cache while they have five minutes left. */
  private assume(roleArn: string): Promise<Assumed> {
    const cached = this.roles.get(roleArn);
    if (cached) {
      return cached.then(
        (c) => (c.expiration.getTime() - Date.now() > REFRESH_BEFORE_MS ? c : this.fresh(roleArn)),
        () => this.fresh(roleArn),
      );
    }
    return this.fresh(roleArn);
  }

  private fresh(roleArn: string): Promise<Assumed> {
    const p = this.stsClient()
      .send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: SESSION_NAME, DurationSeconds: DURATION_SECONDS }))
      .then((out) => {
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) throw new Error('STS AssumeRole returned no credentials');
        return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
      });
    this.roles.set(roleArn, p);
    // A refusal is not kept: the next call asks again.
    p.catch(() => {
      if (this.roles.get(roleArn) === p) this.roles.delete(roleArn);
    });
    return p;
  }

  private stsClient(): STSClient {
    if (!this.sts) {
      this.sts = new STSClient({
        region: this.t.region,
        endpoint: this.t.stsEndpoint,
        maxAttempts: 2,
        requestHandler: HTTP,
        credentials: credentialsFor(this.t.stsEndpoint),
      });
    }
    return this.sts;
  }
}
