/**
 * Entry point of a VerifyPool worker thread: verifies the signature checks
 * of each job it receives and posts back one verdict byte per check.
 */
import { parentPort } from 'node:worker_threads'
import { runChecks, unpackChecks } from './verify-job.js'
import type { VerifyJobMessage, VerifyResultMessage } from './verify-job.js'

if (parentPort === null) {
  throw new Error('verify-worker runs only as a worker thread that VerifyPool starts, not as a program')
}
const port = parentPort

port.on('message', (job: VerifyJobMessage) => {
  let valid: Uint8Array
  try {
    valid = runChecks(unpackChecks(job.checks))
  } catch (err) {
    const result: VerifyResultMessage = { id: job.id, error: (err as Error).message }
    port.postMessage(result)
    return
  }
  const result: VerifyResultMessage = { id: job.id, valid }
  port.postMessage(result, [valid.buffer as ArrayBuffer])
})
