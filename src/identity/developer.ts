// Developer-authenticated identities (identity-and-sync.md A.3): the app's backend, signed with
// admin credentials, names its own user ids under the pool's DeveloperProviderName. A developer
// user identifier belongs to at most one identity of a pool; an identity may gather several
// (MergeDeveloperIdentities).
import type { Clock } from '../clock.js';
import {
  DeveloperUserAlreadyRegisteredException,
  InvalidParameterException,
  NotAuthorizedException,
  ResourceConflictException,
  ResourceNotFoundException,
} from '../errors.js';
import type { Store } from '../store/store.js';
import { gatherLogins, identityRow, linkLogin, lockMerging, merge, mergingTransaction, newIdentity, ownerOf, type MergeEvents } from './linking.js';
import { verifyLogins, type LoginContext, type VerifiedLogin } from './logins.js';
import type { IdentityPool, IdentityPools } from './pools.js';
import { retryOnRace } from './identities.js';
import { MAX_INDEXED_BYTES, fitsIndex } from '../store/indexed.js';

/** DeveloperUserIdentifierType's maximum length. */
const DEVELOPER_ID_CHARS = 1024;

/** Default lifetime of GetOpenIdTokenForDeveloperIdentity tokens (15 minutes). */
export const DEVELOPER_TOKEN_TTL_SECONDS = 900;

export interface DeveloperLogin {
  pool: IdentityPool;
  identityId: string;
  developerUserId: string;
  /** The other logins given alongside, verified. */
  logins: VerifiedLogin[];
}

export class DeveloperIdentities {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly pools: IdentityPools,
    private readonly loginContext: () => LoginContext,
    private readonly mergeEvents?: MergeEvents,
  ) {}

  /**
   * GetOpenIdTokenForDeveloperIdentity: the identity of a developer user identifier, made or
   * linked as needed (to `identityId` when given).
   */
  async register(poolId: string, identityId: string | undefined, logins: Record<string, string>): Promise<DeveloperLogin> {
    const pool = await this.pools.get(poolId);
    const dev = developerProvider(pool);
    const developerUserId = logins[dev];
    if (developerUserId === undefined) throw new InvalidParameterException(`Logins must contain the developer provider name ${dev}.`);
    // The limits of DeveloperUserIdentifier in the other operations (a Logins value may be longer).
    if (!developerUserId || [...developerUserId].length > DEVELOPER_ID_CHARS || !fitsIndex(developerUserId)) {
      throw new InvalidParameterException(
        `The developer user identifier must be 1 to ${DEVELOPER_ID_CHARS} characters and no longer than ${MAX_INDEXED_BYTES} bytes in UTF-8.`,
      );
    }
    const others = { ...logins };
    delete others[dev];
    const verified = await verifyLogins(pool, others, this.loginContext());
    const owner = await retryOnRace(() =>
      mergingTransaction(this.store, this.mergeEvents, async (tx, moved) => {
        const now = this.clock.now();
        const link = await tx.identities.findLogin(pool.id, dev, developerUserId);
        let target = link ? await ownerOf(tx, await identityRow(tx, link.identity_id)) : undefined;
        if (identityId !== undefined) {
          const given = await tx.identities.get(identityId);
          if (!given || given.pool_id !== pool.id) throw new ResourceNotFoundException(`Identity '${identityId}' not found.`);
          if (!given.enabled) throw new NotAuthorizedException(`Identity '${identityId}' is disabled.`);
          if (target && target.id !== given.id) {
            throw new DeveloperUserAlreadyRegisteredException('The developer user identifier is already registered with a different identity ID.');
          }
          target = given;
        }
        target ??= await newIdentity(tx, pool.id, false, now);
        if (!link) {
          if ((await tx.identities.subjectsOf(target.id, dev, 1)).length) {
            throw new ResourceConflictException('This identity is already linked to another developer user identifier.');
          }
          await linkLogin(tx, target.id, pool.id, { provider: dev, subject: developerUserId, exclusive: false }, now);
        }
        return gatherLogins(tx, pool.id, verified, target, now, moved);
      }),
    );
    return { pool, identityId: owner.id, developerUserId, logins: verified };
  }

  /** LookupDeveloperIdentity: the identity and a page of its developer user identifiers. */
  async lookup(
    poolId: string,
    identityId: string | undefined,
    developerUserId: string | undefined,
    limit: number,
    afterSubject?: string,
  ): Promise<{ identityId: string; developerUserIds: string[] }> {
    const pool = await this.pools.get(poolId);
    const dev = developerProvider(pool);
    if (identityId === undefined && developerUserId === undefined) {
      throw new InvalidParameterException('Either IdentityId or DeveloperUserIdentifier must be given.');
    }
    let id = identityId;
    if (developerUserId !== undefined) {
      const link = await this.store.identities.findLogin(pool.id, dev, developerUserId);
      if (!link) throw new ResourceNotFoundException(`Developer user identifier '${developerUserId}' not found.`);
      if (id !== undefined && id !== link.identity_id) {
        throw new ResourceConflictException('The identity id and the developer user identifier do not belong together.');
      }
      id = link.identity_id;
    }
    const row = await this.store.identities.get(id!);
    if (!row || row.pool_id !== pool.id) throw new ResourceNotFoundException(`Identity '${id}' not found.`);
    return { identityId: row.id, developerUserIds: await this.store.identities.subjectsOf(row.id, dev, limit, afterSubject) };
  }

  /** MergeDeveloperIdentities: the source user's identity merges into the destination user's. */
  async merge(poolId: string, providerName: string, sourceUserId: string, destinationUserId: string): Promise<string> {
    const pool = await this.pools.get(poolId);
    checkProviderName(pool, providerName);
    return retryOnRace(() =>
      mergingTransaction(this.store, this.mergeEvents, async (tx, moved) => {
        const owned = async (userId: string) => {
          const link = await tx.identities.findLogin(pool.id, providerName, userId);
          if (!link) throw new ResourceNotFoundException(`Developer user identifier '${userId}' not found.`);
          return ownerOf(tx, await identityRow(tx, link.identity_id));
        };
        const [source, destination] = [await owned(sourceUserId), await owned(destinationUserId)];
        if (source.id !== destination.id) {
          await lockMerging(tx, [source, destination]);
          moved.push(...(await merge(tx, source, destination, this.clock.now())));
        }
        return destination.id;
      }),
    );
  }

  /** UnlinkDeveloperIdentity: detaches a developer user identifier from its identity. */
  async unlink(poolId: string, identityId: string, providerName: string, developerUserId: string): Promise<void> {
    const pool = await this.pools.get(poolId);
    checkProviderName(pool, providerName);
    const row = await this.store.identities.get(identityId);
    if (!row || row.pool_id !== pool.id) throw new ResourceNotFoundException(`Identity '${identityId}' not found.`);
    await this.store.transaction(async (tx) => {
      const removed = await tx.identities.unlink(row.id, providerName, developerUserId);
      if (!removed) throw new ResourceNotFoundException(`Developer user identifier '${developerUserId}' is not linked to identity '${identityId}'.`);
      await tx.identities.update(row.id, { updated_at: this.clock.now() });
    });
  }
}

function developerProvider(pool: IdentityPool): string {
  const dev = pool.settings.DeveloperProviderName;
  if (!dev) throw new InvalidParameterException(`Identity pool ${pool.id} has no developer provider name.`);
  return dev;
}

function checkProviderName(pool: IdentityPool, name: string): void {
  if (developerProvider(pool) !== name) {
    throw new InvalidParameterException(`Developer provider name ${name} does not match the identity pool's.`);
  }
}
