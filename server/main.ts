import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { loadOrCreateSecrets } from './secrets';

const SHUTDOWN_DEADLINE_MS = 5_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const secrets = loadOrCreateSecrets(config);
  const app = await createApp({ config, secrets });
  const { http } = app;

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    http.log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      http.log.error('shutdown took longer than 5 s; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    http.close().then(
      () => process.exit(0),
      (error: unknown) => {
        http.log.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await http.listen({ port: config.port, host: config.host });
  http.log.info(
    { database: config.database.kind, dataDir: config.dataDir },
    `Rally is running at http://localhost:${(http.server.address() as { port: number }).port}`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Rally failed to start:', error);
  }
  process.exit(1);
});
