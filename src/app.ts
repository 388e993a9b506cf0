// The services one Tessera process runs with, built once from the configuration. Operations reach
// the domain through `app`; tests build one with their own clock or senders.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config/index.js';
import { createLogger } from './logger.js';
import { Sealer } from './crypto/sealed.js';
import { KeyedHash } from './crypto/keyed-hash.js';
import { randomString } from './ids.js';
import { OutboxSender, SmtpSender, type EmailSender, type SmsSender } from './messaging/senders.js';
import type { Credential, CredentialLookup } from './protocol/sigv4.js';
import { openStore, type Store } from './store/store.js';
import { UserPools } from './userpools/pools.js';
import { Users } from './userpools/users.js';
import { Groups } from './userpools/groups.js';
import { SignIn } from './auth/sign-in.js';
import { Tokens } from './tokens/tokens.js';
import { CryptoWorkers } from './crypto/workers.js';
import { Messages, composeFromTemplates } from './messaging/messages.js';
import { Triggers } from './triggers/triggers.js';
import { IdentityService } from './identity/service.js';
import { Sync } from './sync/index.js';
import { Terms } from './terms/terms.js';
import { RiskConfigurations } from './auth/risk.js';
import { OAuth } from './oauth/service.js';
import { ImportJobs } from './import/jobs.js';
import { Audit } from './audit/audit.js';
import { LogDelivery } from './log-delivery/log-delivery.js';
import { exportAuditEvent, exportDeliveryFailure } from './log-delivery/events.js';

export interface App {
  config: Config;
  store: Store;
  clock: Clock;
  sealer: Sealer;
  log: Logger;
  email: EmailSender;
  sms: SmsSender;
  /** Finds the secret of a SigV4 access key: the admin keys, then identity credentials Tessera issued. */
  credentials: CredentialLookup;
  pools: UserPools;
  users: Users;
  groups: Groups;
  /** Sign-in (src/auth): the crypto worker pool (SRP and signatures), lockout limits, stand-ins for unknown users. */
  auth: SignIn;
  /**
   * Tokens of the user pools (src/tokens/tokens.ts): issueForSignIn, refresh, verifyAccessToken,
   * signOutUser, revokeRefreshToken, rotateKeys, jwks.
   */
  tokens: Tokens;
  messages: Messages;
  /** Lambda triggers of user pools (src/triggers): invokers, webhook secrets, one method per trigger. */
  triggers: Triggers;
  /** Identity pools (cognito-identity): pools, identities, OpenID tokens, credentials. */
  identity: IdentityService;
  /** Cognito Sync: datasets, records, usage, pool settings, push devices, change events. */
  sync: Sync;
  /** Hosted UI and OAuth (src/oauth): domains, resource servers, UI customization, branding. */
  oauth: OAuth;
  /** User import jobs (src/import): CreateUserImportJob & co., the upload URL, the background runs. */
  imports: ImportJobs;
  /** The audit trail (src/audit): record, list, feedback, purge by TESSERA_AUDIT_RETENTION_DAYS. */
  audit: Audit;
  /** Terms documents of app clients (src/terms), linked from the hosted sign-up page. */
  terms: Terms;
  /** Threat protection settings and the IP-range exceptions they enforce (src/auth/risk.ts). */
  risk: RiskConfigurations;
  /** User pool log export (SetLogDeliveryConfiguration). */
  logDelivery: LogDelivery;
  /** When set, an operation that throws an exception its model does not list answers 500 (tests). */
  strictErrors: boolean;
  close(): Promise<void>;
}

export interface AppOverrides {
  clock?: Clock;
  email?: EmailSender;
  sms?: SmsSender;
  log?: Logger;
  strictErrors?: boolean;
}

const SECRET_FILE_MODE = 0o600;

/** The master key: TESSERA_MASTER_KEY, else a key generated once in the data folder. */
function loadMasterKey(config: Config): Buffer {
  if (config.masterKey) {
    const k = /^[0-9a-f]{64}$/i.test(config.masterKey)
      ? Buffer.from(config.masterKey, 'hex')
      : Buffer.from(config.masterKey, 'base64');
    if (k.length !== 32) throw new Error('Invalid TESSERA_MASTER_KEY: must be 32 bytes, hex or base64');
    return k;
  }
  const file = join(config.dataDir, 'master.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: SECRET_FILE_MODE });
  return key;
}

/**
 * The admin credentials: from the environment, else generated on first start, kept in the data
 * folder and printed once.
 */
function loadAdminCredentials(config: Config, log: Logger): { accessKeyId: string; secretAccessKey: string } {
  if (config.adminAccessKeyId && config.adminSecretAccessKey) {
    return { accessKeyId: config.adminAccessKeyId, secretAccessKey: config.adminSecretAccessKey };
  }
  const file = join(config.dataDir, 'admin-credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  mkdirSync(config.dataDir, { recursive: true });
  const creds = { accessKeyId: 'TESSERA' + randomString(13).toUpperCase(), secretAccessKey: randomString(40) };
  writeFileSync(file, JSON.stringify(creds, null, 2) + '\n', { mode: SECRET_FILE_MODE });
  // Printed once, on the start that made them: this is the operator's only look at the secret.
  process.stdout.write(
    `\nTessera generated admin credentials (kept in ${file}):\n` +
      `  AWS_ACCESS_KEY_ID=${creds.accessKeyId}\n  AWS_SECRET_ACCESS_KEY=${creds.secretAccessKey}\n\n`,
  );
  log.info({ file }, 'generated admin credentials');
  return creds;
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger(config);
  const clock = overrides.clock ?? systemClock;
  const masterKey = loadMasterKey(config);
  const sealer = new Sealer(masterKey);
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    databaseSchema: config.databaseSchema,
    preparedStatements: config.databasePreparedStatements,
    poolSize: config.databasePoolSize,
  });
  const admin = loadAdminCredentials(config, log);
  const adminCredential: Credential = {
    secretAccessKey: admin.secretAccessKey,
    principal: { kind: 'admin', accessKeyId: admin.accessKeyId },
  };
  const smtp = config.smtpUrl ? new SmtpSender(config.smtpUrl, config.smtpFrom) : undefined;
  const email = overrides.email ?? smtp ?? new OutboxSender('email', store, clock, log);
  const sms = overrides.sms ?? new OutboxSender('sms', store, clock, log);
  const triggers = new Triggers({ config, store, sealer, clock, log });
  const messages = new Messages(email, sms);
  messages.composer = (ctx) => triggers.composeMessage(ctx, composeFromTemplates);
  messages.customSender = (ctx, medium) => triggers.customSend(ctx, medium);
  const pools = new UserPools(store, clock, sealer, config);
  const logDelivery = new LogDelivery({
    pools,
    clock,
    log,
    targets: { region: config.region, cloudWatchLogsEndpoint: config.cloudWatchLogsEndpoint, firehoseEndpoint: config.firehoseEndpoint, s3Endpoint: config.s3Endpoint },
  });
  messages.onFailure = (ctx, medium, err) => exportDeliveryFailure(logDelivery, ctx, medium, err);
  const oauth = new OAuth({ store, clock, config, sealer, pools });
  // The confirmation links of CONFIRM_WITH_LINK pools point at their hosted UI's /confirmUser.
  messages.hostedBase = (poolId) => oauth.domains.baseUrlOf(poolId);
  const groups = new Groups(store, clock, pools);
  // One pool of crypto worker threads: SRP's exponentiations and the tokens' signatures.
  const cryptoWorkers = new CryptoWorkers();
  const tokens = new Tokens({ config, store, clock, sealer, pools, groups, workers: cryptoWorkers, customizeClaims: (a) => triggers.customizeTokens(a) });
  const auth = new SignIn({ store, clock, sealer, log, workers: cryptoWorkers });
  const users = new Users(store, clock, sealer, pools, messages, config, { hasher: new KeyedHash(masterKey), log, triggers, modPow: auth.modPow });
  const identity = new IdentityService({
    store,
    clock,
    sealer,
    config,
    userPoolKeys: () => tokens,
    // app.sync is made below; merges happen only once requests arrive.
    mergeEvents: {
      inTransaction: async (tx, changes) => {
        for (const c of changes) await app.sync.events.inTransaction(tx, c);
      },
      afterCommit: (changes) => {
        for (const c of changes) app.sync.events.afterCommit(c);
      },
    },
  });
  const app: App = {
    config,
    store,
    clock,
    sealer,
    log,
    email,
    sms,
    credentials: async (id) => (id === admin.accessKeyId ? adminCredential : identity.lookupCredential(id)),
    pools,
    users,
    groups,
    auth,
    tokens,
    messages,
    triggers,
    identity,
    sync: new Sync({ store, clock, sealer, log, config, invokeFunction: (owner, ref, event) => triggers.runner.invokeRef(owner, ref, 'SyncTrigger', event) }),
    oauth,
    imports: new ImportJobs({ store, clock, sealer, log, config, pools, users }),
    audit: new Audit({ store, clock, sealer, log, retentionDays: config.auditRetentionDays, onRecord: (e, id, at) => exportAuditEvent(logDelivery, e, id, at) }),
    terms: new Terms({ store, clock, pools, sealer }),
    risk: new RiskConfigurations({ store, clock, pools }),
    logDelivery,
    strictErrors: overrides.strictErrors ?? false,
    async close() {
      await app.audit.close();
      await app.logDelivery.close();
      smtp?.close();
      await app.auth.close();
      identity.close();
      triggers.close();
      await app.sync.close();
      await app.imports.close();
      await store.close();
    },
  };
  app.audit.startPurging();
  return app;
}
