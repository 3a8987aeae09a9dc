import { Command, CommanderError } from 'commander'
import { PohError } from '../core/errors.js'
import { CliError } from './output.js'
import { completionCommand } from './commands/completion.js'
import { getCommand } from './commands/get.js'
import { initCommand } from './commands/init.js'
import { keygenCommand } from './commands/keygen.js'
import { keysCommand } from './commands/keys.js'
import { queryCommand } from './commands/query.js'
import { sendCommand } from './commands/send.js'
import { startCommand } from './commands/start.js'
import { statusCommand } from './commands/status.js'
import { verifyCertCommand } from './commands/verify-cert.js'

/** Exit code for a bad argument or config value. */
const EXIT_USAGE = 2

export function buildProgram (): Command {
  const program = new Command('poh-node')
    .description('Proof-of-Holding node: stores transactions with an expiry and gossips signed acknowledgements over libp2p')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => { write(text) } })
  for (const command of [initCommand(), keygenCommand(), keysCommand(), startCommand(), sendCommand(), statusCommand(), getCommand(), queryCommand(), verifyCertCommand(), completionCommand()]) {
    // addCommand does not copy exitOverride, and without it commander calls process.exit itself.
    program.addCommand(command.exitOverride())
  }
  return program
}

/** Runs the CLI and returns the process exit code; every failure is one line on stderr. */
export async function main (argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv)
    return 0
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed its own message (or help, with exit code 0).
      return err.exitCode === 0 ? 0 : EXIT_USAGE
    }
    if (err instanceof CliError) {
      process.stderr.write(`poh-node: error: ${err.message}\n`)
      return err.exitCode
    }
    if (err instanceof PohError) {
      process.stderr.write(`poh-node: error: ${err.message}\n`)
      return err.code === 'ERR_CONFIG' ? EXIT_USAGE : 1
    }
    process.stderr.write(`poh-node: error: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  }
}
