/**
 * Structured logging on pino. Records go to stderr by default, so stdout stays
 * free for command output.
 */

import pinoPretty from 'pino-pretty'
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino'

/** Log levels, from most to least verbose. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const
export type LogLevel = typeof LOG_LEVELS[number]

/** `json` writes one JSON object per line. `pretty` writes human-readable lines. */
export const LOG_FORMATS = ['json', 'pretty'] as const
export type LogFormat = typeof LOG_FORMATS[number]

export type Logger = PinoLogger

export interface LoggerOptions {
  level: LogLevel
  format: LogFormat
  /** Stream that receives the records. Defaults to stderr (fd 2). */
  destination?: DestinationStream
}

/** Field names whose values are replaced by REDACTED_VALUE in every record. */
export const REDACTED_FIELDS = ['payload', 'secretKey', 'secret_key', 'privateKey', 'private_key', 'token', 'password', 'authorization']

export const REDACTED_VALUE = '[redacted]'

/**
 * Redaction paths for REDACTED_FIELDS at the top level of a record and up to
 * two objects deep.
 * NOTE: a field nested deeper, or a secret inside a message string, is not
 * redacted, because pino's redact paths name fixed depths.
 */
const REDACT_PATHS = REDACTED_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`])

/** Creates the root logger. Writes are synchronous, so no record is lost on exit. */
export function createLogger (options: LoggerOptions): Logger {
  const destination = options.destination ?? pino.destination({ dest: 2, sync: true })
  const loggerOptions = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: REDACTED_VALUE }
  }

  if (options.format === 'pretty') {
    // Formatting each line in place, rather than piping through pino-pretty's
    // transform stream, keeps writes synchronous and accepts any destination.
    const prettify = pinoPretty.prettyFactory({
      colorize: options.destination == null && process.stderr.isTTY
    })
    return pino(loggerOptions, { write: (line: string) => destination.write(prettify(line)) })
  }

  return pino({
    ...loggerOptions,
    // Level names ("info") rather than pino's numbers (30) are easier to filter on in log pipelines.
    formatters: { level: (label) => ({ level: label }) }
  }, destination)
}

/** Creates a child logger whose records carry `component` and the given bindings. */
export function childLogger (parent: Logger, component: string, bindings: Record<string, unknown> = {}): Logger {
  return parent.child({ ...bindings, component })
}
