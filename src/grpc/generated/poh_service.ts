import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { PohAck as _PohAck, PohAck__Output as _PohAck__Output } from './PohAck.js';
import type { PohAckBatch as _PohAckBatch, PohAckBatch__Output as _PohAckBatch__Output } from './PohAckBatch.js';
import type { PohRequest as _PohRequest, PohRequest__Output as _PohRequest__Output } from './PohRequest.js';
import type { RepairItem as _RepairItem, RepairItem__Output as _RepairItem__Output } from './RepairItem.js';
import type { RepairRange as _RepairRange, RepairRange__Output as _RepairRange__Output } from './RepairRange.js';
import type { RepairRequest as _RepairRequest, RepairRequest__Output as _RepairRequest__Output } from './RepairRequest.js';
import type { RepairResponse as _RepairResponse, RepairResponse__Output as _RepairResponse__Output } from './RepairResponse.js';
import type { SpotCheckRequest as _SpotCheckRequest, SpotCheckRequest__Output as _SpotCheckRequest__Output } from './SpotCheckRequest.js';
import type { SpotCheckResponse as _SpotCheckResponse, SpotCheckResponse__Output as _SpotCheckResponse__Output } from './SpotCheckResponse.js';
import type { AckCounted as _poh_v1_AckCounted, AckCounted__Output as _poh_v1_AckCounted__Output } from './poh/v1/AckCounted.js';
import type { Certificate as _poh_v1_Certificate, Certificate__Output as _poh_v1_Certificate__Output } from './poh/v1/Certificate.js';
import type { Expired as _poh_v1_Expired, Expired__Output as _poh_v1_Expired__Output } from './poh/v1/Expired.js';
import type { GetCertificateRequest as _poh_v1_GetCertificateRequest, GetCertificateRequest__Output as _poh_v1_GetCertificateRequest__Output } from './poh/v1/GetCertificateRequest.js';
import type { GetStatusRequest as _poh_v1_GetStatusRequest, GetStatusRequest__Output as _poh_v1_GetStatusRequest__Output } from './poh/v1/GetStatusRequest.js';
import type { GetTransactionRequest as _poh_v1_GetTransactionRequest, GetTransactionRequest__Output as _poh_v1_GetTransactionRequest__Output } from './poh/v1/GetTransactionRequest.js';
import type { Held as _poh_v1_Held, Held__Output as _poh_v1_Held__Output } from './poh/v1/Held.js';
import type { HistoryItem as _poh_v1_HistoryItem, HistoryItem__Output as _poh_v1_HistoryItem__Output } from './poh/v1/HistoryItem.js';
import type { HolderSetInfo as _poh_v1_HolderSetInfo, HolderSetInfo__Output as _poh_v1_HolderSetInfo__Output } from './poh/v1/HolderSetInfo.js';
import type { HolderSpotChecks as _poh_v1_HolderSpotChecks, HolderSpotChecks__Output as _poh_v1_HolderSpotChecks__Output } from './poh/v1/HolderSpotChecks.js';
import type { ListPeersRequest as _poh_v1_ListPeersRequest, ListPeersRequest__Output as _poh_v1_ListPeersRequest__Output } from './poh/v1/ListPeersRequest.js';
import type { ListPeersResponse as _poh_v1_ListPeersResponse, ListPeersResponse__Output as _poh_v1_ListPeersResponse__Output } from './poh/v1/ListPeersResponse.js';
import type { NodeStatus as _poh_v1_NodeStatus, NodeStatus__Output as _poh_v1_NodeStatus__Output } from './poh/v1/NodeStatus.js';
import type { PageEnd as _poh_v1_PageEnd, PageEnd__Output as _poh_v1_PageEnd__Output } from './poh/v1/PageEnd.js';
import type { PeerInfo as _poh_v1_PeerInfo, PeerInfo__Output as _poh_v1_PeerInfo__Output } from './poh/v1/PeerInfo.js';
import type { PohNodeClient as _poh_v1_PohNodeClient, PohNodeDefinition as _poh_v1_PohNodeDefinition } from './poh/v1/PohNode.js';
import type { QueryRangeRequest as _poh_v1_QueryRangeRequest, QueryRangeRequest__Output as _poh_v1_QueryRangeRequest__Output } from './poh/v1/QueryRangeRequest.js';
import type { QueryRangeResponse as _poh_v1_QueryRangeResponse, QueryRangeResponse__Output as _poh_v1_QueryRangeResponse__Output } from './poh/v1/QueryRangeResponse.js';
import type { RequestSeen as _poh_v1_RequestSeen, RequestSeen__Output as _poh_v1_RequestSeen__Output } from './poh/v1/RequestSeen.js';
import type { SlotRange as _poh_v1_SlotRange, SlotRange__Output as _poh_v1_SlotRange__Output } from './poh/v1/SlotRange.js';
import type { SpotCheckInfo as _poh_v1_SpotCheckInfo, SpotCheckInfo__Output as _poh_v1_SpotCheckInfo__Output } from './poh/v1/SpotCheckInfo.js';
import type { SubmitTransactionRequest as _poh_v1_SubmitTransactionRequest, SubmitTransactionRequest__Output as _poh_v1_SubmitTransactionRequest__Output } from './poh/v1/SubmitTransactionRequest.js';
import type { SubmitTransactionResponse as _poh_v1_SubmitTransactionResponse, SubmitTransactionResponse__Output as _poh_v1_SubmitTransactionResponse__Output } from './poh/v1/SubmitTransactionResponse.js';
import type { TimeRange as _poh_v1_TimeRange, TimeRange__Output as _poh_v1_TimeRange__Output } from './poh/v1/TimeRange.js';
import type { Transaction as _poh_v1_Transaction, Transaction__Output as _poh_v1_Transaction__Output } from './poh/v1/Transaction.js';
import type { TransactionEvent as _poh_v1_TransactionEvent, TransactionEvent__Output as _poh_v1_TransactionEvent__Output } from './poh/v1/TransactionEvent.js';
import type { WatchTransactionsRequest as _poh_v1_WatchTransactionsRequest, WatchTransactionsRequest__Output as _poh_v1_WatchTransactionsRequest__Output } from './poh/v1/WatchTransactionsRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  PohAck: MessageTypeDefinition<_PohAck, _PohAck__Output>
  PohAckBatch: MessageTypeDefinition<_PohAckBatch, _PohAckBatch__Output>
  PohRequest: MessageTypeDefinition<_PohRequest, _PohRequest__Output>
  RepairItem: MessageTypeDefinition<_RepairItem, _RepairItem__Output>
  RepairRange: MessageTypeDefinition<_RepairRange, _RepairRange__Output>
  RepairRequest: MessageTypeDefinition<_RepairRequest, _RepairRequest__Output>
  RepairResponse: MessageTypeDefinition<_RepairResponse, _RepairResponse__Output>
  RepairStatus: EnumTypeDefinition
  SigAlg: EnumTypeDefinition
  SpotCheckRequest: MessageTypeDefinition<_SpotCheckRequest, _SpotCheckRequest__Output>
  SpotCheckResponse: MessageTypeDefinition<_SpotCheckResponse, _SpotCheckResponse__Output>
  SpotCheckStatus: EnumTypeDefinition
  poh: {
    v1: {
      AckCounted: MessageTypeDefinition<_poh_v1_AckCounted, _poh_v1_AckCounted__Output>
      Certificate: MessageTypeDefinition<_poh_v1_Certificate, _poh_v1_Certificate__Output>
      Expired: MessageTypeDefinition<_poh_v1_Expired, _poh_v1_Expired__Output>
      GetCertificateRequest: MessageTypeDefinition<_poh_v1_GetCertificateRequest, _poh_v1_GetCertificateRequest__Output>
      GetStatusRequest: MessageTypeDefinition<_poh_v1_GetStatusRequest, _poh_v1_GetStatusRequest__Output>
      GetTransactionRequest: MessageTypeDefinition<_poh_v1_GetTransactionRequest, _poh_v1_GetTransactionRequest__Output>
      Held: MessageTypeDefinition<_poh_v1_Held, _poh_v1_Held__Output>
      HistoryItem: MessageTypeDefinition<_poh_v1_HistoryItem, _poh_v1_HistoryItem__Output>
      HolderSetInfo: MessageTypeDefinition<_poh_v1_HolderSetInfo, _poh_v1_HolderSetInfo__Output>
      HolderSpotChecks: MessageTypeDefinition<_poh_v1_HolderSpotChecks, _poh_v1_HolderSpotChecks__Output>
      ListPeersRequest: MessageTypeDefinition<_poh_v1_ListPeersRequest, _poh_v1_ListPeersRequest__Output>
      ListPeersResponse: MessageTypeDefinition<_poh_v1_ListPeersResponse, _poh_v1_ListPeersResponse__Output>
      NodeStatus: MessageTypeDefinition<_poh_v1_NodeStatus, _poh_v1_NodeStatus__Output>
      PageEnd: MessageTypeDefinition<_poh_v1_PageEnd, _poh_v1_PageEnd__Output>
      PeerInfo: MessageTypeDefinition<_poh_v1_PeerInfo, _poh_v1_PeerInfo__Output>
      PohNode: SubtypeConstructor<typeof grpc.Client, _poh_v1_PohNodeClient> & { service: _poh_v1_PohNodeDefinition }
      QueryRangeRequest: MessageTypeDefinition<_poh_v1_QueryRangeRequest, _poh_v1_QueryRangeRequest__Output>
      QueryRangeResponse: MessageTypeDefinition<_poh_v1_QueryRangeResponse, _poh_v1_QueryRangeResponse__Output>
      RequestSeen: MessageTypeDefinition<_poh_v1_RequestSeen, _poh_v1_RequestSeen__Output>
      SlotRange: MessageTypeDefinition<_poh_v1_SlotRange, _poh_v1_SlotRange__Output>
      SpotCheckInfo: MessageTypeDefinition<_poh_v1_SpotCheckInfo, _poh_v1_SpotCheckInfo__Output>
      SubmitTransactionRequest: MessageTypeDefinition<_poh_v1_SubmitTransactionRequest, _poh_v1_SubmitTransactionRequest__Output>
      SubmitTransactionResponse: MessageTypeDefinition<_poh_v1_SubmitTransactionResponse, _poh_v1_SubmitTransactionResponse__Output>
      TimeRange: MessageTypeDefinition<_poh_v1_TimeRange, _poh_v1_TimeRange__Output>
      Transaction: MessageTypeDefinition<_poh_v1_Transaction, _poh_v1_Transaction__Output>
      TransactionEvent: MessageTypeDefinition<_poh_v1_TransactionEvent, _poh_v1_TransactionEvent__Output>
      TxEventKind: EnumTypeDefinition
      TxState: EnumTypeDefinition
      WatchTransactionsRequest: MessageTypeDefinition<_poh_v1_WatchTransactionsRequest, _poh_v1_WatchTransactionsRequest__Output>
    }
  }
}

