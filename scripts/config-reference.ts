/**
 * Prints the configuration reference as a Markdown table, from the config
 * schema itself, so docs/OPERATIONS.md can be regenerated when keys change:
 * `npx tsx scripts/config-reference.ts`.
 */
import { CONFIG_KEYS, defaultConfig } from '../src/config/index.js'

function valueAt (config: unknown, path: readonly string[]): unknown {
  let value = config
  for (const part of path) {
    value = (value as Record<string, unknown> | undefined)?.[part]
  }
  return value
}

function cell (text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}

const defaults = defaultConfig()
console.log('| key | environment variable | default | meaning |')
console.log('| --- | --- | --- | --- |')
for (const key of CONFIG_KEYS) {
  const value = valueAt(defaults, key.path)
  const shown = value === undefined ? 'unset' : `\`${cell(JSON.stringify(value))}\``
  console.log(`| \`${key.name}\` | \`${key.envVar}\` | ${shown} | ${cell(key.description)} |`)
}
