/**
 * Keystore password sources: a password file, the POH_KEY_PASSWORD and
 * POH_KEY_PASSWORD_FILE environment variables, or a prompt on a terminal.
 * Every source strips exactly one trailing "\n" or "\r\n" and rejects an
 * empty password.
 */
import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline/promises'
import { Writable } from 'node:stream'
import { KeyError } from '../core/errors.js'

/** Environment variable that contains the keystore password itself. */
export const PASSWORD_ENV = 'POH_KEY_PASSWORD'
/** Environment variable that contains the path of a file with the keystore password. */
export const PASSWORD_FILE_ENV = 'POH_KEY_PASSWORD_FILE'

/** Removes exactly one trailing "\r\n" or "\n"; other trailing whitespace is part of the password. */
export function stripTrailingNewline (text: string): string {
  if (text.endsWith('\r\n')) {
    return text.slice(0, -2)
  }
  if (text.endsWith('\n')) {
    return text.slice(0, -1)
  }
  return text
}

function checkPassword (password: string, source: string): string {
  if (password.length === 0) {
    throw new KeyError(`the password from ${source} is empty; a keystore password must not be empty`)
  }
  return password
}

/** Reads a password file and strips one trailing newline. */
export async function readPasswordFile (path: string): Promise<string> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new KeyError(`password file ${path} not found`)
    }
    throw new KeyError(`password file ${path} cannot be read: ${(err as Error).message}`, { cause: err })
  }
  return checkPassword(stripTrailingNewline(text), `password file ${path}`)
}

/**
 * Returns the password from POH_KEY_PASSWORD, else from the file named by
 * POH_KEY_PASSWORD_FILE, else undefined.
 */
export async function passwordFromEnvironment (env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const password = env[PASSWORD_ENV]
  if (password !== undefined) {
    return checkPassword(stripTrailingNewline(password), PASSWORD_ENV)
  }
  const file = env[PASSWORD_FILE_ENV]
  if (file !== undefined && file !== '') {
    return await readPasswordFile(file)
  }
  return undefined
}

/** Reads one line from the terminal on stdin without echoing it; the prompt goes to stderr. */
export async function promptPassword (prompt: string): Promise<string> {
  let muted = false
  const output = new Writable({
    write (chunk, encoding, callback) {
      if (!muted) {
        process.stderr.write(chunk, encoding)
      }
      callback()
    }
  })
  const reader = createInterface({ input: process.stdin, output, terminal: true })
  try {
    process.stderr.write(prompt)
    muted = true
    const answer = await reader.question('')
    return checkPassword(stripTrailingNewline(answer), 'the prompt')
  } finally {
    reader.close()
    process.stderr.write('\n')
  }
}

export interface PasswordRequest {
  /** Path given with --password-file, if any; it takes precedence over every other source. */
  passwordFile?: string
  /** Whether POH_KEY_PASSWORD and POH_KEY_PASSWORD_FILE may supply the password; default true. */
  useEnvironment?: boolean
  /** Prompt text shown on a terminal. */
  prompt: string
  /** Asks twice on a terminal and rejects a mismatch; use for a new password. */
  confirm?: boolean
  /** Option names listed in the error when no source is available, e.g. "--password-file". */
  optionName?: string
}

/**
 * Returns a password from the first available source: the password file,
 * the environment, then a prompt when stdin is a terminal.
 * Throws KeyError when none is available.
 */
export async function resolvePassword (request: PasswordRequest): Promise<string> {
  if (request.passwordFile !== undefined) {
    return await readPasswordFile(request.passwordFile)
  }
  if (request.useEnvironment !== false) {
    const password = await passwordFromEnvironment()
    if (password !== undefined) {
      return password
    }
  }
  if (process.stdin.isTTY !== true) {
    const optionName = request.optionName ?? '--password-file'
    const sources = request.useEnvironment !== false
      ? `${optionName}, ${PASSWORD_ENV} or ${PASSWORD_FILE_ENV}`
      : optionName
    throw new KeyError(`no password given and stdin is not a terminal; pass it with ${sources}`)
  }
  const password = await promptPassword(request.prompt)
  if (request.confirm === true) {
    const repeated = await promptPassword('Repeat the password: ')
    if (repeated !== password) {
      throw new KeyError('the two passwords do not match')
    }
  }
  return password
}
