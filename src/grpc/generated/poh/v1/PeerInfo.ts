// Original file: src/core/proto/poh_service.proto


export interface PeerInfo {
  'peerId'?: (string);
  /**
   * Remote multiaddrs of the open connections to the peer.
   */
  'addresses'?: (string)[];
  /**
   * Gossipsub score; below -80 the node disconnects the peer.
   */
  'score'?: (number | string);
}

export interface PeerInfo__Output {
  'peerId': (string);
  /**
   * Remote multiaddrs of the open connections to the peer.
   */
  'addresses': (string)[];
  /**
   * Gossipsub score; below -80 the node disconnects the peer.
   */
  'score': (number);
}
