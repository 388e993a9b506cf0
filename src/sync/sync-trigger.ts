// Cognito Events' SyncTrigger (identity-and-sync.md B.4): before an UpdateRecords is stored, the
// identity pool's function (SetCognitoEvents) sees the change and says what is stored instead.
//
//   event   { version: 2, eventType: "SyncTrigger", region, identityPoolId, identityId, datasetName,
//             datasetRecords: { <key>: { oldValue?, newValue?, op: "replace" | "remove" } } }
//           (`version` is a number here, unlike the user pool triggers' string)
//   answer  the same event; its datasetRecords are what gets written: a value changed, a key the
//           device sent left out (ignored), a key added, `op: "remove"` to delete. Each entry
//           needs op replace (with a string newValue) or remove.
//
// Only calls made with an identity's own credentials run it; Cognito does not invoke the function
// for UpdateRecords signed with developer (admin) credentials.
//
// The function runs through the triggers' invokers (src/triggers: Lambda Invoke API or webhook,
// 5 s per attempt, retries), outside the dataset's transaction. What goes wrong is answered with the
// exceptions UpdateRecords declares:
//   the function failed, or its answer is not such an event  -> InvalidLambdaFunctionOutputException
//   no answer in time, throttled, Lambda unreachable         -> LambdaThrottledException (retry later)
import { InvalidLambdaFunctionOutputException, LambdaThrottledException } from '../errors.js';
import type { AttemptResult } from '../triggers/invoke.js';
import type { DatasetKey } from '../store/sync.js';
import type { RecordPatch } from './records.js';

/** Carries an event to a function (TriggerRunner.invokeRef); `ownerId` is the identity pool. */
export type InvokeFunction = (ownerId: string, ref: string, event: Record<string, unknown>) => Promise<AttemptResult>;

/** A change after the trigger: what to store for a key (the sync count is the caller's). */
export interface TriggeredChange {
  key: string;
  op: 'replace' | 'remove';
  value?: string;
}

interface EventRecord {
  oldValue?: string;
  newValue?: string;
  op: 'replace' | 'remove';
}

const MAX_KEY_LENGTH = 1024;

/**
 * Runs the function `ref` for the patches of one UpdateRecords and returns the changes it wants
 * stored. `stored` holds the current values of the patched keys (absent or null: no value).
 */
export async function runSyncTrigger(
  invoke: InvokeFunction,
  ref: string,
  region: string,
  k: DatasetKey,
  patches: RecordPatch[],
  stored: Map<string, string | null>,
): Promise<TriggeredChange[]> {
  const datasetRecords: Record<string, EventRecord> = {};
  for (const p of patches) {
    const old = stored.get(p.key);
    datasetRecords[p.key] = {
      ...(old != null ? { oldValue: old } : {}),
      ...(p.op === 'replace' ? { newValue: p.value } : {}),
      op: p.op,
    };
  }
  const event = {
    version: 2,
    eventType: 'SyncTrigger',
    region,
    identityPoolId: k.poolId,
    identityId: k.identityId,
    datasetName: k.name,
    datasetRecords,
  };
  const r = await invoke(k.poolId, ref, event);
  switch (r.kind) {
    case 'ok':
      return changesOf(r.body);
    case 'function-error':
      throw new InvalidLambdaFunctionOutputException(`The SyncTrigger function failed: ${errorMessageOf(r.body)}`);
    case 'timeout':
      throw new LambdaThrottledException('The SyncTrigger function did not answer in time; try again later.');
    default:
      throw new LambdaThrottledException(`The SyncTrigger function could not be invoked (${r.type}); try again later.`);
  }
}

/** The records of the returned event, or InvalidLambdaFunctionOutputException. */
function changesOf(body: string): TriggeredChange[] {
  let out: unknown;
  try {
    out = JSON.parse(body);
  } catch {
    throw bad('it is not JSON');
  }
  const records = (out as { datasetRecords?: unknown } | null)?.datasetRecords;
  if (typeof records !== 'object' || records === null || Array.isArray(records)) throw bad('it has no datasetRecords object');
  const changes: TriggeredChange[] = [];
  for (const [key, v] of Object.entries(records as Record<string, unknown>)) {
    if (!key || key.length > MAX_KEY_LENGTH) throw bad(`the record key '${key.slice(0, 64)}' is not 1 to ${MAX_KEY_LENGTH} characters`);
    const rec = v as Partial<EventRecord> | null;
    if (rec?.op === 'remove') changes.push({ key, op: 'remove' });
    else if (rec?.op === 'replace' && typeof rec.newValue === 'string') changes.push({ key, op: 'replace', value: rec.newValue });
    else throw bad(`the record '${key}' needs op "replace" with a string newValue, or op "remove"`);
  }
  return changes;
}

const bad = (why: string) => new InvalidLambdaFunctionOutputException(`The SyncTrigger function returned an invalid event: ${why}.`);

function errorMessageOf(body: string): string {
  try {
    const v = JSON.parse(body);
    if (typeof v?.errorMessage === 'string') return v.errorMessage;
  } catch {
    /* not JSON */
  }
  return body.slice(0, 500);
}
