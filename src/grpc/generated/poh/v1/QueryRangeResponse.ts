// Original file: src/core/proto/poh_service.proto

import type { HistoryItem as _poh_v1_HistoryItem, HistoryItem__Output as _poh_v1_HistoryItem__Output } from '../../poh/v1/HistoryItem.js';
import type { PageEnd as _poh_v1_PageEnd, PageEnd__Output as _poh_v1_PageEnd__Output } from '../../poh/v1/PageEnd.js';

export interface QueryRangeResponse {
  'item'?: (_poh_v1_HistoryItem | null);
  'pageEnd'?: (_poh_v1_PageEnd | null);
  'result'?: "item"|"pageEnd";
}

export interface QueryRangeResponse__Output {
  'item'?: (_poh_v1_HistoryItem__Output | null);
  'pageEnd'?: (_poh_v1_PageEnd__Output | null);
  'result'?: "item"|"pageEnd";
}
