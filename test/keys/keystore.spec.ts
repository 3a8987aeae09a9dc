import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { KeyError } from '../../src/core/errors.js'
import { toHex } from '../../src/core/hash.js'
import { SigAlg } from '../../src/core/types.js'
import { CURVE_PUBLIC_KEY_LENGTHS, curvePublicKeyFromSecret, generateCurveKeyPair } from '../../src/keys/curves.js'
import {
  KEYSTORE_ALGORITHMS, changeKeystorePassword, decryptKeystore, encryptKeystore, generateKeystoreKey,
  keystorePublicKeyFromSecret, readKeystoreFile, writeKeystoreFile
} from '../../src/keys/keystore.js'
import type { KeystoreOptions } from '../../src/keys/keystore.js'
import { PASSWORD_ENV, PASSWORD_FILE_ENV, readPasswordFile, stripTrailingNewline } from '../../src/keys/password.js'
import { createHolderKeyFile, loadHolderKeyFile } from '../../src/node/keys.js'

/** scrypt N = 2^10 keeps each derivation to a few milliseconds; the default is 2^17. */
const FAST: KeystoreOptions = { scryptN: 2 ** 10 }

async function expectKeyError (promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await promise
  } catch (err) {
    expect(err).to.be.instanceOf(KeyError)
    expect((err as Error).message).to.match(pattern)
    return
  }
  expect.fail(`expected a KeyError matching ${pattern}`)
}

describe('keystore', () => {
  let dir: string

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poh-keystore-'))
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  for (const algorithm of KEYSTORE_ALGORITHMS) {
    it(`round trip ${algorithm}`, async () => {
      const key = generateKeystoreKey(algorithm)
      const path = join(dir, 'key.json')
      await writeKeystoreFile(path, key, 'correct horse', FAST)
      const opened = await readKeystoreFile(path, 'correct horse')
      expect(opened.algorithm).to.equal(algorithm)
      expect(toHex(opened.secretKey)).to.equal(toHex(key.secretKey))
      expect(toHex(opened.publicKey)).to.equal(toHex(key.publicKey))
      expect(toHex(keystorePublicKeyFromSecret(algorithm, opened.secretKey))).to.equal(toHex(key.publicKey))
    })
  }

  it('writes the version 1 format', async () => {
    const key = generateKeystoreKey('ED25519')
    const path = join(dir, 'key.json')
    await writeKeystoreFile(path, key, 'pw', FAST)
    const file = JSON.parse(await readFile(path, 'utf8'))
    expect(file.version).to.equal(1)
    expect(file.algorithm).to.equal('ED25519')
    expect(file.public_key).to.equal(toHex(key.publicKey))
    expect(file.kdf).to.equal('scrypt')
    expect(file.kdf_params).to.include({ n: 1024, r: 8, p: 1, dklen: 32 })
    expect(file.kdf_params.salt).to.have.length(32)
    expect(file.cipher).to.equal('aes-256-gcm')
    expect(file.iv).to.have.length(24)
    expect(file.ciphertext).to.have.length(64)
    expect(file.tag).to.have.length(32)
  })

  it('default scrypt N is 2^17', async () => {
    const file = await encryptKeystore(generateKeystoreKey('ED25519'), 'pw')
    expect(file.kdf_params.n).to.equal(2 ** 17)
    const opened = await decryptKeystore(file, 'pw', 'memory')
    expect(opened.algorithm).to.equal('ED25519')
  })

  it('wrong password raises KeyError', async () => {
    const path = join(dir, 'key.json')
    await writeKeystoreFile(path, generateKeystoreKey('ED25519'), 'right', FAST)
    await expectKeyError(readKeystoreFile(path, 'wrong'), /^wrong password for keystore .*key\.json/)
  })

  it('empty password is rejected', async () => {
    await expectKeyError(encryptKeystore(generateKeystoreKey('ED25519'), '', FAST), /empty/)
  })

  it('NFKD composed and decomposed match', async () => {
    const path = join(dir, 'key.json')
    const key = generateKeystoreKey('ED25519')
    await writeKeystoreFile(path, key, 'caf\u00e9', FAST)
    const opened = await readKeystoreFile(path, 'cafe\u0301')
    expect(toHex(opened.secretKey)).to.equal(toHex(key.secretKey))
  })

  it('created file has mode 0600', async () => {
    const path = join(dir, 'key.json')
    await writeKeystoreFile(path, generateKeystoreKey('ED25519'), 'pw', FAST)
    expect((await stat(path)).mode & 0o777).to.equal(0o600)
  })

  it('never overwrites an existing file', async () => {
    const path = join(dir, 'key.json')
    await writeFile(path, 'keep me')
    await expectKeyError(writeKeystoreFile(path, generateKeystoreKey('ED25519'), 'pw', FAST), /already exists/)
    expect(await readFile(path, 'utf8')).to.equal('keep me')
  })

  it('swapped public_key fails authentication', async () => {
    const path = join(dir, 'key.json')
    await writeKeystoreFile(path, generateKeystoreKey('ED25519'), 'pw', FAST)
    const file = JSON.parse(await readFile(path, 'utf8'))
    file.public_key = toHex(generateKeystoreKey('ED25519').publicKey)
    await writeFile(path, JSON.stringify(file))
    await expectKeyError(readKeystoreFile(path, 'pw'), /^wrong password for keystore/)
  })

  it('swapped algorithm fails authentication', async () => {
    const path = join(dir, 'key.json')
    await writeKeystoreFile(path, generateKeystoreKey('RISTRETTO255'), 'pw', FAST)
    const file = JSON.parse(await readFile(path, 'utf8'))
    file.algorithm = 'ED25519'
    await writeFile(path, JSON.stringify(file))
    await expectKeyError(readKeystoreFile(path, 'pw'), /^wrong password for keystore/)
  })

  const damagedFields: Array<[string, (file: Record<string, any>) => void, RegExp]> = [
    ['version', (file) => { file.version = 2 }, /field "version"/],
    ['algorithm', (file) => { file.algorithm = 'RSA' }, /field "algorithm"/],
    ['public_key', (file) => { file.public_key = 'zz' }, /field "public_key"/],
    ['kdf', (file) => { file.kdf = 'pbkdf2' }, /field "kdf"/],
    ['kdf_params', (file) => { delete file.kdf_params }, /field "kdf_params"/],
    ['kdf_params.n', (file) => { file.kdf_params.n = 1000 }, /field "kdf_params\.n"/],
    ['kdf_params.n too large', (file) => { file.kdf_params.n = 2 ** 30 }, /field "kdf_params\.n"/],
    ['kdf_params.salt', (file) => { file.kdf_params.salt = '00' }, /field "kdf_params\.salt"/],
    ['kdf_params.dklen', (file) => { file.kdf_params.dklen = 16 }, /field "kdf_params\.dklen"/],
    ['cipher', (file) => { file.cipher = 'aes-128-gcm' }, /field "cipher"/],
    ['iv', (file) => { file.iv = '00' }, /field "iv"/],
    ['ciphertext', (file) => { file.ciphertext = 'xyz' }, /field "ciphertext"/],
    ['tag', (file) => { delete file.tag }, /field "tag"/]
  ]
  for (const [name, damage, pattern] of damagedFields) {
    it(`damaged ${name} is named`, async () => {
      const path = join(dir, 'key.json')
      await writeKeystoreFile(path, generateKeystoreKey('ED25519'), 'pw', FAST)
      const file = JSON.parse(await readFile(path, 'utf8'))
      damage(file)
      await writeFile(path, JSON.stringify(file))
      await expectKeyError(readKeystoreFile(path, 'pw'), pattern)
    })
  }

  it('change-password: old fails, new works', async () => {
    const path = join(dir, 'key.json')
    const key = generateKeystoreKey('ML_DSA_65')
    await writeKeystoreFile(path, key, 'old', FAST)
    await changeKeystorePassword(path, 'old', 'new')
    await expectKeyError(readKeystoreFile(path, 'old'), /^wrong password/)
    const opened = await readKeystoreFile(path, 'new')
    expect(toHex(opened.secretKey)).to.equal(toHex(key.secretKey))
    expect((await stat(path)).mode & 0o777).to.equal(0o600)
    expect(JSON.parse(await readFile(path, 'utf8')).kdf_params.n).to.equal(FAST.scryptN)
  })

  it('change-password with wrong old password keeps the file', async () => {
    const path = join(dir, 'key.json')
    await writeKeystoreFile(path, generateKeystoreKey('ED25519'), 'old', FAST)
    const before = await readFile(path, 'utf8')
    await expectKeyError(changeKeystorePassword(path, 'bad', 'new'), /^wrong password/)
    expect(await readFile(path, 'utf8')).to.equal(before)
  })
})

describe('keystore curves', () => {
  for (const algorithm of ['BLS12_381', 'RISTRETTO255'] as const) {
    it(`${algorithm} key lengths and derivation`, () => {
      const pair = generateCurveKeyPair(algorithm)
      expect(pair.secretKey).to.have.length(32)
      expect(pair.publicKey).to.have.length(CURVE_PUBLIC_KEY_LENGTHS[algorithm])
      expect(toHex(curvePublicKeyFromSecret(algorithm, pair.secretKey))).to.equal(toHex(pair.publicKey))
    })

    it(`${algorithm} rejects zero and out-of-range scalars`, () => {
      expect(() => curvePublicKeyFromSecret(algorithm, new Uint8Array(32))).to.throw(KeyError)
      expect(() => curvePublicKeyFromSecret(algorithm, new Uint8Array(32).fill(0xff))).to.throw(KeyError)
      expect(() => curvePublicKeyFromSecret(algorithm, new Uint8Array(31).fill(1))).to.throw(KeyError)
    })
  }

  it('BLS12_381 public key is a compressed G1 point', () => {
    const pair = generateCurveKeyPair('BLS12_381')
    // The top bit of a compressed BLS12-381 point encoding is the compression flag.
    expect(pair.publicKey[0]! & 0x80).to.equal(0x80)
  })
})

describe('keystore passwords', () => {
  let dir: string

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poh-password-'))
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('strips exactly one trailing newline', () => {
    expect(stripTrailingNewline('pw\n')).to.equal('pw')
    expect(stripTrailingNewline('pw\r\n')).to.equal('pw')
    expect(stripTrailingNewline('pw')).to.equal('pw')
    expect(stripTrailingNewline('pw\n\n')).to.equal('pw\n')
    expect(stripTrailingNewline('pw ')).to.equal('pw ')
    expect(stripTrailingNewline('pw\r')).to.equal('pw\r')
  })

  it('LF, CRLF and no newline open one key', async () => {
    const keystore = join(dir, 'key.json')
    const key = generateKeystoreKey('ED25519')
    await writeKeystoreFile(keystore, key, 'secret', FAST)
    const passwordFiles: Array<[string, string]> = [['lf', 'secret\n'], ['crlf', 'secret\r\n'], ['none', 'secret']]
    for (const [name, text] of passwordFiles) {
      const passwordFile = join(dir, name)
      await writeFile(passwordFile, text)
      const opened = await readKeystoreFile(keystore, await readPasswordFile(passwordFile))
      expect(toHex(opened.secretKey), name).to.equal(toHex(key.secretKey))
    }
  })

  it('empty password file is rejected', async () => {
    const passwordFile = join(dir, 'empty')
    await writeFile(passwordFile, '\n')
    await expectKeyError(readPasswordFile(passwordFile), /empty/)
  })

  it('missing password file is reported', async () => {
    await expectKeyError(readPasswordFile(join(dir, 'absent')), /password file .*absent not found/)
  })
})

describe('loadHolderKeyFile with keystores', () => {
  let dir: string
  let savedPassword: string | undefined
  let savedPasswordFile: string | undefined

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poh-holder-keystore-'))
    savedPassword = process.env[PASSWORD_ENV]
    savedPasswordFile = process.env[PASSWORD_FILE_ENV]
    delete process.env[PASSWORD_ENV]
    delete process.env[PASSWORD_FILE_ENV]
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
    for (const [name, value] of [[PASSWORD_ENV, savedPassword], [PASSWORD_FILE_ENV, savedPasswordFile]] as const) {
      if (value === undefined) {
        delete process.env[name]
      } else {
        process.env[name] = value
      }
    }
  })

  it('decrypts with POH_KEY_PASSWORD', async () => {
    const path = join(dir, 'holder.key')
    const key = generateKeystoreKey('ML_DSA_65')
    await writeKeystoreFile(path, key, 'holder pw', FAST)
    process.env[PASSWORD_ENV] = 'holder pw'
    const keyPair = await loadHolderKeyFile(path)
    expect(keyPair.alg).to.equal(SigAlg.ML_DSA_65)
    expect(toHex(keyPair.secretKey)).to.equal(toHex(key.secretKey))
    expect(toHex(keyPair.publicKey)).to.equal(toHex(key.publicKey))
  })

  it('decrypts with POH_KEY_PASSWORD_FILE', async () => {
    const path = join(dir, 'holder.key')
    const key = generateKeystoreKey('ED25519')
    await writeKeystoreFile(path, key, 'holder pw', FAST)
    await writeFile(join(dir, 'pw'), 'holder pw\r\n')
    process.env[PASSWORD_FILE_ENV] = join(dir, 'pw')
    const keyPair = await loadHolderKeyFile(path)
    expect(keyPair.alg).to.equal(SigAlg.ED25519)
    expect(toHex(keyPair.secretKey)).to.equal(toHex(key.secretKey))
  })

  it('missing password names both variables', async () => {
    const path = join(dir, 'holder.key')
    await writeKeystoreFile(path, generateKeystoreKey('ED25519'), 'holder pw', FAST)
    await expectKeyError(loadHolderKeyFile(path), /POH_KEY_PASSWORD\b.*POH_KEY_PASSWORD_FILE/)
  })

  it('wrong password raises KeyError', async () => {
    const path = join(dir, 'holder.key')
    await writeKeystoreFile(path, generateKeystoreKey('ED25519'), 'holder pw', FAST)
    process.env[PASSWORD_ENV] = 'other'
    await expectKeyError(loadHolderKeyFile(path), /^wrong password for keystore/)
  })

  it('rejects BLS12_381 as a holder key', async () => {
    const path = join(dir, 'holder.key')
    await writeKeystoreFile(path, generateKeystoreKey('BLS12_381'), 'holder pw', FAST)
    process.env[PASSWORD_ENV] = 'holder pw'
    await expectKeyError(loadHolderKeyFile(path), /must be one of ED25519, ML_DSA_65, HYBRID_ED25519_ML_DSA_65/)
  })

  it('plain key files still load', async () => {
    const path = join(dir, 'plain.key')
    const created = await createHolderKeyFile(path, 'ED25519')
    const loaded = await loadHolderKeyFile(path)
    expect(toHex(loaded.secretKey)).to.equal(toHex(created.secretKey))
  })
})
