// Datasets of merged identities (identity-and-sync.md B.2). When one identity merges into another
// (a login already held elsewhere, MergeDeveloperIdentities), its data follows it:
//
//   a live dataset whose name the survivor does not use   -> moves under the same name
//   a name the survivor already uses (live or deleted)     -> moves as `<name>.<merged identity id>`
//
// Dataset names are at most 128 characters; when `<name>.<id>` would be longer, the name is cut
// and 8 hex digits of its SHA-256 keep it apart from other cut names: `<cut>-<hash>.<id>`.
// Cognito's documentation says nothing of the 20-datasets limit on a merge; Tessera never drops
// data, so every live dataset moves even past the limit. They all stay readable and writable
// until deleted, and they count: the survivor makes no new dataset while it holds 20 or more.
// Each moved dataset is announced on the change stream (events.ts) under its new key.
//
// and ListRecords of `<name>` on the survivor reports those `<name>.<id>` datasets as
// MergedDatasetNames, as Cognito does, so that a device merges them into its copy and then
// deletes them (a deleted one is no longer reported). Deleted datasets of the merged identity stay
// behind with it.
import { createHash } from 'node:crypto';
import type { Store } from '../store/store.js';
import type { DatasetKey } from '../store/sync.js';
import type { SyncChange } from './events.js';

const MAX_NAME = 128;

/** The name `name` of identity `fromId` takes on a survivor that already uses `name`. */
export function mergedName(name: string, fromId: string): string {
  const full = `${name}.${fromId}`;
  if (full.length <= MAX_NAME) return full;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_NAME - fromId.length - hash.length - 2)}-${hash}.${fromId}`;
}

/**
 * Moves the live datasets of `fromId` to `intoId`; call inside the merge's transaction. Returns
 * the change-stream events for the moved datasets (their new keys), to send once it commits.
 */
export async function moveMergedDatasets(tx: Store, poolId: string, fromId: string, intoId: string): Promise<SyncChange[]> {
  const datasets = await tx.sync.listDatasets(poolId, fromId, 10_000);
  const out: SyncChange[] = [];
  for (const d of datasets) {
    const taken = await tx.sync.getDataset({ poolId, identityId: intoId, name: d.name });
    let name = taken ? mergedName(d.name, fromId) : d.name;
    // A survivor that itself made a dataset of exactly that name (a hash clash is no likelier).
    for (let n = 2; taken && (await tx.sync.getDataset({ poolId, identityId: intoId, name })); n++) {
      name = mergedName(`${d.name}-${n}`, fromId);
    }
    await tx.sync.moveDataset({ poolId, identityId: fromId, name: d.name }, { poolId, identityId: intoId, name });
    out.push({ identityPoolId: poolId, identityId: intoId, datasetName: name, syncCount: d.sync_count });
  }
  return out;
}

/** The `<name>.<id>` datasets of identities merged into `k.identityId` (MergedDatasetNames). */
export async function mergedDatasetNames(store: Store, k: DatasetKey): Promise<string[]> {
  const merged = await mergedIdentities(store, k.identityId);
  if (!merged.size) return [];
  const live = new Set((await store.sync.listDatasets(k.poolId, k.identityId, 10_000)).map((d) => d.name));
  const out: string[] = [];
  for (const id of merged) {
    const name = mergedName(k.name, id);
    if (live.has(name)) out.push(name);
  }
  return out.sort();
}

/** Identities merged into this one, directly or through earlier merges. */
async function mergedIdentities(store: Store, identityId: string): Promise<Set<string>> {
  const out = new Set<string>();
  let frontier = [identityId];
  for (let depth = 0; frontier.length && depth < 16; depth++) {
    const next: string[] = [];
    for (const id of frontier) for (const m of await store.identities.mergedInto(id)) if (!out.has(m)) next.push(m);
    for (const m of next) out.add(m);
    frontier = next;
  }
  return out;
}
