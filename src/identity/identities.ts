// Identities: GetId, the authorisation of GetOpenIdToken / GetCredentialsForIdentity, UnlinkIdentity
// and the administrative reads (identity-and-sync.md A.3).
//
// An identity starts as a guest (no logins) or with the logins it was asked for. A guest that
// later comes with logins keeps its id (they are linked to it) unless a login already belongs to
// another identity: then the guest merges into that one, whose id the answer carries. An identity
// with logins must show at least one of them on every call, and every token shown must be valid.
import type { Clock } from '../clock.js';
import { InvalidParameterException, NotAuthorizedException, ResourceConflictException } from '../errors.js';
import { UniqueViolation, isTransientConflict } from '../store/connect.js';
import type { IdentityRow } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { MergeRace, gatherLogins, holdersOf, identityRow, mergingTransaction, newIdentity, ownerOf, type MergeEvents } from './linking.js';
import { verifyLogins, type LoginContext, type VerifiedLogin } from './logins.js';
import type { IdentityPool, IdentityPools } from './pools.js';
import { isIdentityTokenKey, userPoolIdOfLoginKey, userPoolProviderName } from './provider-names.js';

export const LOGINS_DONT_MATCH = "Logins don't match. Please include at least one valid login for this identity or identity pool.";
export const NO_GUESTS = 'Unauthenticated access is not supported for this identity pool.';
export const NO_CLASSIC_FLOW = 'Basic (classic) flow is not enabled, please use enhanced flow.';
export const NO_CLASSIC_WITH_ROLE_MAPPINGS = 'Basic (classic) flow is not supported with RoleMappings, please use enhanced flow.';

export interface Identity {
  id: string;
  poolId: string;
  guest: boolean;
  enabled: boolean;
  mergedInto?: string;
  /** Provider names of the linked logins, each once. */
  logins: string[];
  createdAt: number;
  updatedAt: number;
}

/** An identity cleared to act, with the logins it showed (none for a guest). */
export interface AuthorizedIdentity {
  pool: IdentityPool;
  identityId: string;
  logins: VerifiedLogin[];
}

export class Identities {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly pools: IdentityPools,
    private readonly loginContext: () => LoginContext,
    private readonly mergeEvents?: MergeEvents,
  ) {}

  /** GetId: a new guest identity, or the identity of the logins (made when they are new). */
  async getId(poolId: string, logins: Record<string, string> | undefined): Promise<string> {
    const pool = await this.pools.get(poolId);
    const verified = await verifyLogins(pool, logins, this.loginContext());
    if (!verified.length) {
      if (!pool.settings.AllowUnauthenticatedIdentities) throw new NotAuthorizedException(NO_GUESTS);
      return (await newIdentity(this.store, pool.id, true, this.clock.now())).id;
    }
    return retryOnRace(() =>
      mergingTransaction(this.store, this.mergeEvents, async (tx, moved) => (await gatherLogins(tx, pool.id, verified, undefined, this.clock.now(), moved)).id),
    );
  }

  /**
   * GetOpenIdToken / GetCredentialsForIdentity: checks the identity may act with these logins,
   * links new ones and merges as needed. The identity id returned may differ from the one sent.
   *
   * `classicFlow` (GetOpenIdToken, the first half of the basic flow, whose second half is the
   * app's own STS call): refused, before any token is looked at, unless the pool has
   * AllowClassicFlow, and on a pool with role mappings, which only the enhanced flow applies
   * (the messages are Cognito's).
   */
  async authorize(identityId: string, logins: Record<string, string> | undefined, opts: { classicFlow?: boolean } = {}): Promise<AuthorizedIdentity> {
    const sent = await identityRow(this.store, identityId);
    const pool = await this.pools.get(sent.pool_id);
    if (opts.classicFlow) {
      if (!pool.settings.AllowClassicFlow) throw new InvalidParameterException(NO_CLASSIC_FLOW);
      if (Object.keys(pool.roles.RoleMappings ?? {}).length) throw new InvalidParameterException(NO_CLASSIC_WITH_ROLE_MAPPINGS);
    }
    const verified = await verifyLogins(pool, logins, this.loginContext());
    if (!verified.length) {
      if (!sent.enabled) throw new NotAuthorizedException(`Identity '${identityId}' is disabled.`);
      if (!sent.guest) throw new NotAuthorizedException(LOGINS_DONT_MATCH);
      if (!pool.settings.AllowUnauthenticatedIdentities) throw new NotAuthorizedException(NO_GUESTS);
      return { pool, identityId: sent.id, logins: [] };
    }
    const owner = await retryOnRace(() =>
      mergingTransaction(this.store, this.mergeEvents, async (tx, moved) => {
        const target = await ownerOf(tx, await identityRow(tx, identityId));
        if (!target.enabled) throw new NotAuthorizedException(`Identity '${identityId}' is disabled.`);
        if (!target.guest) {
          const holders = await holdersOf(tx, pool.id, verified);
          if (!holders.some((h) => h?.id === target.id)) throw new NotAuthorizedException(LOGINS_DONT_MATCH);
        }
        return gatherLogins(tx, pool.id, verified, target, this.clock.now(), moved);
      }),
    );
    return { pool, identityId: owner.id, logins: verified };
  }

  /** UnlinkIdentity: removes providers from an identity that shows one of its valid logins. */
  async unlink(identityId: string, logins: Record<string, string>, providersToRemove: string[]): Promise<void> {
    const row = await identityRow(this.store, identityId);
    const pool = await this.pools.get(row.pool_id);
    const ctx = this.loginContext();
    const verified = await verifyLogins(pool, logins, ctx);
    await this.store.transaction(async (tx) => {
      const holders = await holdersOf(tx, pool.id, verified);
      if (!row.enabled || !verified.length || holders.some((h) => h?.id !== row.id)) {
        throw new NotAuthorizedException(LOGINS_DONT_MATCH);
      }
      for (const name of providersToRemove) {
        if (isIdentityTokenKey(name, ctx.publicUrl) || name === pool.settings.DeveloperProviderName) continue;
        const poolId = userPoolIdOfLoginKey(name, ctx.publicUrl);
        await tx.identities.unlink(row.id, poolId ? userPoolProviderName(poolId) : name);
      }
      await tx.identities.update(row.id, { updated_at: this.clock.now() });
    });
  }

  /** DescribeIdentity. */
  async describe(identityId: string): Promise<Identity> {
    const row = await identityRow(this.store, identityId);
    return this.withLogins([row]).then((r) => r[0]);
  }

  /** ListIdentities: a page of a pool's identities, ordered by id. */
  async list(poolId: string, limit: number, afterId: string | undefined, hideDisabled: boolean): Promise<Identity[]> {
    await this.pools.get(poolId);
    return this.withLogins(await this.store.identities.list(poolId, limit, afterId, hideDisabled));
  }

  /**
   * DeleteIdentities: deletes those that exist, with their logins and credentials, and their Cognito
   * Sync data (datasets, records, push devices), which no call could reach any more.
   */
  async delete(ids: string[]): Promise<void> {
    await retryOnRace(() => this.store.transaction(async (tx) => {
      // The identities' sync locks first, in id order as merges take them: a merge or sync write
      // of one of them finishes before the delete, or starts after it and finds the identity gone.
      for (const id of [...new Set(ids)].sort()) await tx.sync.lockIdentity(id);
      const gone = await tx.identities.deleteReturningPools(ids);
      const byPool = new Map<string, string[]>();
      for (const g of gone) byPool.set(g.poolId, [...(byPool.get(g.poolId) ?? []), g.id]);
      for (const [poolId, identityIds] of byPool) await tx.sync.deleteIdentityData(poolId, identityIds);
    }));
  }

  /** Identities merged into this one (their data belongs to it now), for Cognito Sync. */
  async mergedInto(identityId: string): Promise<string[]> {
    return this.store.identities.mergedInto(identityId);
  }

  private async withLogins(rows: IdentityRow[]): Promise<Identity[]> {
    const logins = await this.store.identities.loginsOf(rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      poolId: r.pool_id,
      guest: !!r.guest,
      enabled: !!r.enabled,
      mergedInto: r.merged_into ?? undefined,
      logins: [...new Set(logins.filter((l) => l.identity_id === r.id).map((l) => l.provider))],
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
}

/**
 * Runs the transaction `fn` again (call it outside any transaction) when it lost a race to a
 * concurrent request: one that linked the same login first (the unique key on logins decides), one
 * that merged an identity this one was about to merge (MergeRace), or one PostgreSQL chose to end
 * a deadlock with (isTransientConflict). The transaction that lost rolled back, so both requests
 * end with the same identities.
 */
export async function retryOnRace<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof UniqueViolation) && !(e instanceof MergeRace) && !isTransientConflict(e)) throw e;
      if (attempt >= 2) throw new ResourceConflictException('Another request is linking or merging these identities; try again.');
    }
  }
}
