#!/usr/bin/env node
// Entry point of the poh-node command. libp2p 3 calls Promise.withResolvers,
// which Node.js gained in version 22, so older runtimes stop here with a hint.
const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  process.stderr.write(`poh-node: error: Node.js ${process.versions.node} is too old; poh-node needs Node.js 22 or newer. ` +
    'Inside the project, "npx poh-node" and npm scripts use the pinned Node.js 24.\n')
  process.exit(1)
}
// A reader that closes early, such as `poh-node status | head -1`, is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') {
    process.exit(0)
  }
  throw err
})
const { main } = await import('../dist/src/cli/main.js')
process.exitCode = await main(process.argv)
