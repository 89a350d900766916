/**
 * The only module that imports pino. Everything else takes a `Logger` and derives children with
 * `log.child({ service })` / `log.child({ reqId })`. Field vocabulary: service, container, route,
 * reqId, state, from, to, cause, durationMs, err.
 */
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

/** The logger type every module uses. */
export type Logger = PinoLogger;

/** Log levels accepted by `--log-level` / LOG_LEVEL. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** One of LOG_LEVELS. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Options for createLogger. */
export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where to write; defaults to stdout. Tests pass a stream to read the lines back. */
  readonly destination?: DestinationStream;
}

/** Creates the root logger: JSON lines, ISO time, errors serialized with their code and cause. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: 'wake-proxy',
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: pino.stdSerializers.errWithCause },
      // The admin token must never reach a log line, whatever object carries it.
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'authorization', 'adminToken', '*.adminToken', 'token'],
        remove: true,
      },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}

/** A logger that discards everything (unit tests). */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
