/**
 * Loads the gRPC service definition from src/core/proto/poh_service.proto at
 * run time, with the same options `npm run grpc:gen` passes to
 * proto-loader-gen-types, so the types in ./generated match what the loader
 * produces.
 */

import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadPackageDefinition } from '@grpc/grpc-js'
import { loadSync } from '@grpc/proto-loader'
import type { Options } from '@grpc/proto-loader'
import type { ProtoGrpcType } from './generated/poh_service.js'

/** Name of the package whose root directory contains src/core/proto. */
const PACKAGE_NAME = 'poh-node'

/** File name of the service definition inside the proto directory. */
export const SERVICE_PROTO_FILE = 'poh_service.proto'

/**
 * Loader options, which must match the flags of the grpc:gen script. Field
 * names are camelCase and enums are their names. uint64 fields are numbers,
 * because every uint64 of the service is a count or Unix milliseconds, far
 * below 2^53. Unset fields get default values, and each oneof gets a virtual
 * field naming its set member.
 */
export const LOADER_OPTIONS: Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true
}

/**
 * Returns the directory of the .proto files. It walks up from this module to
 * the package.json of poh-node, because this module runs both from src/grpc
 * (tsx) and from dist/src/grpc (tsc output), and tsc copies no .proto files.
 */
export function protoDirectory (): string {
  const start = dirname(fileURLToPath(import.meta.url))
  let dir = start
  for (;;) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) {
      return join(dir, 'src', 'core', 'proto')
    }
    const parent = dirname(dir)
    if (parent === dir) {
      throw new Error(`cannot find the package.json of ${PACKAGE_NAME} above ${start}, so ${SERVICE_PROTO_FILE} cannot be located; reinstall the package`)
    }
    dir = parent
  }
}

let loaded: ProtoGrpcType | undefined

/** Loads poh_service.proto (and the poh.proto it imports) once and returns the typed package. */
export function loadPohService (): ProtoGrpcType {
  if (loaded === undefined) {
    const definition = loadSync(SERVICE_PROTO_FILE, { ...LOADER_OPTIONS, includeDirs: [protoDirectory()] })
    loaded = loadPackageDefinition(definition) as unknown as ProtoGrpcType
  }
  return loaded
}
