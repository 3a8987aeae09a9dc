import { resolve } from 'node:path'
import { Command, Option } from 'commander'
import { HOLDER_ALGORITHMS } from '../../config/index.js'
import type { HolderAlgorithm } from '../../config/index.js'
import { computeHolderId, toHex } from '../../core/hash.js'
import { createHolderKeyFile } from '../../node/keys.js'
import { printJson, printLine } from '../output.js'

interface KeygenOptions {
  algorithm: HolderAlgorithm
  out: string
  json?: boolean
}

/** The `keygen --json` document. */
export interface KeygenResult {
  /** Absolute path of the key file written. */
  key_file: string
  algorithm: HolderAlgorithm
  public_key: string
  holder_id: string
  /** TOML inline table to add to the `holders` array of every node's config. */
  holders_entry: string
}

async function keygen (options: KeygenOptions): Promise<void> {
  const keyFile = resolve(options.out)
  // createHolderKeyFile writes with mode 0600 and the exclusive flag, so an existing file is never overwritten.
  const keyPair = await createHolderKeyFile(keyFile, options.algorithm)
  const publicKey = toHex(keyPair.publicKey)
  const result: KeygenResult = {
    key_file: keyFile,
    algorithm: options.algorithm,
    public_key: publicKey,
    holder_id: toHex(computeHolderId(keyPair.alg, keyPair.publicKey)),
    holders_entry: `{ algorithm = "${options.algorithm}", public_key = "${publicKey}" }`
  }
  if (options.json === true) {
    printJson(result)
    return
  }
  printLine(`wrote ${result.key_file} (mode 0600)`)
  printLine(`algorithm:  ${result.algorithm}`)
  printLine(`holder id:  ${result.holder_id}`)
  printLine(`public key: ${result.public_key}`)
  printLine('Add this entry to the holders array of every node\'s config:')
  printLine(`  ${result.holders_entry}`)
  printLine(`and on the node that signs with this key set holder.enabled = true and holder.key_file = "${result.key_file}".`)
}

export function keygenCommand (): Command {
  return new Command('keygen')
    .description('generate a holder signing key file and print its public key, holder id and holders entry')
    .addOption(new Option('--algorithm <name>', 'signature algorithm of the key').choices(HOLDER_ALGORITHMS).default('ED25519'))
    .option('--out <file>', 'key file to create with mode 0600; an existing file is never overwritten', 'holder.key')
    .option('--json', 'print the result as one JSON object')
    .action(keygen)
}
