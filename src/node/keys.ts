import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { getScheme } from '../core/crypto/index.js'
import { KeyError } from '../core/errors.js'
import { bytesEqual, fromHex, toHex } from '../core/hash.js'
import { sigAlgFromName } from '../core/holder-set.js'
import type { HolderAlgorithmName } from '../core/holder-set.js'
import { HOLDER_SIG_ALGS, SigAlg, isHolderSigAlg } from '../core/types.js'
import { decryptKeystore, isKeystore } from '../keys/keystore.js'
import { PASSWORD_ENV, PASSWORD_FILE_ENV, passwordFromEnvironment } from '../keys/password.js'
import type { KeyPair } from '../core/types.js'
import type { PrivateKey } from '@libp2p/interface'

/** Holder key file contents: the seed and the public key derived from it, in hex. */
interface HolderKeyFile {
  algorithm: HolderAlgorithmName
  secret_key: string
  public_key: string
}

function algorithmName (alg: SigAlg): HolderAlgorithmName {
  if (isHolderSigAlg(alg)) {
    return alg
  }
  throw new KeyError(`holder keys must be one of ${HOLDER_SIG_ALGS.join(', ')}, got ${alg}`)
}

function isMissing (err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT'
}

/** Writes a new holder key file with mode 0600; refuses to overwrite one. */
export async function createHolderKeyFile (path: string, algorithm: HolderAlgorithmName): Promise<KeyPair> {
  const keyPair = getScheme(sigAlgFromName(algorithm)).generateKeyPair()
  const file: HolderKeyFile = {
    algorithm: algorithmName(keyPair.alg),
    secret_key: toHex(keyPair.secretKey),
    public_key: toHex(keyPair.publicKey)
  }
  await mkdir(dirname(path), { recursive: true })
  try {
    // NOTE: this file is plain, so only its permissions protect the key;
    // `poh-node keys import` turns it into an encrypted keystore.
    await writeFile(path, JSON.stringify(file, null, 2) + '\n', { mode: 0o600, flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new KeyError(`holder key file ${path} already exists; remove it or choose another path`)
    }
    throw err
  }
  return keyPair
}

/**
 * Reads a holder key file and checks that its public key matches its seed.
 * An encrypted keystore (a file with a "kdf" field) is decrypted with the
 * password from POH_KEY_PASSWORD or the file named by POH_KEY_PASSWORD_FILE.
 */
export async function loadHolderKeyFile (path: string): Promise<KeyPair> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if (isMissing(err)) {
      throw new KeyError(`holder key file ${path} not found; run "poh-node init" or set holder.key_file`)
    }
    throw err
  }
  let file: Partial<HolderKeyFile>
  try {
    file = JSON.parse(text)
  } catch {
    throw new KeyError(`holder key file ${path} is not valid JSON`)
  }
  if (isKeystore(file)) {
    return await loadEncryptedHolderKey(path, file)
  }
  const alg = sigAlgFromName(String(file.algorithm))
  const scheme = getScheme(alg)
  const secretKey = fromHex(String(file.secret_key))
  if (secretKey === undefined || secretKey.length !== scheme.seedLength) {
    throw new KeyError(`holder key file ${path}: secret_key must be ${scheme.seedLength} bytes of hex`)
  }
  const publicKey = scheme.publicKeyFromSecret(secretKey)
  const listed = fromHex(String(file.public_key))
  if (listed === undefined || !bytesEqual(listed, publicKey)) {
    throw new KeyError(`holder key file ${path}: public_key does not belong to secret_key; the file is damaged`)
  }
  return { alg, secretKey, publicKey }
}

async function loadEncryptedHolderKey (path: string, file: unknown): Promise<KeyPair> {
  const password = await passwordFromEnvironment()
  if (password === undefined) {
    throw new KeyError(`holder key file ${path} is an encrypted keystore; set ${PASSWORD_ENV} to its password or ${PASSWORD_FILE_ENV} to a file that contains it`)
  }
  const key = await decryptKeystore(file, password, path)
  const alg = (SigAlg as Record<string, unknown>)[key.algorithm]
  if (!isHolderSigAlg(alg)) {
    throw new KeyError(`holder key file ${path} contains a ${key.algorithm} key; holder keys must be one of ${HOLDER_SIG_ALGS.join(', ')}`)
  }
  return { alg, secretKey: key.secretKey, publicKey: key.publicKey }
}

/** Loads the libp2p identity key, creating it with mode 0600 on first use. */
export async function loadOrCreatePeerKey (path: string): Promise<PrivateKey> {
  try {
    return privateKeyFromProtobuf(await readFile(path))
  } catch (err) {
    if (!isMissing(err)) {
      throw new KeyError(`peer key file ${path} cannot be read: ${(err as Error).message}`)
    }
  }
  const key = await generateKeyPair('Ed25519')
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, privateKeyToProtobuf(key), { mode: 0o600 })
  await chmod(path, 0o600)
  return key
}
