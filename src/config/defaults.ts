/**
 * Default values and the commented TOML config file that `poh-node init` writes.
 */

import { stringify } from 'smol-toml'
import { CONFIG_SECTIONS, TOP_LEVEL_KEYS, configSchema, type ConfigKey, type PohConfig } from './schema.js'

/**
 * Returns the configuration with every key at its default. Paths are as
 * written in the schema and not yet resolved, so data_dir is "./data".
 */
export function defaultConfig (): PohConfig {
  return configSchema.parse({})
}

const COMMENT_WIDTH = 78

const FILE_HEADER = [
  'poh-node configuration.',
  'Every key is optional. The comment above each key gives its meaning, unit and default.',
  'An environment variable POH_<KEY> overrides a key of this file, for example POH_LOG_LEVEL=debug for log.level, and command-line flags override both.'
]

/** Wraps text into `# ` comment lines of at most COMMENT_WIDTH characters where the words allow. */
function commentLines (text: string): string[] {
  const lines: string[] = []
  let line = '#'
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '#' && line.length + 1 + word.length > COMMENT_WIDTH) {
      lines.push(line)
      line = '#'
    }
    line += ` ${word}`
  }
  if (line !== '#') {
    lines.push(line)
  }
  return lines
}

/** Formats a string, number, boolean or array of those as a TOML value. */
function formatScalar (value: unknown): string {
  return stringify({ v: value }).trim().replace(/^v = /, '')
}

/**
 * Formats a value as TOML. An array of tables (the holder set) becomes a
 * multi-line array of inline tables, so it can stay among the top-level keys
 * above the first [table] header.
 */
function formatValue (value: unknown): string {
  if (Array.isArray(value) && value.some((item) => typeof item === 'object' && item !== null)) {
    const items = value.map((item: Record<string, unknown>) => {
      const fields = Object.entries(item).map(([name, field]) => `${name} = ${formatScalar(field)}`)
      return `  { ${fields.join(', ')} },`
    })
    return ['[', ...items, ']'].join('\n')
  }
  return formatScalar(value)
}

function valueAt (config: unknown, path: readonly string[]): unknown {
  let value = config
  for (const part of path) {
    value = (value as Record<string, unknown> | undefined)?.[part]
  }
  return value
}

function renderKey (key: ConfigKey, config: PohConfig, defaults: PohConfig): string[] {
  const name = key.path.at(-1) ?? key.name
  const defaultValue = valueAt(defaults, key.path)
  const lines = commentLines(key.description)
  if (defaultValue !== undefined) {
    lines.push(...commentLines(`Default: ${formatValue(defaultValue).replace(/\s*\n\s*/g, ' ')}`))
  } else {
    lines.push('# Default: unset')
  }

  const value = valueAt(config, key.path)
  if (value !== undefined) {
    lines.push(`${name} = ${formatValue(value)}`)
  } else {
    // An unset optional key is written commented out, with the schema's example value.
    const example = (key.schema.meta()?.examples as unknown[] | undefined)?.[0]
    lines.push(`# ${name} = ${example !== undefined ? formatValue(example) : ''}`.trimEnd())
  }
  return lines
}

/**
 * Renders a config as a commented TOML file. Loading the file back gives the
 * same values, except that relative paths are then resolved (see loadConfig).
 * NOTE: the output contains api.token when it is set, so write the file with
 * owner-only permissions.
 */
export function renderConfigToml (config: PohConfig): string {
  const defaults = defaultConfig()
  const blocks: string[][] = [FILE_HEADER.flatMap(commentLines)]

  for (const key of TOP_LEVEL_KEYS) {
    blocks.push(renderKey(key, config, defaults))
  }

  for (const section of CONFIG_SECTIONS) {
    blocks.push([...commentLines(section.description), `[${section.name}]`])
    for (const key of section.keys) {
      blocks.push(renderKey(key, config, defaults))
    }
  }

  return blocks.map((block) => block.join('\n')).join('\n\n') + '\n'
}
