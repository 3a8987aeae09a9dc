// Original file: src/core/proto/poh_service.proto


/**
 * The node stored or saw a valid request.
 */
export interface RequestSeen {
  'payloadBytes'?: (number);
  /**
   * True when the request was submitted through this node.
   */
  'local'?: (boolean);
}

/**
 * The node stored or saw a valid request.
 */
export interface RequestSeen__Output {
  'payloadBytes': (number);
  /**
   * True when the request was submitted through this node.
   */
  'local': (boolean);
}
