// A whole user pool out of one Tessera and into another (with another master key): what Cognito
// never allows. The records of the archive (archive.ts), in order:
//   pool        the pool's row (id, name, settings) and its tags
//   client*     app clients, their secrets in the clear (re-sealed on import)
//   resource-server*, group*
//   user*       rows with password material (SRP salt and verifier, or an imported hash) and the
//               per-user state's sealed fields (TOTP secrets, password history) in the clear
//   member*     group memberships
//   end         the counts, checked on import
// Ids stay as they were: the pool id (SRP verifiers are bound to its name part and the username),
// client ids (apps keep their configuration), subs and usernames. Not copied: signing keys and
// refresh tokens (users sign in again; tokens of the old server do not verify on the new one),
// remembered devices, passkeys, domains, UI customizations, import jobs, terms documents, threat
// protection settings, tracked sessions, and the log export (SetLogDeliveryConfiguration: a copy,
// say for staging, must not write to the original's log groups, streams and buckets).
import { PASSWORD_PURPOSE } from '../userpools/user.js';
import type { App } from '../app.js';
import type { AppClientRow, UserGroupRow, UserRow } from '../store/schema.js';
import type { UserEntry } from '../store/imports.js';
import { aliasEntries, searchEntries } from '../userpools/indexes.js';
import { MAX_INDEXED_BYTES, fitsIndex } from '../store/indexed.js';
import type { User } from '../userpools/user.js';
import { ArchiveError, type ArchiveWriter } from './archive.js';

const PAGE = 1000;
const CLIENT_SECRET_PURPOSE = 'client-secret';
/** Fields of the per-user state document that are sealed, and the purpose each is sealed under. */
const SEALED_STATE: Readonly<Record<string, string>> = { totpSecret: 'totp-secret', totpPending: 'totp-secret', passwordHistory: 'password-history' };

export type Progress = (what: string, done: number, total?: number) => void;

export interface Counts {
  clients: number;
  groups: number;
  users: number;
  members: number;
  droppedFields: number;
}

export async function exportPool(app: App, poolId: string, out: ArchiveWriter, progress: Progress): Promise<Counts> {
  const { store, sealer } = app;
  const pool = await store.pools.get(poolId);
  if (!pool) throw new ArchiveError(`user pool ${poolId} does not exist`);
  const counts: Counts = { clients: 0, groups: 0, users: 0, members: 0, droppedFields: 0 };
  await out.write({ t: 'pool', row: pool, tags: await store.tags.list(app.pools.arnOf(poolId)), exportedAt: app.clock.now() });
  for (let after: string | undefined; ; ) {
    const rows = await store.clients.list(poolId, PAGE, after);
    for (const c of rows) {
      const open = (sealed: string) => sealer.open(CLIENT_SECRET_PURPOSE, sealed)?.toString('utf8') ?? null;
      const secret = c.secret ? open(c.secret) : null;
      // Rotated secrets (AddUserPoolClientSecret) travel opened too, as the archive's own encryption covers them.
      // (one that does not open with this key is left behind, as the single secret is)
      const secrets = c.secrets
        ? JSON.stringify((JSON.parse(c.secrets) as { secret: string }[]).flatMap((x) => {
            const plain = open(x.secret);
            return plain === null ? [] : [{ ...x, secret: plain }];
          }))
        : c.secrets;
      await out.write({ t: 'client', row: { ...c, secret, secrets } });
      counts.clients++;
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.id;
  }
  for (let after: string | undefined; ; ) {
    const rows = await store.oauth.listResourceServers(poolId, PAGE, after);
    for (const r of rows) await out.write({ t: 'resource-server', row: r });
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.identifier;
  }
  for (let after: string | undefined; ; ) {
    const rows = await store.groups.list(poolId, PAGE, after);
    for (const g of rows) await out.write({ t: 'group', row: g });
    counts.groups += rows.length;
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.name;
  }
  const total = await store.users.count(poolId);
  for (let after: string | undefined; ; ) {
    const rows = await store.imports.usersPage(poolId, PAGE, after);
    for (const row of rows) {
      const password = row.password ? sealer.openJson(PASSWORD_PURPOSE, row.password) : null;
      const state = JSON.parse(row.mfa) as Record<string, unknown>;
      const secrets: Record<string, string> = {};
      for (const [field, value] of Object.entries(state)) {
        if (typeof value !== 'string' || !value.startsWith('v1.')) continue;
        const purpose = SEALED_STATE[field];
        const plain = purpose ? sealer.open(purpose, value) : undefined;
        if (plain) secrets[field] = plain.toString('base64');
        else counts.droppedFields++;
        delete state[field];
      }
      await out.write({ t: 'user', row: { ...row, password: null, mfa: JSON.stringify(state) }, password, secrets });
    }
    counts.users += rows.length;
    progress('users', counts.users, total);
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.id;
  }
  for (let after: { group: string; userId: string } | undefined; ; ) {
    const rows = await store.imports.membershipsPage(poolId, PAGE, after);
    for (const m of rows) await out.write({ t: 'member', row: m });
    counts.members += rows.length;
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1]!;
    after = { group: last.group_name, userId: last.user_id };
  }
  await out.write({ t: 'end', counts });
  return counts;
}

/** Reads an archive into this Tessera's store; the pool must not exist here yet. */
export async function importPool(app: App, records: AsyncIterable<Record<string, unknown>>, progress: Progress): Promise<{ poolId: string; counts: Counts }> {
  const { store } = app;
  const it = records[Symbol.asyncIterator]();
  const first = (await it.next()).value as { t: string; row: { id: string }; tags: Record<string, string> } | undefined;
  if (first?.t !== 'pool') throw new ArchiveError('the archive does not start with a pool');
  const poolId = first.row.id;
  if (await store.pools.get(poolId)) throw new ArchiveError(`user pool ${poolId} already exists here; delete it first or import elsewhere`);
  const row = first.row as { id: string; config?: string };
  if (typeof row.config === 'string') {
    const settings = JSON.parse(row.config) as Record<string, unknown>;
    delete settings.LogDeliveryConfiguration;
    row.config = JSON.stringify(settings);
  }
  await store.transaction(async (tx) => {
    await tx.pools.insert(row as never);
    await tx.tags.put(app.pools.arnOf(poolId), first.tags ?? {});
  });
  try {
    return await importRecords(app, poolId, it, progress);
  } catch (e) {
    // All or nothing: a failed import takes away what it wrote (the pool's rows follow it by
    // cascade), so the same file can be imported again once the cause is fixed. The import's
    // error is the one reported; a failing clean-up only adds to it. (A process killed midway
    // leaves what it wrote: delete the pool before importing again.)
    try {
      await store.transaction(async (tx) => {
        await tx.pools.delete(poolId);
        await tx.tags.removeAll(app.pools.arnOf(poolId));
      });
    } catch (cleanup) {
      throw new Error(`${(e as Error).message}; removing the partly imported pool ${poolId} failed too (${(cleanup as Error).message}): delete it before importing again`, { cause: e });
    }
    throw e;
  }
}

async function importRecords(app: App, poolId: string, it: AsyncIterator<Record<string, unknown>>, progress: Progress): Promise<{ poolId: string; counts: Counts }> {
  const { store, sealer } = app;
  const counts: Counts = { clients: 0, groups: 0, users: 0, members: 0, droppedFields: 0 };
  const pool = await app.pools.get(poolId, store);
  let users: UserEntry[] = [];
  let members: UserGroupRow[] = [];
  const flushUsers = async () => {
    const batch = users;
    users = [];
    if (batch.length) await store.transaction((tx) => tx.imports.insertUsers(batch));
    counts.users += batch.length;
    progress('users', counts.users);
  };
  const flushMembers = async () => {
    const batch = members;
    members = [];
    if (batch.length) await store.transaction((tx) => tx.imports.insertMemberships(batch));
    counts.members += batch.length;
  };
  for (let next = await it.next(); !next.done; next = await it.next()) {
    const rec = next.value as { t: string; row: Record<string, unknown>; password?: unknown; secrets?: Record<string, string>; counts?: Counts };
    switch (rec.t) {
      case 'client': {
        const row = rec.row as unknown as AppClientRow;
        const secrets = row.secrets
          ? JSON.stringify((JSON.parse(row.secrets) as { secret: string }[]).map((x) => ({ ...x, secret: sealer.seal(CLIENT_SECRET_PURPOSE, x.secret) })))
          : (row.secrets ?? null);
        await store.clients.insert({ ...row, secret: row.secret ? sealer.seal(CLIENT_SECRET_PURPOSE, row.secret) : null, secrets });
        counts.clients++;
        break;
      }
      case 'resource-server':
        await store.oauth.insertResourceServer(rec.row as never);
        break;
      case 'group':
        await store.groups.insert(rec.row as never);
        counts.groups++;
        break;
      case 'user': {
        const row = rec.row as unknown as UserRow;
        const state = JSON.parse(row.mfa) as Record<string, unknown>;
        for (const [field, plain] of Object.entries(rec.secrets ?? {})) {
          const purpose = SEALED_STATE[field];
          if (purpose) state[field] = sealer.seal(purpose, Buffer.from(plain, 'base64'));
        }
        const sealed: UserRow = { ...row, mfa: JSON.stringify(state), password: rec.password ? sealer.sealJson(PASSWORD_PURPOSE, rec.password) : null };
        const user = { attributes: JSON.parse(row.attributes) } as User;
        const aliases = aliasEntries(pool, user);
        // A store written before the limit existed may hold a longer one; PostgreSQL cannot index it.
        const unindexable = !fitsIndex(row.username_norm) ? 'username' : aliases.find((a) => !fitsIndex(a.valueNorm))?.kind;
        if (unindexable) {
          throw new ArchiveError(
            `user ${row.id}: its ${unindexable} is longer than ${MAX_INDEXED_BYTES} bytes in UTF-8, which this store cannot index; shorten it on the source and export again`,
          );
        }
        users.push({ row: sealed, aliases, search: searchEntries(user) });
        if (users.length >= PAGE) await flushUsers();
        break;
      }
      case 'member':
        await flushUsers();
        members.push(rec.row as unknown as UserGroupRow);
        if (members.length >= PAGE) await flushMembers();
        break;
      case 'end': {
        await flushUsers();
        await flushMembers();
        const want = rec.counts!;
        if (want.users !== counts.users || want.members !== counts.members || want.clients !== counts.clients || want.groups !== counts.groups) {
          throw new ArchiveError(`the archive's counts (${JSON.stringify(want)}) differ from what was read (${JSON.stringify(counts)})`);
        }
        return { poolId, counts: { ...counts, droppedFields: want.droppedFields } };
      }
      default:
        throw new ArchiveError(`unknown record ${rec.t}`);
    }
  }
  throw new ArchiveError('the archive ends without its end record');
}
