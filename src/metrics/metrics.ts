// The process's Prometheus metrics (prom-client), one registry per process: a scrape sees this
// process, as Prometheus expects of a fleet of identical ones. Labels are bounded sets: operation
// names come from the model (unknown ones are refused before they are counted under their name),
// routes are Fastify's patterns, outcomes are exception names, query kinds are Kysely's node kinds.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'tessera_' });

const requests = new Counter({
  name: 'tessera_requests_total',
  help: 'Requests answered, by operation (or route) and outcome (OK or the exception name).',
  labelNames: ['operation', 'outcome'],
  registers: [registry],
});

const requestSeconds = new Histogram({
  name: 'tessera_request_duration_seconds',
  help: 'Time from request to response, by operation (or route).',
  labelNames: ['operation'],
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

const signIns = new Counter({
  name: 'tessera_sign_ins_total',
  help: 'Sign-in steps, by flow (AuthFlow or ChallengeName) and result (Pass, Fail, InProgress).',
  labelNames: ['flow', 'result'],
  registers: [registry],
});

const lockouts = new Counter({
  name: 'tessera_lockouts_total',
  help: 'Sign-ins refused by a lock: user (Password attempts exceeded) or address (too many failures).',
  labelNames: ['kind'],
  registers: [registry],
});

const triggerCalls = new Counter({
  name: 'tessera_trigger_calls_total',
  help: 'Lambda/webhook trigger invocations, by trigger source and outcome (ok, timeout, function-error, ...).',
  labelNames: ['trigger', 'outcome'],
  registers: [registry],
});

const syncDeliveries = new Counter({
  name: 'tessera_sync_deliveries_total',
  help: 'Cognito Sync deliveries to AWS: push notifications through SNS (push) and Cognito Streams records through Kinesis (stream), by outcome (ok, error); changes not delivered because too many were pending (change, dropped).',
  labelNames: ['kind', 'outcome'],
  registers: [registry],
});

const storeSeconds = new Histogram({
  name: 'tessera_store_query_duration_seconds',
  help: 'Database query time, by query kind (select, insert, update, delete, other).',
  labelNames: ['kind'],
  buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
  registers: [registry],
});

const storeErrors = new Counter({
  name: 'tessera_store_query_errors_total',
  help: 'Database queries that failed (including unique violations the domain expects).',
  labelNames: ['kind'],
  registers: [registry],
});

/** One answered request: `operation` is the AWS operation, else the route pattern. */
export function observeRequest(operation: string, outcome: string | undefined, seconds: number): void {
  requests.inc({ operation, outcome: outcome ?? 'OK' });
  requestSeconds.observe({ operation }, seconds);
}

export function observeSignIn(flow: string, result: string): void {
  signIns.inc({ flow, result });
}

export function observeLockout(kind: 'user' | 'address'): void {
  lockouts.inc({ kind });
}

export function observeTrigger(trigger: string, outcome: string): void {
  triggerCalls.inc({ trigger, outcome });
}

export function observeSyncDelivery(kind: 'push' | 'stream' | 'change', outcome: 'ok' | 'error' | 'dropped', n = 1): void {
  syncDeliveries.inc({ kind, outcome }, n);
}

const QUERY_KINDS: Record<string, string> = {
  SelectQueryNode: 'select',
  InsertQueryNode: 'insert',
  UpdateQueryNode: 'update',
  DeleteQueryNode: 'delete',
};

/**
 * Kysely's `log` hook: one histogram observation per query (a few hundred nanoseconds).
 * @example new Kysely({ dialect, log: observeQuery })
 */
export function observeQuery(event: { level: 'query' | 'error'; queryDurationMillis: number; query: { query: { kind: string } } }): void {
  const kind = QUERY_KINDS[event.query.query.kind] ?? 'other';
  if (event.level === 'error') storeErrors.inc({ kind });
  storeSeconds.observe({ kind }, event.queryDurationMillis / 1000);
}
