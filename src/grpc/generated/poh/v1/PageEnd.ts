// Original file: src/core/proto/poh_service.proto


/**
 * Last message of a QueryRange stream.
 */
export interface PageEnd {
  /**
   * Cursor of the next page; empty when the range has no more items.
   */
  'nextCursor'?: (Buffer | Uint8Array | string);
  /**
   * Number of items this page streamed.
   */
  'count'?: (number);
}

/**
 * Last message of a QueryRange stream.
 */
export interface PageEnd__Output {
  /**
   * Cursor of the next page; empty when the range has no more items.
   */
  'nextCursor': (Buffer);
  /**
   * Number of items this page streamed.
   */
  'count': (number);
}
