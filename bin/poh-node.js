#!/usr/bin/env node
// Entry point of the poh-node command. libp2p 3 calls Promise.withResolvers,
// which Node.js gained in version 22, so older runtimes stop here with a hint.
const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  process.stderr.write(`poh-node: error: Node.js ${process.versions.node} is too old; poh-node needs Node.js 22 or newer. ` +
    'Inside the project, "npx poh-node" and npm scripts use the pinned Node.js 24.\n')
  process.exit(1)
}
// The long-running `start` command caps V8's young generation at 16 MB
// semi-spaces. V8 in Node.js 24 lets each grow to 64 MB, and it keeps that
// memory after a burst such as the start-up quorum rebuild: about 130 MB of
// resident memory. execve replaces this process, so the process id stays. A
// --max-semi-space-size that the caller passes, on the command line or in
// NODE_OPTIONS, wins. Without execve (Windows, IBM i, Node.js before 22.15)
// the node runs with V8's default.
const SEMI_SPACE_FLAG = '--max-semi-space-size'
const semiSpaceSet = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]
  .some((arg) => arg.replaceAll('_', '-').startsWith(SEMI_SPACE_FLAG))
if (process.argv[2] === 'start' && !semiSpaceSet && typeof process.execve === 'function' && !['win32', 'os400'].includes(process.platform)) {
  process.execve(process.execPath, [process.execPath, `${SEMI_SPACE_FLAG}=16`, ...process.execArgv, ...process.argv.slice(1)])
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
