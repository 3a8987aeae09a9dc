import { Command } from 'commander'
import { CliError, printJson, printLine } from '../output.js'
import { addApiOptions, formatTime, withApi } from './status.js'
import type { ApiCommandOptions } from './status.js'
import type { TxInfo } from '../../client/rest-client.js'
import type { Certificate } from '../../node/queries.js'

interface GetOptions extends ApiCommandOptions {
  certificate?: boolean
}

/** Checks that a tx_id is 64 hex characters and returns it in lower case. */
export function parseTxIdArgument (value: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(value)) {
    throw new CliError(`tx_id "${value}" is invalid: expected 64 hex characters (the SHA-256 of the payload), got ${value.length} characters`, 2)
  }
  return value.toLowerCase()
}

function printTx (tx: TxInfo): void {
  const rows: Array<[string, string]> = [
    ['tx id', tx.tx_id],
    ['state', tx.state],
    ['acks', String(tx.ack_count)],
    ['held at', formatTime(tx.held_at_ms)],
    ['expires at', formatTime(tx.expires_at_ms)],
    ['payload', tx.payload_bytes === null || tx.payload_bytes === undefined ? 'not stored on this node' : `${tx.payload_bytes} bytes`],
    ['holders', tx.holders.length === 0 ? '-' : tx.holders[0] ?? '']
  ]
  for (const [label, value] of rows) {
    printLine(`${(label + ':').padEnd(12)}${value}`)
  }
  for (const holder of tx.holders.slice(1)) {
    printLine(`${''.padEnd(12)}${holder}`)
  }
}

function printCertificate (certificate: Certificate): void {
  printLine(`tx id:           ${certificate.tx_id}`)
  printLine(`network:         ${certificate.network_id}`)
  printLine(`holder set hash: ${certificate.holder_set_hash}`)
  printLine(`acks:            ${certificate.acks.length}`)
  for (const ack of certificate.acks) {
    printLine(`  holder ${ack.holder_id}  ${ack.sig_alg}  signed at ${formatTime(ack.timestamp_ms)}`)
  }
}

async function getTx (txIdArgument: string, options: GetOptions): Promise<void> {
  const txId = parseTxIdArgument(txIdArgument)
  if (options.certificate === true) {
    const certificate = await withApi(options, async (client) => await client.certificate(txId))
    if (certificate === undefined) {
      throw new CliError(`no certificate for transaction ${txId} on the node: it is unknown there, not held yet, or expired; \`poh-node get ${txId}\` shows its state`)
    }
    options.json === true ? printJson(certificate) : printCertificate(certificate)
    return
  }

  const tx = await withApi(options, async (client) => await client.getTx(txId))
  if (tx === undefined) {
    throw new CliError(`transaction ${txId} not found on the node`)
  }
  options.json === true ? printJson(tx) : printTx(tx)
}

export function getCommand (): Command {
  const command = new Command('get')
    .description('show one transaction as a running node sees it: state, ACK count, holders, held and expiry times (ISO 8601 UTC)')
    .argument('<tx_id>', 'transaction id: 64 hex characters, the SHA-256 of the payload')
    .option('--certificate', 'print the quorum certificate (the ACKs that made the transaction held) instead')
  return addApiOptions(command).action(getTx)
}
