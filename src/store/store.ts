// The Store: narrow per-domain repositories over one database, SQL written once with Kysely and
// run on SQLite or PostgreSQL alike. Repositories know rows, not Cognito rules.
import type { Kysely, Transaction } from 'kysely';
import { openDatabase, type Engine, type StoreOptions } from './connect.js';
import type { Database } from './schema.js';
import { PoolRepo, ClientRepo } from './pools.js';
import { UserRepo } from './users.js';
import { GroupRepo } from './groups.js';
import { CodeRepo, OutboxRepo, SettingRepo, TagRepo } from './misc.js';
import { IdentityCredentialRepo, IdentityPoolRepo, IdentityRepo } from './identity.js';
import { SyncRepo } from './sync.js';
import { DeviceRepo, TotpStepRepo, WebAuthnRepo } from './mfa.js';
import { AuthRepo } from './auth.js';
import { SigningKeyRepo, TokenRepo } from './tokens.js';
import { OAuthRepo } from './oauth.js';
import { FederationRepo } from './federation.js';
import { ImportRepo } from './imports.js';
import { AuditRepo } from './audit.js';
import { SessionRepo } from './sessions.js';
import { RiskRepo } from './risk.js';
import { TermsRepo } from './terms.js';

export type Db = Kysely<Database> | Transaction<Database>;

export class Store {
  readonly pools: PoolRepo;
  readonly clients: ClientRepo;
  readonly users: UserRepo;
  readonly groups: GroupRepo;
  readonly codes: CodeRepo;
  readonly tags: TagRepo;
  readonly outbox: OutboxRepo;
  readonly settings: SettingRepo;
  readonly identityPools: IdentityPoolRepo;
  readonly identities: IdentityRepo;
  readonly identityCredentials: IdentityCredentialRepo;
  readonly sync: SyncRepo;
  readonly totpSteps: TotpStepRepo;
  readonly devices: DeviceRepo;
  readonly webauthn: WebAuthnRepo;
  readonly auth: AuthRepo;
  readonly signingKeys: SigningKeyRepo;
  readonly tokens: TokenRepo;
  readonly oauth: OAuthRepo;
  readonly federation: FederationRepo;
  readonly imports: ImportRepo;
  readonly audit: AuditRepo;
  readonly sessions: SessionRepo;
  readonly terms: TermsRepo;
  readonly risk: RiskRepo;

  constructor(
    readonly db: Db,
    readonly engine: Engine,
    private readonly root?: Kysely<Database>,
  ) {
    this.pools = new PoolRepo(db, engine);
    this.clients = new ClientRepo(db, engine);
    this.sessions = new SessionRepo(db, engine);
    this.terms = new TermsRepo(db);
    this.risk = new RiskRepo(db);
    this.users = new UserRepo(db, engine);
    this.groups = new GroupRepo(db);
    this.codes = new CodeRepo(db);
    this.tags = new TagRepo(db);
    this.outbox = new OutboxRepo(db);
    this.settings = new SettingRepo(db);
    this.identityPools = new IdentityPoolRepo(db);
    this.identities = new IdentityRepo(db);
    this.identityCredentials = new IdentityCredentialRepo(db);
    this.sync = new SyncRepo(db, engine);
    this.totpSteps = new TotpStepRepo(db, engine);
    this.devices = new DeviceRepo(db);
    this.webauthn = new WebAuthnRepo(db);
    this.auth = new AuthRepo(db);
    this.signingKeys = new SigningKeyRepo(db);
    this.tokens = new TokenRepo(db, engine);
    this.oauth = new OAuthRepo(db);
    this.federation = new FederationRepo(db);
    this.imports = new ImportRepo(db);
    this.audit = new AuditRepo(db, engine);
  }

  /** Runs `fn` in one transaction; inside a transaction it simply joins it. */
  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (!this.root) return fn(this);
    return this.root.transaction().execute((trx) => fn(new Store(trx, this.engine)));
  }

  async close(): Promise<void> {
    await this.root?.destroy();
  }
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  const { db, engine } = await openDatabase(opts);
  return new Store(db, engine, db);
}
