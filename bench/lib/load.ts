// Runs load from child processes (lib/loadgen.ts), so the load generator has its own event loop
// and the bench process only hosts the server. One LoadGen is one child, reused across jobs.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadResult {
  /** Requests (or sign-ins) answered 2xx. */
  ok: number;
  /** Non-2xx answers, socket errors and timeouts. */
  failed: number;
  seconds: number;
  /** ok per second. */
  rps: number;
  /** Latency, ms. */
  p50: number;
  p99: number;
  /** CPU time per ok request, ms: the server's process (all its threads) and the load generator's. */
  serverCpuMs?: number;
  /** CPU ms per request of this process's PostgreSQL backends (bench/lib/pg-backends.ts), where measured. */
  pgCpuMs?: number;
  clientCpuMs?: number;
  lastError?: string;
}

export type Scenario =
  | 'health'
  | 'AdminGetUser'
  | 'ListUsers'
  | 'SignUp'
  | 'RefreshTokenAuth'
  | 'GetTokensFromRefreshToken'
  | 'UserPasswordAuth'
  | 'GetUser';

export interface CannonJob {
  kind: 'cannon';
  url: string;
  scenario: Scenario;
  params: Record<string, unknown>;
  connections: number;
  seconds: number;
  /** Requests per second over all connections (a latency probe); unlimited when absent. */
  rate?: number;
}

export interface SrpJob {
  kind: 'srp';
  url: string;
  poolId: string;
  clientId: string;
  /** Sign-in users and their x (hex), from the password and salt the bench seeded. */
  users: { username: string; x: string }[];
  ephemerals: number;
  connections: number;
  seconds: number;
}

export type Job = CannonJob | SrpJob | { kind: 'exit' };

export class LoadGen {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(r: LoadResult): void; reject(e: Error): void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: { id: number; result?: LoadResult; error?: string }) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.error) w.reject(new Error(m.error));
      else w.resolve(m.result!);
    });
    child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`load generator exited (${code})`));
      this.waiting.clear();
    });
  }

  static async start(): Promise<LoadGen> {
    const child = fork(fileURLToPath(new URL('./loadgen.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`load generator exited (${code}) before it was ready`)));
    });
    return new LoadGen(child);
  }

  /**
   * Runs the job; the result carries the CPU time per request of this process (the server's, when
   * it hosts the server and nothing else runs in it meanwhile) and of the load generator.
   */
  async run(job: Exclude<Job, { kind: 'exit' }>): Promise<LoadResult> {
    const id = this.nextId++;
    const before = process.cpuUsage();
    const r = await new Promise<LoadResult>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ ...job, id });
    });
    const used = process.cpuUsage(before);
    return { ...r, serverCpuMs: r.ok ? (used.user + used.system) / 1000 / r.ok : NaN };
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ kind: 'exit' });
    await exited;
  }
}
