// The CPU of this process's PostgreSQL backends: node-postgres learns each connection's backend
// process id at connect (BackendKeyData); on Linux its CPU time is in /proc/<pid>/stat. Importing
// this module starts collecting the ids, so import it before the server connects.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Backend process ids of every connection this process opened since the import. */
export const pgBackends = new Set<number>();

const Connection = createRequire(import.meta.url)('pg/lib/connection.js');
const connect = Connection.prototype.connect;
Connection.prototype.connect = function (this: { on(e: string, f: (m: { processID: number }) => void): void }, ...args: unknown[]) {
  this.on('backendKeyData', (m) => pgBackends.add(m.processID));
  return connect.apply(this, args);
};

/** CPU ms so far of each of these backends (by pid; one that has ended is absent). */
export function backendCpu(pids: Iterable<number> = pgBackends): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // the backend ended (its last figures are lost)
    }
  }
  return out;
}

/** CPU used between two samples, backend by backend (one that started in between counts from 0). */
export function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, t] of after) ms += t - (before.get(pid) ?? 0);
  return ms;
}
