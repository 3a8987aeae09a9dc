/**
 * The spot-check protocol: a request-response protocol on
 * /poh/<network_id>/spot-check/1 that challenges a holder to prove, with a fresh
 * nonce, that it still stores a payload.
 */

export { SpotCheckClient } from './client.js'
export type { ChallengeOutcome, SpotCheckClientInit } from './client.js'
export { SpotCheckServer, SPOT_CHECK_SERVER_RESULTS } from './server.js'
export type { SpotCheckPayloadSource, SpotCheckServerInit, SpotCheckServerLimits, SpotCheckServerResult } from './server.js'
export { MAX_SPOT_CHECK_REQUEST_BYTES, MAX_SPOT_CHECK_RESPONSE_BYTES, SPOT_CHECK_CODEC, checkSpotCheckRequest } from './codec.js'
