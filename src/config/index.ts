// One schema for all of Tessera's settings: read from the environment (and optionally a JSON
// file named by TESSERA_CONFIG_FILE, which the environment overrides), validated once at start.
// An invalid value stops the start with a message naming the variable.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL schema to use (tests give each run its own). */
  databaseSchema?: string;
  publicUrl: string;
  region: string;
  accountId: string;
  adminAccessKeyId?: string;
  adminSecretAccessKey?: string;
  smtpUrl?: string;
  smtpFrom: string;
  lambdaEndpoint?: string;
  stsEndpoint?: string;
  redisUrl?: string;
  /** base64 or hex of 32 bytes; generated in the data folder when absent. */
  masterKey?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  sigv4SkewSeconds: number;
}

export class ConfigError extends Error {}

interface Field {
  env: string;
  key: keyof Config;
  kind: 'string' | 'port' | 'int' | 'url' | 'enum' | 'region';
  values?: readonly string[];
  default?: (c: Partial<Config>) => unknown;
}

const fields: Field[] = [
  { env: 'PORT', key: 'port', kind: 'port', default: () => 9229 },
  { env: 'HOST', key: 'host', kind: 'string', default: () => '127.0.0.1' },
  { env: 'TESSERA_DATA_DIR', key: 'dataDir', kind: 'string', default: () => './.tessera' },
  { env: 'TESSERA_DATABASE_URL', key: 'databaseUrl', kind: 'url' },
  { env: 'TESSERA_DATABASE_SCHEMA', key: 'databaseSchema', kind: 'string' },
  { env: 'TESSERA_PUBLIC_URL', key: 'publicUrl', kind: 'url', default: (c) => `http://localhost:${c.port}` },
  { env: 'TESSERA_REGION', key: 'region', kind: 'region', default: () => 'us-east-1' },
  { env: 'TESSERA_ACCOUNT_ID', key: 'accountId', kind: 'string', default: () => '000000000000' },
  { env: 'TESSERA_ADMIN_ACCESS_KEY_ID', key: 'adminAccessKeyId', kind: 'string' },
  { env: 'TESSERA_ADMIN_SECRET_ACCESS_KEY', key: 'adminSecretAccessKey', kind: 'string' },
  { env: 'TESSERA_SMTP_URL', key: 'smtpUrl', kind: 'url' },
  { env: 'TESSERA_SMTP_FROM', key: 'smtpFrom', kind: 'string', default: () => 'no-reply@tessera.local' },
  { env: 'TESSERA_LAMBDA_ENDPOINT', key: 'lambdaEndpoint', kind: 'url' },
  { env: 'TESSERA_STS_ENDPOINT', key: 'stsEndpoint', kind: 'url' },
  { env: 'TESSERA_REDIS_URL', key: 'redisUrl', kind: 'url' },
  { env: 'TESSERA_MASTER_KEY', key: 'masterKey', kind: 'string' },
  {
    env: 'TESSERA_LOG_LEVEL',
    key: 'logLevel',
    kind: 'enum',
    values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: () => 'info',
  },
  { env: 'TESSERA_BODY_LIMIT_BYTES', key: 'bodyLimitBytes', kind: 'int', default: () => 1024 * 1024 },
  { env: 'TESSERA_SIGV4_SKEW_SECONDS', key: 'sigv4SkewSeconds', kind: 'int', default: () => 300 },
];

/** The variables Tessera reads, for the README and `--help`. */
export const configVariables = fields.map((f) => f.env);

function parseValue(f: Field, raw: unknown): unknown {
  const s = String(raw).trim();
  const bad = (why: string) => new ConfigError(`Invalid ${f.env}=${JSON.stringify(s)}: ${why}`);
  switch (f.kind) {
    case 'string':
      if (!s) throw bad('must not be empty');
      return s;
    case 'port': {
      if (!/^\d+$/.test(s) || Number(s) > 65535) throw bad('must be a port number (0-65535)');
      return Number(s);
    }
    case 'int':
      if (!/^\d+$/.test(s) || Number(s) <= 0) throw bad('must be a positive whole number');
      return Number(s);
    case 'url':
      try {
        new URL(s);
      } catch {
        throw bad('must be a URL');
      }
      return s.replace(/\/+$/, '');
    case 'region':
      if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(s)) throw bad('must look like an AWS region, e.g. us-east-1');
      return s;
    case 'enum':
      if (!f.values!.includes(s)) throw bad(`must be one of ${f.values!.join(', ')}`);
      return s;
  }
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
  }
  const out: Partial<Config> = {};
  for (const f of fields) {
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
  out.dataDir = resolve(out.dataDir!);
  return out as Config;
}
