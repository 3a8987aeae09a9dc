import { resolve } from 'node:path'
import { Command, Option } from 'commander'
import { KeyError } from '../../core/errors.js'
import { toHex } from '../../core/hash.js'
import { HOLDER_ALGORITHMS } from '../../config/index.js'
import { loadHolderKeyFile } from '../../node/keys.js'
import { KEYSTORE_ALGORITHMS, isSignatureAlgorithm, changeKeystorePassword, generateKeystoreKey, isKeystore, readKeyFileJson, readKeystoreFile, writeKeystoreFile, writeSecretFile } from '../../keys/keystore.js'
import type { KeystoreAlgorithm, SignatureAlgorithm } from '../../keys/keystore.js'
import { resolvePassword } from '../../keys/password.js'
import { CliError, printJson, printLine } from '../output.js'

const PASSWORD_FILE_HELP = 'file that contains the keystore password (one trailing newline is removed); without it POH_KEY_PASSWORD, POH_KEY_PASSWORD_FILE or a terminal prompt is used'

interface GenerateOptions { algorithm: KeystoreAlgorithm, out: string, passwordFile?: string, json?: boolean }
interface ExportOptions { out: string, passwordFile?: string, json?: boolean }
interface ImportOptions { out: string, passwordFile?: string, json?: boolean }
interface ChangePasswordOptions { passwordFile?: string, newPasswordFile?: string, json?: boolean }

/** The `keys ... --json` document. */
export interface KeysResult {
  /** Absolute path of the file written. */
  file: string
  algorithm: KeystoreAlgorithm
  public_key: string
}

function report (result: KeysResult, json: boolean | undefined, description: string): void {
  if (json === true) {
    printJson(result)
    return
  }
  printLine(`wrote ${description} ${result.file} (mode 0600)`)
  printLine(`algorithm:  ${result.algorithm}`)
  printLine(`public key: ${result.public_key}`)
}

async function generate (options: GenerateOptions): Promise<void> {
  const out = resolve(options.out)
  const password = await resolvePassword({ passwordFile: options.passwordFile, prompt: 'New keystore password: ', confirm: true })
  const key = generateKeystoreKey(options.algorithm)
  await writeKeystoreFile(out, key, password)
  report({ file: out, algorithm: key.algorithm, public_key: toHex(key.publicKey) }, options.json, 'keystore')
}

async function exportKey (keystore: string, options: ExportOptions): Promise<void> {
  const out = resolve(options.out)
  const password = await resolvePassword({ passwordFile: options.passwordFile, prompt: 'Keystore password: ' })
  const key = await readKeystoreFile(resolve(keystore), password)
  if (!isSignatureAlgorithm(key.algorithm)) {
    throw new CliError(`keystore ${keystore} contains a ${key.algorithm} key; only holder signature keys (${HOLDER_ALGORITHMS.join(', ')}) can be exported to a plain holder key file`)
  }
  const plain = { algorithm: key.algorithm, secret_key: toHex(key.secretKey), public_key: toHex(key.publicKey) }
  await writeSecretFile(out, JSON.stringify(plain, null, 2) + '\n')
  report({ file: out, algorithm: key.algorithm, public_key: plain.public_key }, options.json, 'unencrypted holder key file')
}

async function importKey (plainFile: string, options: ImportOptions): Promise<void> {
  const out = resolve(options.out)
  const source = resolve(plainFile)
  if (isKeystore(await readKeyFileJson(source))) {
    throw new CliError(`${plainFile} is already an encrypted keystore; use "keys change-password" to change its password`)
  }
  // loadHolderKeyFile checks the algorithm, the seed length and that the public key belongs to the seed.
  const keyPair = await loadHolderKeyFile(source)
  const algorithm = keyPair.alg as SignatureAlgorithm
  const password = await resolvePassword({ passwordFile: options.passwordFile, prompt: 'New keystore password: ', confirm: true })
  await writeKeystoreFile(out, { algorithm, secretKey: keyPair.secretKey, publicKey: keyPair.publicKey }, password)
  report({ file: out, algorithm, public_key: toHex(keyPair.publicKey) }, options.json, 'keystore')
}

async function changePassword (keystore: string, options: ChangePasswordOptions): Promise<void> {
  const path = resolve(keystore)
  const oldPassword = await resolvePassword({ passwordFile: options.passwordFile, prompt: 'Current keystore password: ' })
  // The new password never comes from the environment, which normally contains the current one.
  const newPassword = await resolvePassword({
    passwordFile: options.newPasswordFile,
    useEnvironment: false,
    prompt: 'New keystore password: ',
    confirm: true,
    optionName: '--new-password-file'
  })
  if (oldPassword.normalize('NFKD') === newPassword.normalize('NFKD')) {
    throw new KeyError('the new password is the same as the current one; choose a different password')
  }
  const file = await changeKeystorePassword(path, oldPassword, newPassword)
  report({ file: path, algorithm: file.algorithm, public_key: file.public_key }, options.json, 'keystore')
}

function passwordFileOption (): Option {
  return new Option('--password-file <file>', PASSWORD_FILE_HELP)
}

export function keysCommand (): Command {
  const keys = new Command('keys')
    .description('create and manage password-encrypted keystores (scrypt and AES-256-GCM)')
  keys.addCommand(new Command('generate')
    .description('generate a key and write it to a new encrypted keystore')
    .addOption(new Option('--algorithm <name>', 'key algorithm; BLS12_381 and RISTRETTO255 keys are not used for ACKs').choices([...KEYSTORE_ALGORITHMS]).default('ED25519'))
    .requiredOption('--out <file>', 'keystore file to create with mode 0600; an existing file is never overwritten')
    .addOption(passwordFileOption())
    .option('--json', 'print the result as one JSON object')
    .action(generate)
    .exitOverride())
  keys.addCommand(new Command('export')
    .description('decrypt an ED25519 or ML_DSA_65 keystore to an unencrypted holder key file')
    .argument('<keystore>', 'encrypted keystore file to read')
    .requiredOption('--out <file>', 'unencrypted holder key file to create with mode 0600; an existing file is never overwritten')
    .addOption(passwordFileOption())
    .option('--json', 'print the result as one JSON object')
    .action(exportKey)
    .exitOverride())
  keys.addCommand(new Command('import')
    .description('encrypt an unencrypted holder key file into a new keystore')
    .argument('<plain>', 'unencrypted holder key file to read, as written by "poh-node keygen"')
    .requiredOption('--out <file>', 'keystore file to create with mode 0600; an existing file is never overwritten')
    .addOption(passwordFileOption())
    .option('--json', 'print the result as one JSON object')
    .action(importKey)
    .exitOverride())
  keys.addCommand(new Command('change-password')
    .description('re-encrypt a keystore under a new password, replacing the file atomically')
    .argument('<keystore>', 'encrypted keystore file to rewrite')
    .addOption(new Option('--password-file <file>', 'file that contains the current password (one trailing newline is removed); without it POH_KEY_PASSWORD, POH_KEY_PASSWORD_FILE or a terminal prompt is used'))
    .option('--new-password-file <file>', 'file that contains the new password (one trailing newline is removed); without it a terminal prompt is used')
    .option('--json', 'print the result as one JSON object')
    .action(changePassword)
    .exitOverride())
  return keys
}
