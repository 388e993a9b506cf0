// Finds the operation handlers: every file in src/operations/<service>/ default-exports one,
// named exactly as its file. Loaded once at start.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Operation, ServiceId } from './operation.js';

export type Registry = Record<ServiceId, Map<string, Operation>>;

const here = dirname(fileURLToPath(import.meta.url));

export async function loadRegistry(): Promise<Registry> {
  const registry: Registry = { idp: new Map(), identity: new Map(), sync: new Map() };
  for (const service of Object.keys(registry) as ServiceId[]) {
    const dir = join(here, service);
    let files: string[] = [];
    try {
      files = readdirSync(dir);
    } catch {
      continue;
    }
    for (const f of files) {
      const m = /^([A-Z]\w+)\.(ts|js)$/.exec(f);
      if (!m) continue;
      const mod = await import(pathToFileURL(join(dir, f)).href);
      const op: Operation | undefined = mod.default;
      if (!op || op.name !== m[1] || op.service !== service) {
        throw new Error(`${service}/${f} must default-export the operation ${m[1]}`);
      }
      registry[service].set(op.name, op);
    }
  }
  return registry;
}
