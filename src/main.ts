// Starts Tessera: read config, open the store, mount the front ends, listen.
// Exit codes: 0 after a clean stop, 1 when the start fails (database unreachable, port taken),
// 2 when the configuration is invalid (the message names the variable).
// SIGTERM/SIGINT stop accepting connections, let in-flight requests finish (at most
// TESSERA_SHUTDOWN_GRACE_SECONDS), then close the store and exit 0.
import { ConfigError, loadConfig } from './config/index.js';

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
  // The rest of Tessera loads only once the configuration is known to be good.
  const [{ createApp }, { loadRegistry }, { buildServer }] = await Promise.all([
    import('./app.js'),
    import('./operations/registry.js'),
    import('./server.js'),
  ]);
  const app = await createApp(config);
  const server = await buildServer(app, await loadRegistry());
  await server.listen({ port: config.port, host: config.host });
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  // PORT=0 picks a free port: the default public URL follows the one picked.
  if (config.publicUrl === 'http://localhost:0') app.config.publicUrl = `http://localhost:${port}`;
  app.log.info(
    { url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`, port, store: app.store.engine, publicUrl: config.publicUrl },
    'Tessera is listening',
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping: finishing in-flight requests');
    const grace = setTimeout(() => {
      app.log.warn({ graceSeconds: config.shutdownGraceSeconds }, 'stopping: in-flight requests did not finish in time');
      process.exit(1);
    }, config.shutdownGraceSeconds * 1000);
    grace.unref();
    try {
      await server.close();
      await app.close();
    } catch (e) {
      app.log.error({ err: e }, 'stopping: close failed');
      process.exit(1);
    }
    app.log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e) => {
  process.stderr.write(`tessera: failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
