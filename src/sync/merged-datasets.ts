// Datasets of merged identities (identity-and-sync.md B.2). When one identity merges into another
// (a login already held elsewhere, MergeDeveloperIdentities), its data follows it:
//
//   a live dataset whose name the survivor does not use   -> moves under the same name
//   a name the survivor already uses (live or deleted)     -> moves as `<name>.<merged identity id>`
//
// and ListRecords of `<name>` on the survivor reports those `<name>.<id>` datasets as
// MergedDatasetNames, as Cognito does, so that a device merges them into its copy and then
// deletes them (a deleted one is no longer reported). Deleted datasets of the merged identity stay
// behind with it.
import type { Store } from '../store/store.js';
import type { DatasetKey } from '../store/sync.js';

/** Moves the live datasets of `fromId` to `intoId`; call inside the merge's transaction. */
export async function moveMergedDatasets(tx: Store, poolId: string, fromId: string, intoId: string): Promise<void> {
  const datasets = await tx.sync.listDatasets(poolId, fromId, 10_000);
  for (const d of datasets) {
    const taken = await tx.sync.getDataset({ poolId, identityId: intoId, name: d.name });
    const to: DatasetKey = { poolId, identityId: intoId, name: taken ? `${d.name}.${fromId}` : d.name };
    await tx.sync.moveDataset({ poolId, identityId: fromId, name: d.name }, to);
  }
}

/** The `<name>.<id>` datasets of identities merged into `k.identityId` (MergedDatasetNames). */
export async function mergedDatasetNames(store: Store, k: DatasetKey): Promise<string[]> {
  const merged = await mergedIdentities(store, k.identityId);
  if (!merged.size) return [];
  const prefix = `${k.name}.`;
  const live = await store.sync.listDatasets(k.poolId, k.identityId, 10_000);
  return live.map((d) => d.name).filter((n) => n.startsWith(prefix) && merged.has(n.slice(prefix.length)));
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
