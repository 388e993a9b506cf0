// Tags of user pools (TagResource, UntagResource, ListTagsForResource, UserPoolTags). A tag belongs
// to the pool's ARN, which must be one this server issued for a pool that exists. Rules:
// - at most 50 tags per pool;
// - keys starting with `aws:` are AWS's own and cannot be set by callers.
import { InvalidParameterException, ResourceNotFoundException } from '../errors.js';
import type { UserPool, UserPools } from './pools.js';

export const MAX_TAGS = 50;
const POOL_ARN = /^arn:aws:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/([\w-]+_[0-9a-zA-Z]+)$/;

/** Checks `added` on top of the `existing` tags of a pool. */
export function checkNewTags(existing: Record<string, string>, added: Record<string, string>): void {
  for (const key of Object.keys(added)) {
    if (key.toLowerCase().startsWith('aws:')) {
      throw new InvalidParameterException(`Tag keys starting with aws: are reserved: ${key}`);
    }
  }
  const count = new Set([...Object.keys(existing), ...Object.keys(added)]).size;
  if (count > MAX_TAGS) throw new InvalidParameterException(`A user pool can have at most ${MAX_TAGS} tags.`);
}

/** The pool an ARN names, or ResourceNotFoundException. */
export async function poolOfArn(pools: UserPools, arn: string): Promise<UserPool> {
  const id = POOL_ARN.exec(arn)?.[1];
  if (!id || pools.arnOf(id) !== arn) throw new ResourceNotFoundException(`Resource ${arn} does not exist.`);
  return pools.get(id);
}

export async function tagPool(pools: UserPools, arn: string, tags: Record<string, string>): Promise<void> {
  const pool = await poolOfArn(pools, arn);
  await pools.store.transaction(async (tx) => {
    checkNewTags(await tx.tags.list(pool.arn), tags);
    await tx.tags.put(pool.arn, tags);
  });
}

export async function untagPool(pools: UserPools, arn: string, keys: string[]): Promise<void> {
  const pool = await poolOfArn(pools, arn);
  await pools.store.tags.remove(pool.arn, keys);
}

export async function listPoolTags(pools: UserPools, arn: string): Promise<Record<string, string>> {
  const pool = await poolOfArn(pools, arn);
  return pools.store.tags.list(pool.arn);
}
