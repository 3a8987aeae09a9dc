/**
 * Password-encrypted key files (keystores), version 1.
 *
 * The secret key (32 bytes, or 64 for the hybrid algorithm) is encrypted
 * with AES-256-GCM under a key derived from the NFKD-normalised password
 * with scrypt. The version, algorithm and
 * public key are the GCM additional authenticated data, so changing any of
 * them makes decryption fail. Changing kdf_params or the salt changes the
 * derived key and fails the same way.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto'
import { chmod, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { getScheme } from '../core/crypto/index.js'
import { KeyError } from '../core/errors.js'
import { bytesEqual, fromHex, toHex } from '../core/hash.js'
import { SigAlg } from '../core/types.js'
import { CURVE_PUBLIC_KEY_LENGTHS, CURVE_SECRET_KEY_LENGTH, curvePublicKeyFromSecret, generateCurveKeyPair } from './curves.js'

export const KEYSTORE_ALGORITHMS = ['ED25519', 'ML_DSA_65', 'HYBRID_ED25519_ML_DSA_65', 'BLS12_381', 'RISTRETTO255'] as const
export type KeystoreAlgorithm = typeof KEYSTORE_ALGORITHMS[number]

/** A decrypted keystore key. */
export interface KeystoreKey {
  algorithm: KeystoreAlgorithm
  /** The seed for signature algorithms (64 bytes for the hybrid, else 32), the 32-byte scalar for BLS12_381 and RISTRETTO255. */
  secretKey: Uint8Array
  publicKey: Uint8Array
}

/** Keystore file contents, version 1. Byte strings are lowercase hex. */
export interface KeystoreFile {
  version: 1
  algorithm: KeystoreAlgorithm
  public_key: string
  kdf: 'scrypt'
  kdf_params: { n: number, r: number, p: number, salt: string, dklen: 32 }
  cipher: 'aes-256-gcm'
  iv: string
  ciphertext: string
  tag: string
}

export interface KeystoreOptions {
  /** scrypt cost N, a power of two; default DEFAULT_SCRYPT_N. Lower values are for tests only. */
  scryptN?: number
}

/** scrypt N = 2^17 with r = 8 takes 128 MiB; one derivation took about 0.3 s on the development machine (an estimate). */
export const DEFAULT_SCRYPT_N = 2 ** 17
const SCRYPT_R = 8
const SCRYPT_P = 1
const SALT_LENGTH = 16
const MIN_SALT_LENGTH = 16
const IV_LENGTH = 12
const TAG_LENGTH = 16
const DERIVED_KEY_LENGTH = 32

// Bounds applied to kdf_params read from a file, so a damaged or hostile file
// cannot make scrypt allocate more than 1 GiB.
const MAX_SCRYPT_N = 2 ** 20
const MAX_SCRYPT_R = 16
const MAX_SCRYPT_P = 16
const MAX_SCRYPT_MEMORY = 2 ** 30

function isKeystoreAlgorithm (value: unknown): value is KeystoreAlgorithm {
  return typeof value === 'string' && (KEYSTORE_ALGORITHMS as readonly string[]).includes(value)
}

export type SignatureAlgorithm = 'ED25519' | 'ML_DSA_65' | 'HYBRID_ED25519_ML_DSA_65'

export function isSignatureAlgorithm (algorithm: KeystoreAlgorithm): algorithm is SignatureAlgorithm {
  return algorithm === 'ED25519' || algorithm === 'ML_DSA_65' || algorithm === 'HYBRID_ED25519_ML_DSA_65'
}

function publicKeyLength (algorithm: KeystoreAlgorithm): number {
  if (isSignatureAlgorithm(algorithm)) {
    return getScheme(SigAlg[algorithm]).publicKeyLength
  }
  return CURVE_PUBLIC_KEY_LENGTHS[algorithm]
}

function secretKeyLength (algorithm: KeystoreAlgorithm): number {
  if (isSignatureAlgorithm(algorithm)) {
    return getScheme(SigAlg[algorithm]).seedLength
  }
  return CURVE_SECRET_KEY_LENGTH
}

/** Generates a random key pair for any keystore algorithm. */
export function generateKeystoreKey (algorithm: KeystoreAlgorithm): KeystoreKey {
  if (isSignatureAlgorithm(algorithm)) {
    const keyPair = getScheme(SigAlg[algorithm]).generateKeyPair()
    return { algorithm, secretKey: keyPair.secretKey, publicKey: keyPair.publicKey }
  }
  return generateCurveKeyPair(algorithm)
}

/** Derives the public key from a secret key. Throws KeyError for an invalid secret. */
export function keystorePublicKeyFromSecret (algorithm: KeystoreAlgorithm, secretKey: Uint8Array): Uint8Array {
  if (isSignatureAlgorithm(algorithm)) {
    const scheme = getScheme(SigAlg[algorithm])
    if (secretKey.length !== scheme.seedLength) {
      throw new KeyError(`${algorithm} secret key must be ${scheme.seedLength} bytes, got ${secretKey.length}`)
    }
    return scheme.publicKeyFromSecret(secretKey)
  }
  return curvePublicKeyFromSecret(algorithm, secretKey)
}

/** Normalises the password to NFKD so composed and decomposed forms give the same key. */
function passwordBytes (password: string): Buffer {
  if (password.length === 0) {
    throw new KeyError('the keystore password is empty; choose a non-empty password')
  }
  return Buffer.from(password.normalize('NFKD'), 'utf8')
}

function additionalData (algorithm: KeystoreAlgorithm, publicKeyHex: string): Buffer {
  return Buffer.from(`poh-node keystore v1\n${algorithm}\n${publicKeyHex.toLowerCase()}`, 'utf8')
}

async function deriveKey (password: string, salt: Uint8Array, n: number, r: number, p: number): Promise<Buffer> {
  // Node rejects scrypt when 128 * N * r exceeds maxmem (32 MiB by default), which N = 2^17 does.
  const maxmem = 128 * r * (n + p + 2) + 2 ** 20
  return await new Promise((resolve, reject) => {
    scrypt(passwordBytes(password), salt, DERIVED_KEY_LENGTH, { N: n, r, p, maxmem }, (err, key) => {
      if (err !== null) {
        reject(err)
      } else {
        resolve(key)
      }
    })
  })
}

function checkScryptN (n: number): void {
  if (!Number.isSafeInteger(n) || n < 2 || n > MAX_SCRYPT_N || (n & (n - 1)) !== 0) {
    throw new KeyError(`scrypt N must be a power of two from 2 to ${MAX_SCRYPT_N}, got ${n}`)
  }
}

/** Encrypts a key under `password` and returns the keystore document. */
export async function encryptKeystore (key: KeystoreKey, password: string, options: KeystoreOptions = {}): Promise<KeystoreFile> {
  return await encryptWithParams(key, password, options.scryptN ?? DEFAULT_SCRYPT_N, SCRYPT_R, SCRYPT_P)
}

async function encryptWithParams (key: KeystoreKey, password: string, n: number, r: number, p: number): Promise<KeystoreFile> {
  checkScryptN(n)
  const secretLength = secretKeyLength(key.algorithm)
  if (key.secretKey.length !== secretLength) {
    throw new KeyError(`${key.algorithm} secret key must be ${secretLength} bytes, got ${key.secretKey.length}`)
  }
  if (!bytesEqual(keystorePublicKeyFromSecret(key.algorithm, key.secretKey), key.publicKey)) {
    throw new KeyError(`${key.algorithm} public key does not belong to the secret key`)
  }
  const salt = randomBytes(SALT_LENGTH)
  const iv = randomBytes(IV_LENGTH)
  const publicKeyHex = toHex(key.publicKey)
  const derivedKey = await deriveKey(password, salt, n, r, p)
  const cipher = createCipheriv('aes-256-gcm', derivedKey, iv, { authTagLength: TAG_LENGTH })
  cipher.setAAD(additionalData(key.algorithm, publicKeyHex))
  const ciphertext = Buffer.concat([cipher.update(key.secretKey), cipher.final()])
  return {
    version: 1,
    algorithm: key.algorithm,
    public_key: publicKeyHex,
    kdf: 'scrypt',
    kdf_params: { n, r, p, salt: toHex(salt), dklen: DERIVED_KEY_LENGTH },
    cipher: 'aes-256-gcm',
    iv: toHex(iv),
    ciphertext: toHex(ciphertext),
    tag: toHex(cipher.getAuthTag())
  }
}

/** Reports whether parsed JSON is in the encrypted format, which is marked by a `kdf` field. */
export function isKeystore (value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'kdf' in value
}

function damaged (path: string, field: string, expected: string): KeyError {
  return new KeyError(`keystore ${path} is damaged: field "${field}" must be ${expected}`)
}

function hexField (path: string, field: string, value: unknown, check: (length: number) => boolean, expected: string): Uint8Array {
  const bytes = typeof value === 'string' ? fromHex(value) : undefined
  if (bytes === undefined || !check(bytes.length)) {
    throw damaged(path, field, expected)
  }
  return bytes
}

function integerField (path: string, field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw damaged(path, field, `an integer from ${min} to ${max}`)
  }
  return value
}

/**
 * Checks every field of a parsed keystore and returns it typed.
 * Throws KeyError naming the first missing or invalid field; `path` only labels the message.
 */
export function parseKeystore (value: unknown, path: string): KeystoreFile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KeyError(`keystore ${path} is damaged: expected a JSON object`)
  }
  const file = value as Record<string, unknown>
  if (file.version !== 1) {
    throw damaged(path, 'version', '1')
  }
  if (!isKeystoreAlgorithm(file.algorithm)) {
    throw damaged(path, 'algorithm', `one of ${KEYSTORE_ALGORITHMS.join(', ')}`)
  }

  const algorithm = file.algorithm
  const keyLength = publicKeyLength(algorithm)
  hexField(path, 'public_key', file.public_key, (length) => length === keyLength, `${keyLength} bytes of hex`)
  if (file.kdf !== 'scrypt') {
    throw damaged(path, 'kdf', '"scrypt"')
  }

  const params = file.kdf_params
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw damaged(path, 'kdf_params', 'an object with n, r, p, salt and dklen')
  }
  const { n, r, p, salt, dklen } = params as Record<string, unknown>
  const scryptN = integerField(path, 'kdf_params.n', n, 2, MAX_SCRYPT_N)
  if ((scryptN & (scryptN - 1)) !== 0) {
    throw damaged(path, 'kdf_params.n', 'a power of two')
  }
  const scryptR = integerField(path, 'kdf_params.r', r, 1, MAX_SCRYPT_R)
  const scryptP = integerField(path, 'kdf_params.p', p, 1, MAX_SCRYPT_P)
  if (128 * scryptN * scryptR > MAX_SCRYPT_MEMORY) {
    throw damaged(path, 'kdf_params', `scrypt parameters that need at most ${MAX_SCRYPT_MEMORY} bytes (128 * n * r)`)
  }
  hexField(path, 'kdf_params.salt', salt, (length) => length >= MIN_SALT_LENGTH, `at least ${MIN_SALT_LENGTH} bytes of hex`)
  if (dklen !== DERIVED_KEY_LENGTH) {
    throw damaged(path, 'kdf_params.dklen', String(DERIVED_KEY_LENGTH))
  }

  if (file.cipher !== 'aes-256-gcm') {
    throw damaged(path, 'cipher', '"aes-256-gcm"')
  }
  hexField(path, 'iv', file.iv, (length) => length === IV_LENGTH, `${IV_LENGTH} bytes of hex`)
  const secretLength = secretKeyLength(algorithm)
  hexField(path, 'ciphertext', file.ciphertext, (length) => length === secretLength, `${secretLength} bytes of hex`)
  hexField(path, 'tag', file.tag, (length) => length === TAG_LENGTH, `${TAG_LENGTH} bytes of hex`)
  return file as unknown as KeystoreFile
}

/**
 * Decrypts a parsed keystore. Throws KeyError "wrong password for keystore <path>"
 * when GCM authentication fails, and KeyError naming the field for a damaged file.
 */
export async function decryptKeystore (value: unknown, password: string, path: string): Promise<KeystoreKey> {
  const file = parseKeystore(value, path)
  const params = file.kdf_params
  const derivedKey = await deriveKey(password, fromHex(params.salt)!, params.n, params.r, params.p)
  const decipher = createDecipheriv('aes-256-gcm', derivedKey, fromHex(file.iv)!, { authTagLength: TAG_LENGTH })
  decipher.setAAD(additionalData(file.algorithm, file.public_key))
  decipher.setAuthTag(fromHex(file.tag)!)
  let secretKey: Uint8Array
  try {
    secretKey = new Uint8Array(Buffer.concat([decipher.update(fromHex(file.ciphertext)!), decipher.final()]))
  } catch (err) {
    // GCM cannot tell a wrong password from a modified file: both fail the tag check.
    throw new KeyError(`wrong password for keystore ${path} (or its algorithm, public_key, kdf_params or ciphertext were modified)`, { cause: err })
  }
  const publicKey = fromHex(file.public_key)!
  if (!bytesEqual(keystorePublicKeyFromSecret(file.algorithm, secretKey), publicKey)) {
    throw new KeyError(`keystore ${path} is damaged: field "public_key" does not belong to the decrypted secret key`)
  }
  return { algorithm: file.algorithm, secretKey, publicKey }
}

/** Reads and parses the JSON of a key file, with KeyErrors for a missing file or invalid JSON. */
export async function readKeyFileJson (path: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new KeyError(`key file ${path} not found`)
    }
    throw new KeyError(`key file ${path} cannot be read: ${(err as Error).message}`, { cause: err })
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new KeyError(`key file ${path} is not valid JSON`)
  }
}

/** Reads and decrypts the keystore at `path`. */
export async function readKeystoreFile (path: string, password: string): Promise<KeystoreKey> {
  const value = await readKeyFileJson(path)
  if (!isKeystore(value)) {
    throw new KeyError(`${path} is not an encrypted keystore (it has no "kdf" field)`)
  }
  return await decryptKeystore(value, password, path)
}

/**
 * Creates `path` with `text` and mode 0600. The chmod after the write sets
 * exactly 0600 whatever the umask. Throws KeyError when the file already exists.
 */
export async function writeSecretFile (path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  try {
    await writeFile(path, text, { mode: 0o600, flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new KeyError(`${path} already exists; remove it or choose another path`)
    }
    throw err
  }
  await chmod(path, 0o600)
}

function keystoreText (file: KeystoreFile): string {
  return JSON.stringify(file, null, 2) + '\n'
}

/** Encrypts `key` and writes it to a new keystore file with mode 0600; never overwrites. */
export async function writeKeystoreFile (path: string, key: KeystoreKey, password: string, options: KeystoreOptions = {}): Promise<KeystoreFile> {
  const file = await encryptKeystore(key, password, options)
  await writeSecretFile(path, keystoreText(file))
  return file
}

/**
 * Re-encrypts the keystore at `path` under `newPassword` with a fresh salt and
 * IV, keeping its scrypt parameters. The new file is written to a temporary
 * file in the same directory and renamed over the old one, so a crash leaves
 * either the old or the new keystore.
 */
export async function changeKeystorePassword (path: string, oldPassword: string, newPassword: string): Promise<KeystoreFile> {
  const value = await readKeyFileJson(path)
  if (!isKeystore(value)) {
    throw new KeyError(`${path} is not an encrypted keystore (it has no "kdf" field)`)
  }
  const key = await decryptKeystore(value, oldPassword, path)
  const params = parseKeystore(value, path).kdf_params
  const file = await encryptWithParams(key, newPassword, params.n, params.r, params.p)
  const temporary = join(dirname(path), `.${basename(path)}.${toHex(randomBytes(6))}.tmp`)
  try {
    await writeSecretFile(temporary, keystoreText(file))
    await rename(temporary, path)
  } catch (err) {
    await unlink(temporary).catch(() => {})
    throw err
  }
  return file
}
