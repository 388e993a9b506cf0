// One schema for all of Tessera's settings: read from the environment (and optionally a JSON
// file named by TESSERA_CONFIG_FILE, which the environment overrides), validated once at start.
// An invalid value stops the start with a message naming the variable (main exits with code 2).
// The README's configuration table is generated from `configFields` (scripts/gen-readme.ts).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL schema to use (tests give each run its own). */
  databaseSchema?: string;
  /** PostgreSQL: run data statements as named prepared statements (src/store/pg-prepared.ts). */
  databasePreparedStatements: boolean;
  /** PostgreSQL: connections in the pool. */
  databasePoolSize: number;
  publicUrl: string;
  region: string;
  /** Further regions that SigV4 credential scopes may name (clients configured for another region). */
  extraRegions: string[];
  accountId: string;
  adminAccessKeyId?: string;
  adminSecretAccessKey?: string;
  smtpUrl?: string;
  smtpFrom: string;
  lambdaEndpoint?: string;
  /** base64 or hex of 32 bytes: encrypts the code custom sender triggers receive. */
  customSenderKey?: string;
  kmsEndpoint?: string;
  stsEndpoint?: string;
  /** Cognito Sync push sync: an SNS-compatible endpoint instead of AWS SNS. */
  snsEndpoint?: string;
  /** Cognito Streams: a Kinesis-compatible endpoint instead of AWS Kinesis. */
  kinesisEndpoint?: string;
  /** Log export (SetLogDeliveryConfiguration): service endpoints instead of AWS's. */
  cloudWatchLogsEndpoint?: string;
  firehoseEndpoint?: string;
  s3Endpoint?: string;
  redisUrl?: string;
  /** base64 or hex of 32 bytes; generated in the data folder when absent. */
  masterKey?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  sigv4SkewSeconds: number;
  /** Trust X-Forwarded-For / -Proto from a reverse proxy in front. */
  trustProxy: boolean;
  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  shutdownGraceSeconds: number;
  /** Admin credentials for the upstream user pools that pools migrate from (`tessera:migrate-from`). */
  migrateAccessKeyId?: string;
  migrateSecretAccessKey?: string;
  /** How long audit events are kept before the periodic purge deletes them. */
  auditRetentionDays: number;
  /** Identity pools: real provider origin -> where to reach it instead (tests, proxies). */
  identityProviderEndpoints: Record<string, string>;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Kind = 'string' | 'port' | 'int' | 'url' | 'enum' | 'region' | 'regions' | 'bool' | 'key32' | 'schema' | 'origin-map';

export interface ConfigField {
  env: string;
  key: keyof Config;
  kind: Kind;
  values?: readonly string[];
  /** Computes the default from the fields read before it. */
  default?: (c: Partial<Config>) => unknown;
  /** The default as the README shows it. */
  defaultDoc?: string;
  /** What the variable does (one line, for the README table). */
  doc: string;
  /** Never echoed in error messages. */
  secret?: boolean;
}

export const configFields: readonly ConfigField[] = [
  { env: 'PORT', key: 'port', kind: 'port', default: () => 9229, defaultDoc: '`9229`', doc: 'TCP port to listen on (`0` picks a free one; the log names it)' },
  { env: 'HOST', key: 'host', kind: 'string', default: () => '127.0.0.1', defaultDoc: '`127.0.0.1`', doc: 'address to listen on (`0.0.0.0` for all interfaces)' },
  { env: 'TESSERA_DATA_DIR', key: 'dataDir', kind: 'string', default: () => './.tessera', defaultDoc: '`./.tessera`', doc: 'folder of the embedded SQLite database and of generated keys and credentials' },
  { env: 'TESSERA_DATABASE_URL', key: 'databaseUrl', kind: 'url', secret: true, doc: '`postgres://user:password@host:5432/db`: use PostgreSQL instead of SQLite (migrations run at start)' },
  { env: 'TESSERA_DATABASE_SCHEMA', key: 'databaseSchema', kind: 'schema', doc: 'PostgreSQL schema to use, created when missing', defaultDoc: 'the connection\'s `search_path`' },
  { env: 'TESSERA_DATABASE_PREPARED_STATEMENTS', key: 'databasePreparedStatements', kind: 'bool', default: () => true, defaultDoc: '`true`', doc: 'PostgreSQL: run queries as named prepared statements (planned once per connection); `false` behind a pooler in transaction mode that does not keep them (PgBouncer before 1.21)' },
  { env: 'TESSERA_DATABASE_POOL_SIZE', key: 'databasePoolSize', kind: 'int', default: () => 10, defaultDoc: '`10`', doc: 'PostgreSQL: connections in this process\'s pool (one more while cognito-sync changes are watched): its share of the server\'s `max_connections` or of a pooler\'s' },
  { env: 'TESSERA_PUBLIC_URL', key: 'publicUrl', kind: 'url', default: (c) => `http://localhost:${c.port}`, defaultDoc: '`http://localhost:$PORT`', doc: 'external base URL (token issuers, links in messages)' },
  { env: 'TESSERA_REGION', key: 'region', kind: 'region', default: () => 'us-east-1', defaultDoc: '`us-east-1`', doc: 'region in pool ids and ARNs, and accepted in SigV4 scopes' },
  { env: 'TESSERA_EXTRA_REGIONS', key: 'extraRegions', kind: 'regions', default: () => [], defaultDoc: 'none', doc: 'comma-separated further regions accepted in SigV4 credential scopes' },
  { env: 'TESSERA_ACCOUNT_ID', key: 'accountId', kind: 'string', default: () => '000000000000', defaultDoc: '`000000000000`', doc: 'account id in ARNs' },
  { env: 'TESSERA_ADMIN_ACCESS_KEY_ID', key: 'adminAccessKeyId', kind: 'string', defaultDoc: 'generated on first start', doc: 'access key id accepted on SigV4-signed calls (set both or neither)' },
  { env: 'TESSERA_ADMIN_SECRET_ACCESS_KEY', key: 'adminSecretAccessKey', kind: 'string', secret: true, defaultDoc: 'generated on first start', doc: 'its secret access key' },
  { env: 'TESSERA_SMTP_URL', key: 'smtpUrl', kind: 'url', secret: true, defaultDoc: 'dev outbox', doc: '`smtp://user:pass@host:port` or `smtps://…`: where e-mail goes (`?starttls=true` to upgrade)' },
  { env: 'TESSERA_SMTP_FROM', key: 'smtpFrom', kind: 'string', default: () => 'no-reply@tessera.local', defaultDoc: '`no-reply@tessera.local`', doc: 'sender address when the pool names none' },
  { env: 'TESSERA_LAMBDA_ENDPOINT', key: 'lambdaEndpoint', kind: 'url', defaultDoc: 'AWS Lambda of the function\'s region', doc: 'base URL of a Lambda Invoke API for the pools\' Lambda triggers (SAM local, LocalStack, ...)' },
  { env: 'TESSERA_CUSTOM_SENDER_KEY', key: 'customSenderKey', kind: 'key32', secret: true, defaultDoc: 'none: the pool\'s KMS key, as Cognito', doc: '32 bytes, hex or base64: encrypts the `code` of CustomEmailSender / CustomSMSSender events with this key instead of KMS (README "Triggers")' },
  { env: 'TESSERA_KMS_ENDPOINT', key: 'kmsEndpoint', kind: 'url', defaultDoc: 'AWS KMS of the key\'s region', doc: 'base URL of a KMS API (LocalStack, local-kms, ...): the data keys of custom sender codes come from its GenerateDataKey' },
  { env: 'TESSERA_STS_ENDPOINT', key: 'stsEndpoint', kind: 'url', defaultDoc: 'Tessera issues the credentials; AWS STS for push sync and streams', doc: 'STS endpoint: identity-pool credentials come from its AssumeRoleWithWebIdentity, as in Cognito; push sync and Cognito Streams assume their roles there (AssumeRole)' },
  { env: 'TESSERA_SNS_ENDPOINT', key: 'snsEndpoint', kind: 'url', defaultDoc: 'AWS SNS of the application\'s region', doc: 'SNS-compatible endpoint for Cognito Sync push sync (LocalStack, ...)' },
  { env: 'TESSERA_KINESIS_ENDPOINT', key: 'kinesisEndpoint', kind: 'url', defaultDoc: 'AWS Kinesis of `TESSERA_REGION`', doc: 'Kinesis-compatible endpoint for Cognito Streams (LocalStack, kinesalite, ...)' },
  { env: 'TESSERA_CLOUDWATCH_LOGS_ENDPOINT', key: 'cloudWatchLogsEndpoint', kind: 'url', defaultDoc: 'AWS CloudWatch Logs of the log group\'s region', doc: 'CloudWatch Logs-compatible endpoint for user pool log export (SetLogDeliveryConfiguration)' },
  { env: 'TESSERA_FIREHOSE_ENDPOINT', key: 'firehoseEndpoint', kind: 'url', defaultDoc: 'AWS Data Firehose of the stream\'s region', doc: 'Firehose-compatible endpoint for user pool log export' },
  { env: 'TESSERA_S3_ENDPOINT', key: 's3Endpoint', kind: 'url', defaultDoc: 'AWS S3', doc: 'S3-compatible endpoint for user pool log export (path-style requests)' },
  { env: 'TESSERA_REDIS_URL', key: 'redisUrl', kind: 'url', secret: true, doc: 'Redis URL (reserved: not used yet; counters live in the database)' },
  { env: 'TESSERA_MASTER_KEY', key: 'masterKey', kind: 'key32', secret: true, defaultDoc: 'generated in the data folder', doc: '32 bytes, hex or base64: encrypts secrets at rest' },
  { env: 'TESSERA_LOG_LEVEL', key: 'logLevel', kind: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: () => 'info', defaultDoc: '`info`', doc: 'JSON log level: fatal, error, warn, info, debug, trace or silent' },
  { env: 'TESSERA_BODY_LIMIT_BYTES', key: 'bodyLimitBytes', kind: 'int', default: () => 1024 * 1024, defaultDoc: '`1048576`', doc: 'largest request body; larger ones get 413 RequestEntityTooLargeException' },
  { env: 'TESSERA_SIGV4_SKEW_SECONDS', key: 'sigv4SkewSeconds', kind: 'int', default: () => 300, defaultDoc: '`300`', doc: 'how far X-Amz-Date may be from the server clock' },
  { env: 'TESSERA_TRUST_PROXY', key: 'trustProxy', kind: 'bool', default: () => false, defaultDoc: '`false`', doc: '`true` behind one reverse proxy: the client address is the last X-Forwarded-For entry (the one the proxy added), the scheme from X-Forwarded-Proto' },
  { env: 'TESSERA_SHUTDOWN_GRACE_SECONDS', key: 'shutdownGraceSeconds', kind: 'int', default: () => 25, defaultDoc: '`25`', doc: 'on SIGTERM, how long in-flight requests may take before the process exits anyway' },
  { env: 'TESSERA_MIGRATE_ACCESS_KEY_ID', key: 'migrateAccessKeyId', kind: 'string', defaultDoc: 'none: public InitiateAuth', doc: 'access key id for the upstream pools of lazy migration (`tessera:migrate-from` tag): AdminInitiateAuth, AdminGetUser, DescribeUserPoolClient' },
  { env: 'TESSERA_MIGRATE_SECRET_ACCESS_KEY', key: 'migrateSecretAccessKey', kind: 'string', secret: true, defaultDoc: 'none', doc: 'its secret access key (set both or neither)' },
  { env: 'TESSERA_AUDIT_RETENTION_DAYS', key: 'auditRetentionDays', kind: 'int', default: () => 90, defaultDoc: '`90`', doc: 'days audit events (sign-ins, sign-outs, password and MFA changes, admin actions) are kept' },
  { env: 'TESSERA_IDENTITY_PROVIDER_ENDPOINTS', key: 'identityProviderEndpoints', kind: 'origin-map', default: () => ({}), defaultDoc: 'none: the providers\' real endpoints', doc: 'JSON object `{"https://accounts.google.com": "http://127.0.0.1:8443", ...}`: where Tessera reaches a social provider\'s origin instead, for user-pool federation and identity-pool logins alike (Google, Apple, Facebook, Login with Amazon, OIDC issuers of identity pools; for test doubles or an egress proxy)' },
];

/** The variables Tessera reads, for the README and `--help`. */
export const configVariables = configFields.map((f) => f.env);

const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** A value fit for an error message: secrets are not shown, URLs lose their password. */
function shown(f: ConfigField, s: string): string {
  if (f.kind === 'url') {
    try {
      const u = new URL(s);
      if (u.password) u.password = '***';
      return JSON.stringify(u.toString());
    } catch {
      return f.secret ? '(hidden)' : JSON.stringify(s);
    }
  }
  return f.secret ? '(hidden)' : JSON.stringify(s);
}

function parseValue(f: ConfigField, raw: unknown): unknown {
  const s = String(raw).trim();
  const bad = (why: string) => new ConfigError(`Invalid ${f.env}=${shown(f, s)}: ${why}`);
  switch (f.kind) {
    case 'string':
      if (!s) throw bad('must not be empty');
      return s;
    case 'port':
      if (!/^\d+$/.test(s) || Number(s) > 65535) throw bad('must be a port number (0-65535)');
      return Number(s);
    case 'int':
      if (!/^\d+$/.test(s) || Number(s) <= 0 || !Number.isSafeInteger(Number(s))) throw bad('must be a positive whole number');
      return Number(s);
    case 'bool':
      if (!/^(true|false|1|0)$/i.test(s)) throw bad('must be true or false');
      return /^(true|1)$/i.test(s);
    case 'url': {
      let u: URL;
      try {
        u = new URL(s);
      } catch {
        throw bad('must be a URL');
      }
      // A PostgreSQL URL may name a Unix socket instead of a host (postgres:///db?host=/run/postgresql).
      if (!u.host && !/^postgres(ql)?:$/.test(u.protocol)) throw bad('must be a URL with a host');
      return s.replace(/\/+$/, '');
    }
    case 'region':
      if (!REGION_RE.test(s)) throw bad('must look like an AWS region, e.g. us-east-1');
      return s;
    case 'regions': {
      const list = s.split(',').map((r) => r.trim()).filter(Boolean);
      const wrong = list.find((r) => !REGION_RE.test(r));
      if (wrong) throw bad(`'${wrong}' does not look like an AWS region, e.g. eu-west-1`);
      return list;
    }
    case 'key32': {
      const k = /^[0-9a-f]{64}$/i.test(s) ? Buffer.from(s, 'hex') : /^[A-Za-z0-9+/]+={0,2}$/.test(s) ? Buffer.from(s, 'base64') : undefined;
      if (!k || k.length !== 32) throw bad('must be 32 bytes, as 64 hex digits or base64');
      return s;
    }
    case 'schema':
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(s)) throw bad('must be a lower-case SQL identifier (letters, digits, _)');
      return s;
    case 'enum':
      if (!f.values!.includes(s)) throw bad(`must be one of ${f.values!.join(', ')}`);
      return s;
    case 'origin-map':
      return parseOriginMap(raw, bad);
  }
}

/** `{ "https://origin": "http(s)://replacement" }` from JSON text (or an object in the config file). */
function parseOriginMap(raw: unknown, bad: (why: string) => ConfigError): Record<string, string> {
  let obj: unknown = raw;
  if (typeof raw === 'string') {
    try {
      obj = JSON.parse(raw);
    } catch {
      throw bad('must be a JSON object of origin -> URL');
    }
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw bad('must be a JSON object of origin -> URL');
  const out: Record<string, string> = {};
  for (const [from, to] of Object.entries(obj)) {
    let origin: URL;
    let target: URL;
    try {
      origin = new URL(from);
      target = new URL(String(to));
    } catch {
      throw bad(`'${from}' and its value must both be URLs`);
    }
    if (origin.origin !== from.replace(/\/+$/, '') || !/^https?:$/.test(origin.protocol)) throw bad(`'${from}' must be an origin such as https://accounts.google.com`);
    if (!/^https?:$/.test(target.protocol)) throw bad(`the value of '${from}' must be an http:// or https:// URL`);
    out[origin.origin] = String(to).replace(/\/+$/, '');
  }
  return out;
}

/** Reads and validates the configuration. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  let file: Record<string, unknown> = {};
  if (env.TESSERA_CONFIG_FILE) {
    try {
      file = JSON.parse(readFileSync(env.TESSERA_CONFIG_FILE, 'utf8'));
    } catch (e) {
      throw new ConfigError(`Invalid TESSERA_CONFIG_FILE: ${(e as Error).message}`);
    }
    if (typeof file !== 'object' || file === null || Array.isArray(file)) {
      throw new ConfigError('Invalid TESSERA_CONFIG_FILE: must hold a JSON object');
    }
  }
  const out: Partial<Config> = {};
  for (const f of configFields) {
    const raw = env[f.env] ?? file[f.env] ?? file[f.key];
    if (raw !== undefined && raw !== '') (out as Record<string, unknown>)[f.key] = parseValue(f, raw);
    else if (f.default) (out as Record<string, unknown>)[f.key] = f.default(out);
  }
  if (!!out.adminAccessKeyId !== !!out.adminSecretAccessKey) {
    throw new ConfigError(
      'Invalid TESSERA_ADMIN_ACCESS_KEY_ID / TESSERA_ADMIN_SECRET_ACCESS_KEY: set both or neither',
    );
  }
  if (out.databaseUrl && !/^postgres(ql)?:\/\//.test(out.databaseUrl)) {
    throw new ConfigError(`Invalid TESSERA_DATABASE_URL: only postgres:// URLs are supported`);
  }
  if (out.smtpUrl && !/^smtps?:\/\//.test(out.smtpUrl)) {
    throw new ConfigError(`Invalid TESSERA_SMTP_URL: must be smtp:// or smtps://`);
  }
  if (out.publicUrl && !/^https?:\/\//.test(out.publicUrl)) {
    throw new ConfigError(`Invalid TESSERA_PUBLIC_URL=${JSON.stringify(out.publicUrl)}: must be an http:// or https:// URL`);
  }
  out.dataDir = resolve(out.dataDir!);
  return out as Config;
}
