// Signing keys, sign-in families and refresh tokens. Every read a request makes here is one
// indexed query; revocation is a flag on the family, so one UPDATE reaches every token of a sign-in.
import { sql } from 'kysely';
import type { Engine } from './connect.js';
import type { Db } from './store.js';
import type { GroupRow, RefreshTokenRow, SigningKeyRow, TokenFamilyRow, UserRow } from './schema.js';
import { compiled } from './compiled.js';
import { groupsFromJson, groupsJson } from './json-columns.js';

export class SigningKeyRepo {
  constructor(private readonly db: Db) {}

  /** Every key of a pool, newest generation first. */
  list(poolId: string): Promise<SigningKeyRow[]> {
    return this.db.selectFrom('signing_keys').selectAll().where('pool_id', '=', poolId).orderBy('generation', 'desc').execute();
  }

  /**
   * Inserts the key unless the pool already has one of that use and generation (another process
   * won the race); returns whether this one was stored.
   */
  async insertIfAbsent(row: SigningKeyRow): Promise<boolean> {
    const r = await this.db
      .insertInto('signing_keys')
      .values(row)
      .onConflict((oc) => oc.columns(['pool_id', 'token_use', 'generation']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Marks every key of the use older than `generation` as retired at `at` (keeps earlier marks). */
  async retireBefore(poolId: string, tokenUse: string, generation: number, at: number): Promise<void> {
    await this.db
      .updateTable('signing_keys')
      .set({ retired_at: at })
      .where('pool_id', '=', poolId)
      .where('token_use', '=', tokenUse)
      .where('generation', '<', generation)
      .where('retired_at', 'is', null)
      .execute();
  }
}

/** A refresh token as looked up: its row, its family, the family's user, and when it was replaced. */
export interface RefreshLookup {
  token: RefreshTokenRow;
  /** When a rotation first replaced this token (ms), or null. */
  replacedAt: number | null;
  family: TokenFamilyRow;
  /** Undefined only in a race with the user's deletion. */
  user?: UserRow;
  /**
   * With `withGroups`, every group of the family's user (unsorted), read in the same statement to
   * save a round trip.
   */
  groups?: GroupRow[];
}

const FAMILY_COLUMNS = [
  'id',
  'pool_id',
  'client_id',
  'user_id',
  'event_id',
  'auth_time',
  'device_key',
  'scopes',
  'created_at',
  'expires_at',
  'revoked_at',
] as const;

export class TokenRepo {
  constructor(
    private readonly db: Db,
    private readonly engine: Engine = 'sqlite',
  ) {}

  async insertRefreshToken(row: RefreshTokenRow): Promise<void> {
    await insertTokenQuery(this.db, ...TOKEN_COLUMNS.map((c) => row[c]));
  }

  /**
   * A new sign-in: its family and first refresh token, both or neither. On PostgreSQL one
   * statement (the family inserted in a WITH clause), so no BEGIN and COMMIT round trips; on
   * SQLite a transaction, whose statements cost no round trips.
   */
  async insertSignIn(family: TokenFamilyRow, token: RefreshTokenRow): Promise<void> {
    if (this.engine === 'postgres') {
      const columns = sql.join(FAMILY_COLUMNS.map((c) => sql.ref(c)));
      const values = sql.join(FAMILY_COLUMNS.map((c) => family[c]));
      await sql`with f as (insert into token_families (${columns}) values (${values}) returning id)
        insert into refresh_tokens (token_hash, family_id, parent_hash, created_at, expires_at)
        select ${token.token_hash}::text, f.id, ${token.parent_hash}::text, ${token.created_at}::bigint, ${token.expires_at}::bigint from f`.execute(this.db);
      return;
    }
    const write = async (db: Db) => {
      await insertFamilyQuery(db, ...FAMILY_COLUMNS.map((c) => family[c]));
      await insertTokenQuery(db, ...TOKEN_COLUMNS.map((c) => token[c]));
    };
    if (this.db.isTransaction) await write(this.db);
    else await this.db.transaction().execute(write);
  }

  /**
   * One query by primary key: the token, whether a rotation replaced it (an indexed look-up of its
   * children), its family and the family's user; with `withGroups`, also the user's groups as one
   * JSON array (json_agg / json_group_array over user_groups by its (user_id, pool_id) index).
   */
  async findRefreshToken(tokenHash: string, opts: { withGroups?: boolean } = {}): Promise<RefreshLookup | undefined> {
    const withGroups = opts.withGroups === true;
    const query = !withGroups ? findRefreshTokenQuery : this.engine === 'postgres' ? findRefreshTokenWithGroupsPg : findRefreshTokenWithGroupsSqlite;
    const [row] = await query(this.db, tokenHash);
    if (!row) return undefined;
    const r = row as unknown as Record<string, unknown>;
    const family = Object.fromEntries(FAMILY_COLUMNS.map((c) => [c, r[`f_${c}`]])) as unknown as TokenFamilyRow;
    const token: RefreshTokenRow = {
      token_hash: row.rt_token_hash,
      family_id: row.rt_family_id,
      parent_hash: row.rt_parent_hash,
      created_at: row.rt_created_at,
      expires_at: row.rt_expires_at,
    };
    const replaced = r.replaced_at;
    const user = row.id == null ? undefined : (pickUser(r) as UserRow);
    const lookup: RefreshLookup = { token, family, user, replacedAt: replaced == null ? null : Number(replaced) };
    if (withGroups) lookup.groups = groupsFromJson(r.x_groups);
    return lookup;
  }

  /**
   * The user a token names and the state of its family, in one indexed query (users by primary key,
   * token_families by primary key). `familyRevoked` is true when the family is revoked or gone.
   */
  async userForAccess(poolId: string, userId: string, familyId: string): Promise<{ user: UserRow; familyRevoked: boolean } | undefined> {
    const [row] = await userForAccessQuery(this.db, poolId, userId, familyId);
    if (!row) return undefined;
    const { f_id, f_revoked_at, ...user } = row;
    return { user: user as UserRow, familyRevoked: f_id == null || f_revoked_at != null };
  }
  /** Revokes one family; returns false when it was unknown or already revoked. */
  async revokeFamily(familyId: string, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('token_families')
      .set({ revoked_at: at })
      .where('id', '=', familyId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Revokes the live families of a user's sign-ins bound to one device; returns how many. */
  async revokeDevice(poolId: string, userId: string, deviceKey: string, at: number): Promise<number> {
    const r = await this.db
      .updateTable('token_families')
      .set({ revoked_at: at })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('pool_id', '=', poolId)
      .where('device_key', '=', deviceKey)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Revokes every live family of a user; returns how many. */
  async revokeUser(poolId: string, userId: string, at: number): Promise<number> {
    const r = await this.db
      .updateTable('token_families')
      .set({ revoked_at: at })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('pool_id', '=', poolId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /**
   * Deletes the families (and, by cascade, their refresh tokens) whose refresh tokens had all
   * expired before `before`; returns how many. A family's own expires_at is the expiry at sign-in
   * (rotation does not move it), so it only selects candidates; the refresh tokens decide.
   */
  async purgeExpired(before: number): Promise<number> {
    const r = await this.db
      .deleteFrom('token_families')
      .where('expires_at', '<', before)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('refresh_tokens as rt')
              .select('rt.token_hash')
              .whereRef('rt.family_id', '=', 'token_families.id')
              .where('rt.expires_at', '>=', before),
          ),
        ),
      )
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

const TOKEN_COLUMNS = ['token_hash', 'family_id', 'parent_hash', 'created_at', 'expires_at'] as const satisfies readonly (keyof RefreshTokenRow)[];

/** Fail to compile when a row type gains a column the lists above do not name. */
const everyFamilyColumn: Exclude<keyof TokenFamilyRow, (typeof FAMILY_COLUMNS)[number]> extends never ? true : never = true;
const everyTokenColumn: Exclude<keyof RefreshTokenRow, (typeof TOKEN_COLUMNS)[number]> extends never ? true : never = true;
void everyFamilyColumn;
void everyTokenColumn;

/** Inserts of a sign-in (SQLite) and of a rotation, compiled once; the values in *_COLUMNS order. */
const insertFamilyQuery = compiled((db, ...values: unknown[]) =>
  db.insertInto('token_families').values(Object.fromEntries(FAMILY_COLUMNS.map((c, i) => [c, values[i]])) as unknown as TokenFamilyRow),
);
const insertTokenQuery = compiled((db, ...values: unknown[]) =>
  db.insertInto('refresh_tokens').values(Object.fromEntries(TOKEN_COLUMNS.map((c, i) => [c, values[i]])) as unknown as RefreshTokenRow),
);

/** findRefreshToken's one query: the token, its family, the family's user, when it was replaced. */
const findRefreshTokenQuery = compiled((db, tokenHash: string) => refreshLookup(db, tokenHash));

/** The same with the family user's groups as a JSON array (x_groups; json-columns.ts). */
const findRefreshTokenWithGroupsPg = compiled((db, tokenHash: string) => refreshLookup(db, tokenHash).select(groupsJson('postgres', 'f.user_id', 'f.pool_id').as('x_groups')));
const findRefreshTokenWithGroupsSqlite = compiled((db, tokenHash: string) => refreshLookup(db, tokenHash).select(groupsJson('sqlite', 'f.user_id', 'f.pool_id').as('x_groups')));

function refreshLookup(db: Db, tokenHash: string) {
  return db
    .selectFrom('refresh_tokens as rt')
    .innerJoin('token_families as f', 'f.id', 'rt.family_id')
    .leftJoin('users as u', 'u.id', 'f.user_id')
    .selectAll('u')
    .select(FAMILY_COLUMNS.map((c) => `f.${c} as f_${c}` as const))
    .select([
      'rt.token_hash as rt_token_hash',
      'rt.family_id as rt_family_id',
      'rt.parent_hash as rt_parent_hash',
      'rt.created_at as rt_created_at',
      'rt.expires_at as rt_expires_at',
    ])
    .select((eb) =>
      eb
        .selectFrom('refresh_tokens as c')
        .select((e) => e.fn.min<number>('c.created_at').as('m'))
        .whereRef('c.parent_hash', '=', 'rt.token_hash')
        .as('replaced_at'),
    )
    .where('rt.token_hash', '=', tokenHash);
}

/** userForAccess's one query: the user and, when it is the user's, the family. */
const userForAccessQuery = compiled((db, poolId: string, userId: string, familyId: string) =>
  db
    .selectFrom('users as u')
    .leftJoin('token_families as f', (j) => j.onRef('f.user_id', '=', 'u.id').on('f.id', '=', familyId))
    .selectAll('u')
    .select(['f.id as f_id', 'f.revoked_at as f_revoked_at'])
    .where('u.id', '=', userId)
    .where('u.pool_id', '=', poolId),
);

/** The columns of users (selectAll('u') in the joined lookups). */
const USER_COLUMNS = [
  'id',
  'pool_id',
  'username',
  'username_norm',
  'status',
  'enabled',
  'attributes',
  'password',
  'mfa',
  'created_at',
  'updated_at',
  'password_updated_at',
] as const satisfies readonly (keyof UserRow)[];
/** Fails to compile when UserRow gains a column USER_COLUMNS does not list. */
const everyUserColumn: Exclude<keyof UserRow, (typeof USER_COLUMNS)[number]> extends never ? true : never = true;
void everyUserColumn;

/** The user's own columns of a joined row. */
function pickUser(r: Record<string, unknown>): UserRow {
  const user: Record<string, unknown> = {};
  for (const c of USER_COLUMNS) user[c] = r[c];
  return user as unknown as UserRow;
}
