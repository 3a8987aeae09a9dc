/**
 * Runs the poh-node CLI from src/, for node processes that benchmark scripts
 * start under tsx (see sourceEntry in node-process.ts).
 */
import { main } from '../../src/cli/main.js'

process.exitCode = await main(process.argv)
