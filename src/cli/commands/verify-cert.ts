import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { Command, Option } from 'commander'
import { loadConfig } from '../../config/index.js'
import { ConfigError } from '../../core/errors.js'
import { CertificateFormatError, parseCertificate, verifyCertificate } from '../../core/certificate.js'
import { HolderSet } from '../../core/holder-set.js'
import { ACK_POLICIES } from '../../core/ack-policy.js'
import type { AckPolicy } from '../../core/ack-policy.js'
import { CliError, printJson, printLine } from '../output.js'
import { parseWholeNumber } from '../load.js'
import type { PohConfigInput } from '../../config/index.js'
import type { Certificate } from '../../node/queries.js'

interface VerifyCertOptions {
  holders: string
  min?: number
  networkId?: string
  policy?: AckPolicy
  json?: boolean
}

/** The holder set file, with the keys it sets that verification can use. */
interface HolderSetFile {
  holderSet: HolderSet
  /** Set only when the file is a config that sets min_poh_required. */
  minPohRequired?: number
  /** Set only when the file is a config that sets network_id. */
  networkId?: string
  /** Set only when the file is a config that sets ack_policy. */
  policy?: AckPolicy
}

/**
 * Loads the holder set from a bare JSON array of { algorithm, public_key }
 * entries, or from any config file that loadConfig reads (TOML, JSON or
 * YAML, such as a node's own poh.toml). Entries are validated by the config
 * schema in both cases, and POH_ environment variables are ignored.
 */
function loadHolderSetFile (file: string): HolderSetFile {
  const entries = extname(file).toLowerCase() === '.json' ? readJsonArray(file) : undefined
  if (entries !== undefined) {
    try {
      const { config } = loadConfig({ env: {}, overrides: { holders: entries as PohConfigInput['holders'] } })
      return { holderSet: HolderSet.fromConfig(config.holders) }
    } catch (err) {
      if (err instanceof ConfigError) {
        // loadConfig names the source of these entries "overrides", but they come from the file.
        throw new ConfigError(err.message.replaceAll(' from overrides:', ` in ${file}:`))
      }
      throw err
    }
  }

  const { config, sources } = loadConfig({ file, env: {} })
  const fromFile = (key: string): boolean => sources[key]?.kind === 'file'
  return {
    holderSet: HolderSet.fromConfig(config.holders),
    minPohRequired: fromFile('min_poh_required') ? config.min_poh_required : undefined,
    networkId: fromFile('network_id') ? config.network_id : undefined,
    policy: fromFile('ack_policy') ? config.ack_policy : undefined
  }
}

/**
 * Returns the file's top-level array, or undefined when the file is anything
 * else. loadConfig then reads the file again and reports any read or parse
 * error with the file name.
 */
function readJsonArray (file: string): unknown[] | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''))
  } catch {
    return undefined
  }
  return Array.isArray(parsed) ? parsed : undefined
}

async function readCertificateText (file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) {
      chunks.push(chunk as Buffer)
    }
    return Buffer.concat(chunks).toString('utf8')
  }
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message
    throw new CliError(`cannot read certificate file ${file}: ${reason}`, 2)
  }
}

/** Reads and parses the certificate. Every failure is a usage error (exit code 2) that names the file. */
async function loadCertificate (file: string): Promise<Certificate> {
  const name = file === '-' ? 'standard input' : file
  const text = (await readCertificateText(file)).replace(/^\uFEFF/, '')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new CliError(`invalid JSON in certificate ${name}: ${(err as Error).message}`, 2)
  }
  try {
    parseCertificate(value)
  } catch (err) {
    if (err instanceof CertificateFormatError) {
      throw new CliError(`invalid certificate ${name}: ${err.message}`, 2)
    }
    throw err
  }
  return value as Certificate
}

async function verifyCert (file: string, options: VerifyCertOptions): Promise<void> {
  const holders = loadHolderSetFile(options.holders)
  const minPohRequired = options.min ?? holders.minPohRequired
  if (minPohRequired === undefined) {
    throw new CliError(`--min is required because ${options.holders} does not set min_poh_required`, 2)
  }
  if (minPohRequired < 1) {
    throw new CliError(`--min must be at least 1, got ${minPohRequired}`, 2)
  }
  const cert = await loadCertificate(file)
  if (holders.holderSet.open) {
    process.stderr.write('poh-node: warning: the holder set is "open", so any key\'s ACK counts and the certificate only shows that distinct keys signed\n')
  }

  const verdict = verifyCertificate(cert, {
    holderSet: holders.holderSet,
    minPohRequired,
    networkId: options.networkId ?? holders.networkId,
    policy: options.policy ?? holders.policy
  })
  if (options.json === true) {
    printJson(verdict)
  } else {
    for (const note of verdict.ignored) {
      printLine(`not counted: ${note}`)
    }
    if (verdict.valid) {
      const setSize = holders.holderSet.open ? 'an open set of' : `${holders.holderSet.size}`
      printLine(`valid: ${verdict.counted.length} of ${setSize} holders signed tx ${cert.tx_id.toLowerCase()}`)
    }
    for (const problem of verdict.problems) {
      printLine(problem)
    }
  }
  if (!verdict.valid) {
    const count = verdict.problems.length
    throw new CliError(`certificate for tx ${cert.tx_id.toLowerCase()} is invalid: ${count} ${count === 1 ? 'problem' : 'problems'}`, 1)
  }
}

export function verifyCertCommand (): Command {
  return new Command('verify-cert')
    .description('check a quorum certificate offline against a holder set: holder_set_hash, ACK signatures and the number of distinct holders; exits 0 when valid, 1 when invalid, 2 on unreadable input')
    .argument('<cert>', 'certificate JSON file, as `poh-node get TX_ID --certificate --json` prints it, or - for standard input')
    .requiredOption('--holders <file>', 'holder set: a config file (TOML, JSON or YAML) with a holders array, such as a node\'s poh.toml, or a JSON array of { algorithm, public_key } entries')
    .option('--min <count>', 'distinct holders that must have signed (default: min_poh_required when the holders file sets it)', parseWholeNumber('--min'))
    .option('--network-id <id>', 'network id the certificate must name (default: network_id when the holders file sets it)')
    .addOption(new Option('--policy <policy>', 'which ACK algorithms count (default: ack_policy when the holders file sets it, else classical)').choices(ACK_POLICIES))
    .option('--json', 'print { valid, counted, problems } as one JSON object')
    .action(verifyCert)
}
