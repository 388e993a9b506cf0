// Linking logins to identities and merging identities (identity-and-sync.md A.3). Every function
// here runs inside the caller's transaction.
//
//   a login linked nowhere          -> linked to the identity at hand
//   a login linked to that identity -> nothing to do
//   a login linked to another one   -> the identities merge: the one holding the login stays
//                                      (the owner), the other is disabled with merged_into = owner
//                                      and its logins and sync datasets move to the owner
//                                      (src/sync/merged-datasets.ts)
//   two subjects of one public provider on one identity -> ResourceConflictException
import { NotAuthorizedException, ResourceConflictException, ResourceNotFoundException } from '../errors.js';
import { newUuid } from '../ids.js';
import type { IdentityRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { SyncChange } from '../sync/events.js';
import { moveMergedDatasets } from '../sync/merged-datasets.js';
import type { VerifiedLogin } from './logins.js';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The identity, or ResourceNotFoundException. */
export async function identityRow(tx: Store, id: string): Promise<IdentityRow> {
  const row = await tx.identities.get(id);
  if (!row) throw new ResourceNotFoundException(`Identity '${id}' not found.`);
  return row;
}

/** Follows merges to the identity that now owns what `row` had. */
export async function ownerOf(tx: Store, row: IdentityRow): Promise<IdentityRow> {
  let cur = row;
  for (let hops = 0; !cur.enabled && cur.merged_into && hops < 16; hops++) {
    const next = await tx.identities.get(cur.merged_into);
    if (!next) break;
    cur = next;
  }
  return cur;
}

export async function newIdentity(tx: Store, poolId: string, guest: boolean, now: number): Promise<IdentityRow> {
  const row: IdentityRow = {
    id: `${poolId.split(':')[0]}:${newUuid()}`,
    pool_id: poolId,
    guest: guest ? 1 : 0,
    enabled: 1,
    merged_into: null,
    created_at: now,
    updated_at: now,
  };
  await tx.identities.insert(row);
  return row;
}

/** The identity each login currently belongs to (owner after merges), undefined when unlinked. */
export async function holdersOf(tx: Store, poolId: string, logins: VerifiedLogin[]): Promise<(IdentityRow | undefined)[]> {
  const out: (IdentityRow | undefined)[] = [];
  for (const l of logins) {
    if (l.identityId) {
      const row = await tx.identities.get(l.identityId);
      if (!row || row.pool_id !== poolId) throw new NotAuthorizedException('Invalid login token. The identity of this token does not exist.');
      out.push(await ownerOf(tx, row));
      continue;
    }
    const link = await tx.identities.findLogin(poolId, l.provider, l.subject);
    out.push(link ? await ownerOf(tx, await identityRow(tx, link.identity_id)) : undefined);
  }
  return out;
}

/**
 * Brings the logins onto one identity: `preferred` when no login is held elsewhere, else the
 * first identity holding one (others, `preferred` included, merge into it). With no preferred
 * identity and no holder, a new identity is made. Returns the owner.
 */
export async function gatherLogins(
  tx: Store,
  poolId: string,
  logins: VerifiedLogin[],
  preferred: IdentityRow | undefined,
  now: number,
  /** Receives the change-stream events of datasets that merges moved. */
  moved?: SyncChange[],
): Promise<IdentityRow> {
  const holders = await holdersOf(tx, poolId, logins);
  const held = holders.filter((h): h is IdentityRow => !!h);
  let owner = held.find((h) => h.id !== preferred?.id) ?? preferred ?? held[0];
  owner ??= await newIdentity(tx, poolId, false, now);
  const merging = new Map<string, IdentityRow>();
  for (const h of [preferred, ...held]) if (h && h.id !== owner.id) merging.set(h.id, h);
  if (merging.size) await lockMerging(tx, [owner, ...merging.values()]);
  for (const from of merging.values()) moved?.push(...(await merge(tx, from, owner, now)));
  // New logins are linked in one order whatever the request's (provider, then subject), so two
  // requests linking the same logins wait on each other's first insert, not on each other's last.
  const order = logins.map((_, i) => i).sort((a, b) => cmp(logins[a].provider, logins[b].provider) || cmp(logins[a].subject, logins[b].subject));
  for (const i of order) {
    const l = logins[i];
    if (holders[i] || l.identityId) continue;
    await linkLogin(tx, owner.id, poolId, l, now);
  }
  if (owner.guest) await tx.identities.update(owner.id, { guest: 0, updated_at: now });
  else await tx.identities.update(owner.id, { updated_at: now });
  return { ...owner, guest: 0, updated_at: now };
}

/** Links one login to an identity; an identity holds one subject per public provider. */
export async function linkLogin(
  tx: Store,
  identityId: string,
  poolId: string,
  l: { provider: string; subject: string; exclusive: boolean },
  now: number,
): Promise<void> {
  if (l.exclusive) {
    const existing = await tx.identities.subjectsOf(identityId, l.provider, 1);
    if (existing.length && existing[0] !== l.subject) {
      throw new ResourceConflictException(`This identity is already linked to another login of ${l.provider}.`);
    }
  }
  await tx.identities.link({
    pool_id: poolId,
    provider: l.provider,
    subject: l.subject,
    identity_id: identityId,
    exclusive: l.exclusive ? 1 : 0,
    created_at: now,
  });
}

/** Another request merged one of these identities after they were read: the caller starts over (retryOnRace). */
export class MergeRace extends Error {
  constructor() {
    super('an identity of this merge was merged by another request');
  }
}

/**
 * Before any write of a transaction that merges: takes the sync locks of every identity taking
 * part (all at once, in id order, so that two merges cannot wait on each other), then checks
 * that none was merged since it was read. Any merge or sync write of these identities runs before
 * or after this transaction, never during it (src/sync/scope.ts lockLiveIdentity).
 */
export async function lockMerging(tx: Store, rows: IdentityRow[]): Promise<void> {
  for (const id of [...new Set(rows.map((r) => r.id))].sort()) await tx.sync.lockIdentity(id);
  for (const r of rows) {
    const current = await tx.identities.get(r.id);
    if (!current || current.enabled !== r.enabled || current.merged_into !== r.merged_into) throw new MergeRace();
  }
}

/**
 * Moves `from`'s logins and datasets to `into` and disables `from`. Returns the change-stream
 * events of the moved datasets, for the caller to send (IdentityDeps.datasetsMoved). The caller
 * has taken both identities' locks (lockMerging).
 */
export async function merge(tx: Store, from: IdentityRow, into: IdentityRow, now: number): Promise<SyncChange[]> {
  const [fromLogins, intoLogins] = [await tx.identities.loginsOf([from.id]), await tx.identities.loginsOf([into.id])];
  for (const f of fromLogins) {
    if (f.exclusive && intoLogins.some((i) => i.provider === f.provider && i.subject !== f.subject)) {
      throw new ResourceConflictException(`The identities cannot be merged: both are linked to a login of ${f.provider}.`);
    }
  }
  await tx.identities.moveLogins(from.id, into.id);
  // No sync write of either identity runs while the datasets move (the locks of lockMerging):
  // one begun before finished first and its records move too; one after sees `from` merged.
  const moved = await moveMergedDatasets(tx, from.pool_id, from.id, into.id);
  await tx.identities.update(from.id, { enabled: 0, merged_into: into.id, updated_at: now });
  return moved;
}

/** Where the change-stream events of merged datasets go (app.sync.events); absent: nowhere. */
export interface MergeEvents {
  /** Inside the merging transaction (PostgreSQL: a NOTIFY sent on commit). */
  inTransaction(tx: Store, changes: SyncChange[]): Promise<void>;
  /** Once it has committed (SQLite: delivered in this process). */
  afterCommit(changes: SyncChange[]): void;
}

/**
 * A transaction that may merge identities: `fn` hands `moved` to gatherLogins / merge, and the
 * events of the datasets they moved are sent if and when it commits.
 */
export async function mergingTransaction<T>(
  store: Store,
  events: MergeEvents | undefined,
  fn: (tx: Store, moved: SyncChange[]) => Promise<T>,
): Promise<T> {
  let moved: SyncChange[] = [];
  const out = await store.transaction(async (tx) => {
    moved = [];
    const r = await fn(tx, moved);
    if (moved.length) await events?.inTransaction(tx, moved);
    return r;
  });
  if (moved.length) events?.afterCommit(moved);
  return out;
}
