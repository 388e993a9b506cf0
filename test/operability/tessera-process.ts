// Runs `src/main.ts` as its own process, as `npm start` does, and reads what it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = import.meta.resolve('tsx');

export interface TesseraProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** JSON log lines printed so far. */
  logs: () => Record<string, unknown>[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  url?: string;
}

/** Environment without the caller's TESSERA_* settings (tests name every one they want). */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TESSERA_') && k !== 'PORT' && k !== 'HOST') env[k] = v;
  return { ...env, ...extra };
}

/** `node --import tsx src/main.ts` in `cwd`, or with `npm: true` the `npm start` of the repository. */
export function spawnTessera(env: Record<string, string>, cwd = root, opts: { npm?: boolean } = {}): TesseraProcess {
  const child = opts.npm
    ? spawn('npm', ['start', '--silent'], { cwd: root, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, ['--import', tsx, `${root}/src/main.ts`], { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    logs: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l)),
    exited,
  };
}

/** Waits for the "listening" log line and returns the URL it names. */
export async function listening(p: TesseraProcess, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = p.logs().find((l) => l.msg === 'Tessera is listening');
    if (line) return (p.url = `http://127.0.0.1:${line.port}`);
    if (p.child.exitCode !== null) throw new Error(`tessera exited with ${p.child.exitCode}: ${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`tessera did not start in time: ${p.stdout()} ${p.stderr()}`);
}

/** SIGTERM, then the exit code. */
export async function stop(p: TesseraProcess): Promise<number | null> {
  if (p.child.exitCode === null) p.child.kill('SIGTERM');
  return p.exited;
}
