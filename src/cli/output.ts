/** Writes one JSON line to stdout, the format scripts read. */
export function printJson (value: unknown): void {
  process.stdout.write(JSON.stringify(value, (_key, v) => typeof v === 'bigint' ? v.toString() : v) + '\n')
}

export function printLine (text: string): void {
  process.stdout.write(text + '\n')
}

/** An error that the CLI prints as one line and turns into an exit code. */
export class CliError extends Error {
  readonly exitCode: number

  constructor (message: string, exitCode = 1) {
    super(message)
    this.name = 'CliError'
    this.exitCode = exitCode
  }
}
