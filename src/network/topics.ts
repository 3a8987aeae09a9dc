/** Gossipsub topic for PoH_REQUEST messages of one network. */
export function requestTopic (networkId: string): string {
  return `/poh/${networkId}/request/1/proto`
}

/** Gossipsub topic for PohAckBatch messages of one network. */
export function ackTopic (networkId: string): string {
  return `/poh/${networkId}/ack/1/proto`
}

/** Request-response protocol id for repair. */
export function repairProtocol (networkId: string): string {
  return `/poh/${networkId}/repair/1`
}

/** Request-response protocol id for spot checks. */
export function spotCheckProtocol (networkId: string): string {
  return `/poh/${networkId}/spot-check/1`
}
