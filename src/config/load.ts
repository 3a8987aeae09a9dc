/**
 * Loads the node configuration from a file, `POH_<KEY>` environment variables
 * and overrides (command-line flags), validates it against the schema and
 * resolves relative paths.
 */

import { readFileSync } from 'node:fs'
import { dirname, extname, resolve } from 'node:path'
import { TomlError, parse as parseToml } from 'smol-toml'
import { YAMLParseError, parse as parseYaml } from 'yaml'
import { z } from 'zod'
import { ConfigError } from '../core/errors.js'
import { toHex } from '../core/hash.js'
import { HolderSet, sigAlgFromName } from '../core/holder-set.js'
import { countedAlgorithms, policyCounts } from '../core/ack-policy.js'
import type { HolderEntry } from '../core/holder-set.js'
import { CONFIG_KEYS, OPEN_HOLDER_SET, configSchema, unwrapSchema, type ConfigKey, type PohConfig, type PohConfigInput } from './schema.js'

/** Source of a config value. */
export type ConfigSource =
  | { kind: 'default' }
  | { kind: 'file', file: string }
  | { kind: 'env', name: string }
  | { kind: 'override' }

export interface LoadConfigOptions {
  /** Config file, relative to `cwd`. Its extension picks the format: .toml, .json, .yaml or .yml. */
  file?: string
  /** Environment to read `POH_<KEY>` variables from. Defaults to process.env. */
  env?: NodeJS.ProcessEnv
  /** Values that win over the file and the environment, such as command-line flags. */
  overrides?: PohConfigInput
  /** Directory that relative paths not set in the file resolve against. Defaults to process.cwd(). */
  cwd?: string
  /** POH_ variables, besides NON_KEY_ENV_VARS, that are read elsewhere and so get no warning. */
  ignoreEnv?: readonly string[]
}

export interface LoadedConfig {
  /** The validated config, with data_dir, holder.key_file and peer_key_file made absolute. */
  config: PohConfig
  /** Problems that do not stop the node but that an operator should see at start-up. */
  warnings: string[]
  /** Source of every key in CONFIG_KEYS, by dotted key name such as 'holder.key_file'. */
  sources: Record<string, ConfigSource>
}

/** Config values from one place, and how to name that place in an error. */
interface ConfigLayer {
  values: Record<string, unknown>
  sourceAt: (path: readonly PropertyKey[]) => ConfigSource
}

type ParseFormat = 'TOML' | 'JSON' | 'YAML'

const FORMATS_BY_EXTENSION: Record<string, ParseFormat> = {
  '.toml': 'TOML',
  '.json': 'JSON',
  '.yaml': 'YAML',
  '.yml': 'YAML'
}

const ENV_PREFIX = 'POH_'

/**
 * POH_ variables that are not config keys and never get a warning. POH_CONFIG
 * names the CLI's config file, and the other two supply the holder key password.
 */
export const NON_KEY_ENV_VARS: readonly string[] = ['POH_CONFIG', 'POH_KEY_PASSWORD', 'POH_KEY_PASSWORD_FILE']

const KEYS_BY_ENV_VAR = new Map(CONFIG_KEYS.map((key) => [key.envVar, key]))

/** Maximum length of a value shown in an error message before it is cut. */
const MAX_SHOWN_VALUE_LENGTH = 60

/**
 * Loads, merges and validates the configuration. Precedence, highest first:
 * overrides, environment variables, the file, the schema defaults.
 *
 * A relative data_dir set in the file is resolved against the file's directory,
 * and one from anywhere else against `cwd`. Relative holder.key_file and
 * peer_key_file paths are resolved against data_dir.
 *
 * Throws ConfigError when the file cannot be read or parsed, or when any value
 * is invalid. The message has one line per problem, naming the key, the value,
 * where it came from and the expected form.
 */
export function loadConfig (options: LoadConfigOptions = {}): LoadedConfig {
  const cwd = options.cwd ?? process.cwd()
  const layers: ConfigLayer[] = []

  if (options.file != null) {
    const file = resolve(cwd, options.file)
    layers.push({ values: readConfigFile(file), sourceAt: () => ({ kind: 'file', file }) })
  }

  const env = readEnv(options.env ?? process.env, new Set([...NON_KEY_ENV_VARS, ...(options.ignoreEnv ?? [])]))
  layers.push(env.layer)

  if (options.overrides != null) {
    layers.push({ values: options.overrides as Record<string, unknown>, sourceAt: () => ({ kind: 'override' }) })
  }

  const merged = layers.reduce<Record<string, unknown>>((result, layer) => mergeValues(result, layer.values) as Record<string, unknown>, {})
  if (typeof merged.holders_file === 'string') {
    const base = options.file != null ? dirname(resolve(cwd, options.file)) : cwd
    merged.holders = readHoldersFile(resolve(base, merged.holders_file), merged.holders)
  }
  const sourceOf = (path: readonly PropertyKey[]): ConfigSource => {
    const layer = layers.findLast((candidate) => valueAt(candidate.values, path) !== undefined)
    return layer?.sourceAt(path) ?? { kind: 'default' }
  }

  const result = configSchema.safeParse(merged, { reportInput: true })
  const problems = [...env.problems]
  if (!result.success) {
    problems.push(...formatIssues(result.error.issues, merged, sourceOf))
  }
  if (problems.length > 0 || !result.success) {
    // A single problem stays on one line, which is what scripts and log collectors read best.
    if (problems.length === 1) {
      throw new ConfigError(String(problems[0]))
    }
    throw new ConfigError(`Invalid configuration, ${problems.length} problems:\n${problems.join('\n')}`)
  }

  const sources: Record<string, ConfigSource> = {}
  for (const key of CONFIG_KEYS) {
    sources[key.name] = sourceOf(key.path)
  }

  const config = resolvePaths(result.data, sources, cwd)
  return { config, warnings: [...env.warnings, ...collectWarnings(config)], sources }
}

/** Reads and parses a config file into a plain object. */
/**
 * Reads the holder set from holders_file: its `holders` array, checked
 * against its holder_set_hash when the file has one.
 */
function readHoldersFile (file: string, inline: unknown): unknown {
  if (inline !== undefined) {
    throw new ConfigError(`both holders and holders_file (${file}) are set; keep one of them`)
  }
  const values = readConfigFile(file)
  const holders = values.holders
  if (!Array.isArray(holders)) {
    throw new ConfigError(`holders_file ${file} has no holders array; expected holders = [{ algorithm, public_key }, ...]`)
  }
  const expected = values.holder_set_hash
  if (expected !== undefined) {
    let actual: string
    try {
      actual = toHex(HolderSet.fromConfig(holders as HolderEntry[]).hash)
    } catch (err) {
      throw new ConfigError(`holders_file ${file}: ${(err as Error).message}`)
    }
    if (typeof expected !== 'string' || expected.toLowerCase() !== actual) {
      throw new ConfigError(`holders_file ${file}: holder_set_hash ${String(expected)} does not match its holders (${actual}); the list was changed or the hash is stale`)
    }
  }
  return holders
}

function readConfigFile (file: string): Record<string, unknown> {
  const extension = extname(file).toLowerCase()
  const format = FORMATS_BY_EXTENSION[extension]
  if (format == null) {
    throw new ConfigError(`Unsupported config file extension "${extension}" in ${file}. Use .toml, .json, .yaml or .yml.`)
  }

  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message
    throw new ConfigError(`Failed to read config file ${file}: ${reason}`, { cause: err })
  }

  // Editors on Windows may start a UTF-8 file with a byte order mark, which JSON.parse rejects.
  text = text.replace(/^\uFEFF/, '')

  let parsed: unknown
  try {
    parsed = parseText(format, text)
  } catch (err) {
    throw new ConfigError(`Invalid ${format} in config file ${file}${describeParseError(err)}`, { cause: err })
  }

  // An empty YAML file parses to null. Treat it like an empty TOML file.
  if (parsed == null) {
    return {}
  }
  if (!isPlainObject(parsed)) {
    throw new ConfigError(`Invalid config file ${file}: expected a table of keys at the top level, found ${describeType(parsed)}`)
  }
  return parsed
}

function parseText (format: ParseFormat, text: string): unknown {
  switch (format) {
    case 'TOML':
      return parseToml(text)
    case 'JSON':
      return JSON.parse(text)
    case 'YAML':
      // The YAML 1.2 core schema reads `no`, `off` and `yes` as strings, so a
      // boolean key set to one of them is rejected instead of silently converted.
      return parseYaml(text, { schema: 'core' })
  }
}

/** Returns ` at line L, column C: reason` from a TOML, YAML or JSON parser error. */
function describeParseError (err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  let line: number | undefined
  let column: number | undefined
  let reason = message.split('\n')[0] ?? ''

  if (err instanceof TomlError) {
    line = err.line
    column = err.column
    reason = reason.replace(/^Invalid TOML document: /, '')
  } else if (err instanceof YAMLParseError) {
    line = err.linePos?.[0].line
    column = err.linePos?.[0].col
    reason = reason.replace(/ at line \d+, column \d+:?$/, '')
  } else {
    // Node 24's JSON.parse messages end in "at position N (line L column C)" for most syntax errors.
    const place = /\(line (\d+) column (\d+)\)/.exec(reason)
    if (place != null) {
      line = Number(place[1])
      column = Number(place[2])
      reason = reason.replace(/ at position \d+ \(line \d+ column \d+\)/, '')
    }
  }

  if (reason.length > 120) {
    reason = `${reason.slice(0, 120)}…`
  }
  const where = line != null ? ` at line ${line}${column != null ? `, column ${column}` : ''}` : ''
  return `${where}: ${reason}`
}

/** Environment variables read into a config layer. */
interface EnvLayer {
  layer: ConfigLayer
  /** One line per variable whose value cannot be converted to its key's type. */
  problems: string[]
  /** One line per POH_ variable that matches no key. */
  warnings: string[]
}

function readEnv (env: NodeJS.ProcessEnv, ignore: ReadonlySet<string>): EnvLayer {
  const values: Record<string, unknown> = {}
  const varsByKey = new Map<string, string>()
  const problems: string[] = []
  const warnings: string[] = []

  for (const [name, text] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || text === undefined || ignore.has(name)) {
      continue
    }

    const key = KEYS_BY_ENV_VAR.get(name)
    if (key == null) {
      const suggestion = closestName(name, [...KEYS_BY_ENV_VAR.keys()])
      warnings.push(`Environment variable ${name} matches no config key and was ignored.${suggestion != null ? ` Did you mean ${suggestion}?` : ''}`)
      continue
    }

    const converted = convertEnvValue(text, key)
    if ('expected' in converted) {
      problems.push(`${key.name}: invalid value ${showValue(text)} from environment variable ${name}: ${converted.expected}`)
      continue
    }

    setValueAt(values, key.path, converted.value)
    varsByKey.set(key.name, name)
  }

  const sourceAt = (path: readonly PropertyKey[]): ConfigSource => {
    for (let length = path.length; length > 0; length--) {
      const name = varsByKey.get(path.slice(0, length).join('.'))
      if (name != null) {
        return { kind: 'env', name }
      }
    }
    return { kind: 'default' }
  }

  return { layer: { values, sourceAt }, problems, warnings }
}

/**
 * Converts an environment variable's text to its key's type. Numbers and
 * booleans must be written exactly, so a typo is an error rather than a guess.
 */
function convertEnvValue (text: string, key: ConfigKey): { value: unknown } | { expected: string } {
  switch (key.kind) {
    case 'integer':
      return /^-?\d+$/.test(text) ? { value: Number(text) } : { expected: 'expected an integer, such as 3' }
    case 'boolean':
      if (text === 'true' || text === '1') {
        return { value: true }
      }
      if (text === 'false' || text === '0') {
        return { value: false }
      }
      return { expected: 'expected true, false, 1 or 0' }
    case 'list':
      return { value: text.split(',').map((item) => item.trim()).filter((item) => item !== '') }
    case 'json': {
      const trimmed = text.trim()
      if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) {
        return { value: text }
      }
      try {
        return { value: JSON.parse(trimmed) }
      } catch (err) {
        return { expected: `expected valid JSON (${(err as Error).message.slice(0, 120)})` }
      }
    }
    case 'string':
      return { value: text }
  }
}

/**
 * Turns zod issues into one line each: the key path, the bad value, where the
 * value came from and the expected form.
 */
function formatIssues (issues: readonly z.core.$ZodIssue[], input: unknown, sourceOf: (path: readonly PropertyKey[]) => ConfigSource, prefix: readonly PropertyKey[] = []): string[] {
  const lines: string[] = []
  for (const issue of issues) {
    const path = [...prefix, ...issue.path]

    if (issue.code === 'invalid_union') {
      // A union branch whose issues all sit below the value's own path matched
      // the value's shape (for holders: an array), so its issues are the useful ones.
      const matched = issue.errors.filter((branch) => branch.length > 0 && branch.every((inner) => inner.path.length > 0))
      const branch = matched[0]
      if (matched.length === 1 && branch != null) {
        lines.push(...formatIssues(branch, input, sourceOf, path))
        continue
      }
    }

    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keyPath = [...path, key]
        const suggestion = closestName(key, knownKeysAt(path))
        const hint = suggestion != null ? `. Did you mean ${formatPath([...path, suggestion])}?` : ''
        lines.push(`${formatPath(keyPath)}: unknown key ${describeSource(sourceOf(keyPath))}${hint}`)
      }
      continue
    }

    const raw = valueAt(input, path)
    const value = raw !== undefined ? raw : issue.input
    lines.push(`${formatPath(path)}: invalid value ${showValue(value)} ${describeSource(sourceOf(path))}: ${describeExpected(issue, value)}`)
  }
  return lines
}

function describeExpected (issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${describeExpectedType(issue.expected)}, received ${describeType(value)}`
    case 'too_small':
      if (issue.origin === 'string') {
        return 'expected a non-empty string'
      }
      if (issue.origin === 'array') {
        return `expected at least ${issue.minimum} items`
      }
      return `expected ${issue.inclusive === false ? 'more than' : 'at least'} ${issue.minimum}`
    case 'too_big':
      if (issue.origin === 'array') {
        return `expected at most ${issue.maximum} items`
      }
      return `expected ${issue.inclusive === false ? 'less than' : 'at most'} ${issue.maximum}`
    case 'invalid_value':
      return `expected one of ${issue.values.map((item) => JSON.stringify(item)).join(', ')}`
    default:
      // Custom, format and union issues carry the expected form in their message (see schema.ts).
      return issue.message
  }
}

function describeExpectedType (expected: string): string {
  switch (expected) {
    case 'int':
      return 'an integer'
    case 'number':
      return 'a number'
    case 'boolean':
      return 'true or false'
    case 'string':
      return 'a string'
    case 'array':
      return 'an array'
    case 'object':
      return 'a table of keys'
    default:
      return expected
  }
}

function describeType (value: unknown): string {
  if (value === null) {
    return 'null'
  }
  if (Array.isArray(value)) {
    return 'an array'
  }
  if (value instanceof Date) {
    return 'a date'
  }
  switch (typeof value) {
    case 'string':
      return 'a string'
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a fractional number'
    case 'boolean':
      return 'a boolean'
    case 'object':
      return 'a table'
    default:
      return typeof value
  }
}

function describeSource (source: ConfigSource): string {
  switch (source.kind) {
    case 'file':
      return `in ${source.file}`
    case 'env':
      return `from environment variable ${source.name}`
    case 'override':
      return 'from overrides'
    case 'default':
      return '(the default)'
  }
}

/** Formats a key path as `holder.algorithm` or `holders[0].public_key`. */
function formatPath (path: readonly PropertyKey[]): string {
  let text = ''
  for (const part of path) {
    text += typeof part === 'number' ? `[${part}]` : `${text === '' ? '' : '.'}${String(part)}`
  }
  return text === '' ? '(top level)' : text
}

/** Formats a value for an error message, cutting long strings and structures. */
function showValue (value: unknown): string {
  if (typeof value === 'string' && value.length > MAX_SHOWN_VALUE_LENGTH) {
    return `${JSON.stringify(value.slice(0, MAX_SHOWN_VALUE_LENGTH))}… (${value.length} characters)`
  }
  const text = JSON.stringify(value) ?? String(value)
  return text.length > MAX_SHOWN_VALUE_LENGTH ? `${text.slice(0, MAX_SHOWN_VALUE_LENGTH)}…` : text
}

/** Returns the key names the schema allows in the table at `path`. */
function knownKeysAt (path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = configSchema
  for (const part of path) {
    schema = schema != null ? childSchema(schema, part) : undefined
  }
  const inner = schema != null ? unwrapSchema(schema) : undefined
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : []
}

function childSchema (schema: z.ZodType, part: PropertyKey): z.ZodType | undefined {
  const inner = unwrapSchema(schema)
  if (inner instanceof z.ZodObject && typeof part === 'string') {
    return (inner.shape as Record<string, z.ZodType>)[part]
  }
  if (inner instanceof z.ZodArray && typeof part === 'number') {
    return inner.element as z.ZodType
  }
  if (inner instanceof z.ZodUnion) {
    for (const option of inner.options as z.ZodType[]) {
      const child = childSchema(option, part)
      if (child != null) {
        return child
      }
    }
  }
  return undefined
}

/**
 * Returns the candidate with the smallest edit distance to `name`, if that
 * distance is at most 3. Of equally close candidates the first wins.
 */
function closestName (name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = 4
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

/** Levenshtein distance: the number of single-character edits that turn a into b. */
function editDistance (a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution)
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

function isPlainObject (value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]'
}

function valueAt (value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value
  for (const part of path) {
    if (current == null || typeof current !== 'object') {
      return undefined
    }
    current = (current as Record<PropertyKey, unknown>)[part]
  }
  return current
}

function setValueAt (target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let table = target
  for (const part of path.slice(0, -1)) {
    const next = table[part]
    if (!isPlainObject(next)) {
      table[part] = {}
    }
    table = table[part] as Record<string, unknown>
  }
  const last = path.at(-1)
  if (last != null) {
    table[last] = value
  }
}

/**
 * Merges `top` over `base` without changing either. Tables merge key by key.
 * Arrays and other values replace, and undefined in `top` keeps the base value.
 */
function mergeValues (base: unknown, top: unknown): unknown {
  if (top === undefined) {
    return base
  }
  if (!isPlainObject(base) || !isPlainObject(top)) {
    return top
  }

  const merged: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(top)) {
    merged[key] = mergeValues(base[key], value)
  }
  return merged
}

function resolvePaths (config: PohConfig, sources: Record<string, ConfigSource>, cwd: string): PohConfig {
  const dataDirSource = sources.data_dir
  const base = dataDirSource?.kind === 'file' ? dirname(dataDirSource.file) : cwd
  const dataDir = resolve(base, config.data_dir)
  return {
    ...config,
    data_dir: dataDir,
    holder: { ...config.holder, key_file: resolve(dataDir, config.holder.key_file) },
    peer_key_file: resolve(dataDir, config.peer_key_file)
  }
}

/** Warns when ack_policy leaves listed holders, or this node's own ACKs, uncounted. */
function policyWarnings (config: PohConfig): string[] {
  const policy = config.ack_policy
  const counts = (name: string): boolean => policyCounts(policy, sigAlgFromName(name))
  const warnings: string[] = []
  if (config.holder.enabled && !counts(config.holder.algorithm)) {
    warnings.push(`holder.algorithm is ${config.holder.algorithm}, whose ACKs do not count under ack_policy ${policy}. Choose one of ${countedAlgorithms(policy).join(', ')}, or change ack_policy.`)
  }
  if (config.holders === OPEN_HOLDER_SET) {
    return warnings
  }
  const uncounted = config.holders.filter((entry) => !counts(entry.algorithm)).length
  if (uncounted > 0) {
    const countable = config.holders.length - uncounted
    const consequence = countable < config.min_poh_required
      ? `only ${countable} can count, fewer than min_poh_required (${config.min_poh_required}), so no transaction can be held`
      : `only ${countable} holders count`
    warnings.push(`${uncounted} of the ${config.holders.length} listed holders sign with algorithms that do not count under ack_policy ${policy}: ${consequence}.`)
  }
  return warnings
}

/** Returns warnings for a valid config that will not behave as an operator probably expects. */
function collectWarnings (config: PohConfig): string[] {
  const warnings: string[] = []
  const min = config.min_poh_required

  if (config.holders === OPEN_HOLDER_SET) {
    warnings.push(`holders is "${OPEN_HOLDER_SET}", so an ACK signed by any key counts toward min_poh_required. Use an open holder set only for development.`)
  } else if (config.holders.length === 0) {
    warnings.push(`holders is an empty closed set, so no transaction can reach min_poh_required (${min}). List the holders' public keys in holders, or set holders = "${OPEN_HOLDER_SET}" for development.`)
  } else if (min > config.holders.length) {
    warnings.push(`min_poh_required (${min}) is larger than the holder set (${config.holders.length} holders), so no transaction can be held.`)
  } else if (min === config.holders.length) {
    warnings.push(`min_poh_required (${min}) is not smaller than the holder set (${config.holders.length} holders), so one stopped holder blocks every transaction. ${config.holders.length === 1 ? 'List the other holders\' public keys in holders' : `Set min_poh_required below ${config.holders.length}`}.`)
  }

  warnings.push(...policyWarnings(config))

  return warnings
}
