import { existsSync } from 'node:fs'
import { loadConfig } from '../config/index.js'
import { createLogger } from '../log/logger.js'
import type { PohConfig } from '../config/index.js'
import type { Logger } from '../log/logger.js'

/** Config file used when neither --config nor POH_CONFIG names one. */
export const DEFAULT_CONFIG_FILE = 'poh.toml'

export interface LoadedCli {
  config: PohConfig
  logger: Logger
  file?: string
}

/**
 * Loads the config the way every command does: the file from --config, then
 * POH_CONFIG, then ./poh.toml when present; environment variables and flags
 * override it. Warnings go to the log.
 */
export function loadCliConfig (options: { config?: string }, overrides: Record<string, unknown> = {}, report: { warnings: boolean } = { warnings: true }): LoadedCli {
  const file = options.config ?? process.env.POH_CONFIG ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined)
  const { config, warnings } = loadConfig({ file, env: process.env, overrides })
  const logger = createLogger({ level: config.log.level, format: config.log.format })
  if (report.warnings) {
    const configLogger = logger.child({ component: 'config' })
    for (const warning of warnings) {
      configLogger.warn(warning)
    }
  }
  return { config, logger, file }
}

/** Parses a whole number option, naming the flag when it is not one. */
export function parseWholeNumber (flag: string): (value: string) => number {
  return (value: string) => {
    if (!/^\d+$/.test(value)) {
      throw new Error(`${flag} must be a whole number, got "${value}"`)
    }
    return Number(value)
  }
}
