// startServer(): a real Tessera (real HTTP server, real store) on a free port, for tests that
// drive it with the real clients. Each server gets its own data folder and, on PostgreSQL, its
// own schema, so tests are independent and can run in parallel.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createApp, type App, type AppOverrides } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { createLogger } from '../../src/logger.js';
import { loadRegistry, type Registry } from '../../src/operations/registry.js';
import { buildServer } from '../../src/server.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export type Engine = 'sqlite' | 'postgres';

export const ADMIN = { accessKeyId: 'AKIDTESSERATEST', secretAccessKey: 'tessera-test-secret-key' };

/** The engines tests run on: SQLite always, PostgreSQL when TESSERA_TEST_PG names a server. */
export const engines: Engine[] = process.env.TESSERA_TEST_PG ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestServer {
  url: string;
  port: number;
  app: App;
  config: Config;
  /** SDK v3 client signed with the admin credentials. */
  idp: CognitoIdentityProviderClient;
  close(): Promise<void>;
}

let registry: Registry | undefined;

export interface StartOptions extends AppOverrides {
  engine?: Engine;
  env?: Record<string, string>;
  /** Reuse an existing data folder / PostgreSQL schema (a second process over one store). */
  dataDir?: string;
  schema?: string;
  /** Serve these operation handlers instead of src/operations (a test that needs a failing one). */
  registry?: Registry;
}

export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  const engine = opts.engine ?? 'sqlite';
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'tessera-test-'));
  const schema = engine === 'postgres' ? (opts.schema ?? `t_${randomBytes(6).toString('hex')}`) : undefined;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    TESSERA_DATA_DIR: dataDir,
    TESSERA_ADMIN_ACCESS_KEY_ID: ADMIN.accessKeyId,
    TESSERA_ADMIN_SECRET_ACCESS_KEY: ADMIN.secretAccessKey,
    TESSERA_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    TESSERA_LOG_LEVEL: process.env.TESSERA_TEST_LOG ?? 'silent',
    ...(engine === 'postgres' ? { TESSERA_DATABASE_URL: process.env.TESSERA_TEST_PG!, TESSERA_DATABASE_SCHEMA: schema! } : {}),
    ...(opts.env ?? {}),
  });
  const log = createLogger(config);
  const app = await createApp(config, { strictErrors: true, log, ...opts });
  registry ??= await loadRegistry();
  const server = await buildServer(app, opts.registry ?? registry);
  await server.listen({ port: 0, host: '127.0.0.1' });
  const port = (server.server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  app.config.publicUrl = opts.env?.TESSERA_PUBLIC_URL ?? url;
  const idp = new CognitoIdentityProviderClient({
    region: config.region,
    endpoint: url,
    credentials: ADMIN,
    maxAttempts: 1,
  });
  return {
    url,
    port,
    app,
    config,
    idp,
    async close() {
      idp.destroy();
      await server.close();
      await app.close();
      if (schema && !opts.schema) await dropSchema(schema);
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: process.env.TESSERA_TEST_PG });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
}

/** An unsigned SDK client, as browsers and apps use for the public operations. */
export function publicClient(url: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: url,
    maxAttempts: 1,
    // Public operations are sent unsigned whatever the credentials; these are never used.
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
}
