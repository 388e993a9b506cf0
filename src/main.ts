// Starts Tessera: read config, open the store, mount the front ends, listen. SIGTERM/SIGINT finish
// in-flight requests, then close the store.
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config/index.js';
import { loadRegistry } from './operations/registry.js';
import { buildServer } from './server.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`tessera: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const app = await createApp(config);
  const server = await buildServer(app, await loadRegistry());
  await server.listen({ port: config.port, host: config.host });
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  app.log.info(
    { url: `http://${config.host}:${port}`, store: app.store.engine, publicUrl: config.publicUrl },
    'Tessera is listening',
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping: finishing in-flight requests');
    await server.close();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e) => {
  process.stderr.write(`tessera: failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
