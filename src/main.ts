#!/usr/bin/env node
/**
 * Process entry: argv → command → run. The only module that reads process.env, writes to the
 * terminal for the user or calls process.exit.
 *
 * Exit codes: 0 done (validate found no problem, schema printed), 1 invalid configuration or failed
 * start, 2 usage error. SIGINT/SIGTERM drain (--drain-timeout) and close the proxy, then exit 0; a
 * second signal exits 1 at once (see handleSignals).
 * SIGHUP reloads both config files (all or nothing; a bad edit keeps the running configuration).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createApp, type App } from './app.ts';
import { parseCli, type ServeCommand, type ValidateCommand } from './cli.ts';
import { systemClock } from './clock.ts';
import { readAdminTokenFile } from './config/admin-token-file.ts';
import { renderJsonSchema } from './config/json-schema.ts';
import { loadConfig } from './config/load-config.ts';
import { ConfigError } from './errors.ts';
import { createLogger, type Logger } from './logging/logger.ts';
import { composeScopeOf } from './providers/docker/compose-scope.ts';
import { DockerProvider } from './providers/docker/docker-provider.ts';
import { SwarmProvider } from './providers/swarm/swarm-provider.ts';

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

async function validate(command: ValidateCommand): Promise<number> {
  const { routesPath, servicesPath } = command;
  for (const warning of command.warnings) process.stderr.write(`warning: ${warning}\n`);
  try {
    const config = await loadConfig({ routesPath, servicesPath }, { envDefaults: command.envDefaults });
    process.stdout.write(
      `${routesPath} and ${servicesPath} are valid: ${config.routes.length} routes, ${config.services.length} services\n`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.issues.join('\n')}\n`);
    return 1;
  }
}

/** Past the drain, how long the rest of close() (events loop, idle timers, pools) may take. */
const SHUTDOWN_GRACE_MS = 1_000;

/**
 * The process's signal policy, in one place. SIGHUP: reload both files (what a reload finds wrong
 * in them is logged by the app; anything else is a bug, logged here). SIGTERM/SIGINT: close the
 * app (drain for at most `drainTimeoutMs`, then cut) and resolve when closed; a second one, or a
 * close that overruns the drain by SHUTDOWN_GRACE_MS, exits 1 at once.
 */
function handleSignals(app: App, logger: Logger, drainTimeoutMs: number): Promise<void> {
  process.on('SIGHUP', () => {
    app.reload('signal').catch((err: unknown) => logger.error({ err }, 'configuration reload failed'));
  });
  return new Promise<void>((done) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals += 1;
      if (signals > 1) process.exit(1);
      logger.info({ signal, drainTimeoutMs }, 'shutting down');
      // systemClock timers never keep the process alive: a clean close exits before it fires.
      systemClock.setTimeout(() => {
        logger.error({ durationMs: drainTimeoutMs + SHUTDOWN_GRACE_MS }, 'shutdown overran the drain timeout');
        process.exit(1);
      }, drainTimeoutMs + SHUTDOWN_GRACE_MS);
      void app.close().then(done, (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        done();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

async function serve(command: ServeCommand): Promise<number> {
  const logger = createLogger({ level: command.logLevel });
  let config;
  let provider: DockerProvider;
  let adminToken = command.adminToken;
  const paths = { routesPath: command.routesPath, servicesPath: command.servicesPath };
  // The same defaults from the environment for the first load and every reload.
  const loadOptions = { envDefaults: command.envDefaults };
  try {
    for (const warning of command.warnings) logger.warn({ warning }, 'setting has no effect');
    config = await loadConfig(paths, loadOptions);
    logger.info(
      { routes: resolve(command.routesPath), services: resolve(command.servicesPath) },
      'configuration loaded',
    );
    if (command.adminTokenFile !== null) adminToken = await readAdminTokenFile(command.adminTokenFile);
    provider = new DockerProvider({
      ...(command.dockerHost ? { dockerHost: command.dockerHost } : {}),
      logger,
      clock: systemClock,
      composeScope: composeScopeOf(config.services, command.composeProject),
    });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    logger.fatal({ issues: err.issues }, 'invalid configuration');
    logger.flush();
    process.stderr.write(`${err.issues.join('\n')}\n`);
    return 1;
  }
  // The Redis client is loaded only when replicas share state: a single proxy carries none of it.
  const sharedState = command.stateUrl === null
    ? undefined
    : await (await import('./state/redis-store.ts')).createRedisSharedState(command.stateUrl, { clock: systemClock, logger });
  const app = createApp(config, {
    ...(sharedState ? { sharedState } : {}),
    provider,
    clock: systemClock,
    logger,
    accessLog: command.accessLog,
    loadConfig: () => loadConfig(paths, loadOptions),
    envDefaults: command.envDefaults,
    watchConfig: true,
    drainTimeoutMs: command.drainTimeoutMs,
    createSwarmProvider: (replicasOf) =>
      new SwarmProvider({
        ...(command.dockerHost ? { dockerHost: command.dockerHost } : {}),
        logger,
        clock: systemClock,
        replicasOf,
        ownNetworks: () => provider.ownNetworks(),
      }),
  });
  const stopped = handleSignals(app, logger, command.drainTimeoutMs);
  try {
    await app.start({
      host: command.host,
      port: command.port,
      adminPort: command.adminPort === 0 ? null : command.adminPort,
      adminHost: command.adminHost,
      adminToken,
      forwardAuthPort: command.forwardAuthPort === 0 ? null : command.forwardAuthPort,
    });
  } catch (err) {
    logger.fatal({ err }, 'start failed');
    await app.close();
    return 1;
  }
  await stopped;
  logger.info('wake-proxy stopped');
  return 0;
}

async function main(): Promise<number> {
  const command = parseCli(process.argv.slice(2), process.env);
  switch (command.kind) {
    case 'help':
      process.stdout.write(command.text);
      return 0;
    case 'version':
      process.stdout.write(`wake-proxy ${readVersion()}\n`);
      return 0;
    case 'usage-error':
      process.stderr.write(`wake-proxy: ${command.message}\n`);
      return 2;
    case 'validate':
      return validate(command);
    case 'schema':
      process.stdout.write(renderJsonSchema(command.file));
      return 0;
    case 'serve':
      return serve(command);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`wake-proxy: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
