// Original file: src/core/proto/poh_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Certificate as _poh_v1_Certificate, Certificate__Output as _poh_v1_Certificate__Output } from '../../poh/v1/Certificate.js';
import type { GetCertificateRequest as _poh_v1_GetCertificateRequest, GetCertificateRequest__Output as _poh_v1_GetCertificateRequest__Output } from '../../poh/v1/GetCertificateRequest.js';
import type { GetStatusRequest as _poh_v1_GetStatusRequest, GetStatusRequest__Output as _poh_v1_GetStatusRequest__Output } from '../../poh/v1/GetStatusRequest.js';
import type { GetTransactionRequest as _poh_v1_GetTransactionRequest, GetTransactionRequest__Output as _poh_v1_GetTransactionRequest__Output } from '../../poh/v1/GetTransactionRequest.js';
import type { ListPeersRequest as _poh_v1_ListPeersRequest, ListPeersRequest__Output as _poh_v1_ListPeersRequest__Output } from '../../poh/v1/ListPeersRequest.js';
import type { ListPeersResponse as _poh_v1_ListPeersResponse, ListPeersResponse__Output as _poh_v1_ListPeersResponse__Output } from '../../poh/v1/ListPeersResponse.js';
import type { NodeStatus as _poh_v1_NodeStatus, NodeStatus__Output as _poh_v1_NodeStatus__Output } from '../../poh/v1/NodeStatus.js';
import type { QueryRangeRequest as _poh_v1_QueryRangeRequest, QueryRangeRequest__Output as _poh_v1_QueryRangeRequest__Output } from '../../poh/v1/QueryRangeRequest.js';
import type { QueryRangeResponse as _poh_v1_QueryRangeResponse, QueryRangeResponse__Output as _poh_v1_QueryRangeResponse__Output } from '../../poh/v1/QueryRangeResponse.js';
import type { SubmitTransactionRequest as _poh_v1_SubmitTransactionRequest, SubmitTransactionRequest__Output as _poh_v1_SubmitTransactionRequest__Output } from '../../poh/v1/SubmitTransactionRequest.js';
import type { SubmitTransactionResponse as _poh_v1_SubmitTransactionResponse, SubmitTransactionResponse__Output as _poh_v1_SubmitTransactionResponse__Output } from '../../poh/v1/SubmitTransactionResponse.js';
import type { Transaction as _poh_v1_Transaction, Transaction__Output as _poh_v1_Transaction__Output } from '../../poh/v1/Transaction.js';
import type { TransactionEvent as _poh_v1_TransactionEvent, TransactionEvent__Output as _poh_v1_TransactionEvent__Output } from '../../poh/v1/TransactionEvent.js';
import type { WatchTransactionsRequest as _poh_v1_WatchTransactionsRequest, WatchTransactionsRequest__Output as _poh_v1_WatchTransactionsRequest__Output } from '../../poh/v1/WatchTransactionsRequest.js';

export interface PohNodeClient extends grpc.Client {
  /**
   * Returns the quorum certificate of a held transaction; NOT_FOUND when the
   * transaction is unknown, not held yet, or its ACKs were deleted after it
   * expired.
   */
  GetCertificate(argument: _poh_v1_GetCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_Certificate__Output>): grpc.ClientUnaryCall;
  GetCertificate(argument: _poh_v1_GetCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_poh_v1_Certificate__Output>): grpc.ClientUnaryCall;
  GetCertificate(argument: _poh_v1_GetCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_Certificate__Output>): grpc.ClientUnaryCall;
  GetCertificate(argument: _poh_v1_GetCertificateRequest, callback: grpc.requestCallback<_poh_v1_Certificate__Output>): grpc.ClientUnaryCall;
  /**
   * Returns the quorum certificate of a held transaction; NOT_FOUND when the
   * transaction is unknown, not held yet, or its ACKs were deleted after it
   * expired.
   */
  getCertificate(argument: _poh_v1_GetCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_Certificate__Output>): grpc.ClientUnaryCall;
  getCertificate(argument: _poh_v1_GetCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_poh_v1_Certificate__Output>): grpc.ClientUnaryCall;
  getCertificate(argument: _poh_v1_GetCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_Certificate__Output>): grpc.ClientUnaryCall;
  getCertificate(argument: _poh_v1_GetCertificateRequest, callback: grpc.requestCallback<_poh_v1_Certificate__Output>): grpc.ClientUnaryCall;
  
  /**
   * Returns the node's identity, holder set, storage counts and uptime.
   */
  GetStatus(argument: _poh_v1_GetStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _poh_v1_GetStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_poh_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _poh_v1_GetStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  GetStatus(argument: _poh_v1_GetStatusRequest, callback: grpc.requestCallback<_poh_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  /**
   * Returns the node's identity, holder set, storage counts and uptime.
   */
  getStatus(argument: _poh_v1_GetStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _poh_v1_GetStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_poh_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _poh_v1_GetStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  getStatus(argument: _poh_v1_GetStatusRequest, callback: grpc.requestCallback<_poh_v1_NodeStatus__Output>): grpc.ClientUnaryCall;
  
  /**
   * Returns what the node knows of one transaction; NOT_FOUND when nothing.
   */
  GetTransaction(argument: _poh_v1_GetTransactionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_Transaction__Output>): grpc.ClientUnaryCall;
  GetTransaction(argument: _poh_v1_GetTransactionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_poh_v1_Transaction__Output>): grpc.ClientUnaryCall;
  GetTransaction(argument: _poh_v1_GetTransactionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_Transaction__Output>): grpc.ClientUnaryCall;
  GetTransaction(argument: _poh_v1_GetTransactionRequest, callback: grpc.requestCallback<_poh_v1_Transaction__Output>): grpc.ClientUnaryCall;
  /**
   * Returns what the node knows of one transaction; NOT_FOUND when nothing.
   */
  getTransaction(argument: _poh_v1_GetTransactionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_Transaction__Output>): grpc.ClientUnaryCall;
  getTransaction(argument: _poh_v1_GetTransactionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_poh_v1_Transaction__Output>): grpc.ClientUnaryCall;
  getTransaction(argument: _poh_v1_GetTransactionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_Transaction__Output>): grpc.ClientUnaryCall;
  getTransaction(argument: _poh_v1_GetTransactionRequest, callback: grpc.requestCallback<_poh_v1_Transaction__Output>): grpc.ClientUnaryCall;
  
  /**
   * Lists the connected libp2p peers.
   */
  ListPeers(argument: _poh_v1_ListPeersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_ListPeersResponse__Output>): grpc.ClientUnaryCall;
  ListPeers(argument: _poh_v1_ListPeersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_poh_v1_ListPeersResponse__Output>): grpc.ClientUnaryCall;
  ListPeers(argument: _poh_v1_ListPeersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_ListPeersResponse__Output>): grpc.ClientUnaryCall;
  ListPeers(argument: _poh_v1_ListPeersRequest, callback: grpc.requestCallback<_poh_v1_ListPeersResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists the connected libp2p peers.
   */
  listPeers(argument: _poh_v1_ListPeersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_ListPeersResponse__Output>): grpc.ClientUnaryCall;
  listPeers(argument: _poh_v1_ListPeersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_poh_v1_ListPeersResponse__Output>): grpc.ClientUnaryCall;
  listPeers(argument: _poh_v1_ListPeersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_ListPeersResponse__Output>): grpc.ClientUnaryCall;
  listPeers(argument: _poh_v1_ListPeersRequest, callback: grpc.requestCallback<_poh_v1_ListPeersResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Streams one page of transactions by request time or slot, oldest first:
   * up to `limit` item messages, then one page_end message that carries the
   * cursor of the next page.
   */
  QueryRange(argument: _poh_v1_QueryRangeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_poh_v1_QueryRangeResponse__Output>;
  QueryRange(argument: _poh_v1_QueryRangeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_poh_v1_QueryRangeResponse__Output>;
  /**
   * Streams one page of transactions by request time or slot, oldest first:
   * up to `limit` item messages, then one page_end message that carries the
   * cursor of the next page.
   */
  queryRange(argument: _poh_v1_QueryRangeRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_poh_v1_QueryRangeResponse__Output>;
  queryRange(argument: _poh_v1_QueryRangeRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_poh_v1_QueryRangeResponse__Output>;
  
  /**
   * Stores and publishes a transaction and returns its tx_id at once, before
   * any ACK; WatchTransactions reports when it is held.
   */
  SubmitTransaction(argument: _poh_v1_SubmitTransactionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_SubmitTransactionResponse__Output>): grpc.ClientUnaryCall;
  SubmitTransaction(argument: _poh_v1_SubmitTransactionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_poh_v1_SubmitTransactionResponse__Output>): grpc.ClientUnaryCall;
  SubmitTransaction(argument: _poh_v1_SubmitTransactionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_SubmitTransactionResponse__Output>): grpc.ClientUnaryCall;
  SubmitTransaction(argument: _poh_v1_SubmitTransactionRequest, callback: grpc.requestCallback<_poh_v1_SubmitTransactionResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stores and publishes a transaction and returns its tx_id at once, before
   * any ACK; WatchTransactions reports when it is held.
   */
  submitTransaction(argument: _poh_v1_SubmitTransactionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_SubmitTransactionResponse__Output>): grpc.ClientUnaryCall;
  submitTransaction(argument: _poh_v1_SubmitTransactionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_poh_v1_SubmitTransactionResponse__Output>): grpc.ClientUnaryCall;
  submitTransaction(argument: _poh_v1_SubmitTransactionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_poh_v1_SubmitTransactionResponse__Output>): grpc.ClientUnaryCall;
  submitTransaction(argument: _poh_v1_SubmitTransactionRequest, callback: grpc.requestCallback<_poh_v1_SubmitTransactionResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Streams transaction events as the node sees them, until the client
   * cancels. The server sends its response headers once the stream is
   * registered, so events after that point are never missed. Events of one
   * transaction come in the order the node handles them: a holder counts its
   * own ACK, and may reach held, before it reports the request.
   */
  WatchTransactions(argument: _poh_v1_WatchTransactionsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_poh_v1_TransactionEvent__Output>;
  WatchTransactions(argument: _poh_v1_WatchTransactionsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_poh_v1_TransactionEvent__Output>;
  /**
   * Streams transaction events as the node sees them, until the client
   * cancels. The server sends its response headers once the stream is
   * registered, so events after that point are never missed. Events of one
   * transaction come in the order the node handles them: a holder counts its
   * own ACK, and may reach held, before it reports the request.
   */
  watchTransactions(argument: _poh_v1_WatchTransactionsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_poh_v1_TransactionEvent__Output>;
  watchTransactions(argument: _poh_v1_WatchTransactionsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_poh_v1_TransactionEvent__Output>;
  
}

export interface PohNodeHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Returns the quorum certificate of a held transaction; NOT_FOUND when the
   * transaction is unknown, not held yet, or its ACKs were deleted after it
   * expired.
   */
  GetCertificate: grpc.handleUnaryCall<_poh_v1_GetCertificateRequest__Output, _poh_v1_Certificate>;
  
  /**
   * Returns the node's identity, holder set, storage counts and uptime.
   */
  GetStatus: grpc.handleUnaryCall<_poh_v1_GetStatusRequest__Output, _poh_v1_NodeStatus>;
  
  /**
   * Returns what the node knows of one transaction; NOT_FOUND when nothing.
   */
  GetTransaction: grpc.handleUnaryCall<_poh_v1_GetTransactionRequest__Output, _poh_v1_Transaction>;
  
  /**
   * Lists the connected libp2p peers.
   */
  ListPeers: grpc.handleUnaryCall<_poh_v1_ListPeersRequest__Output, _poh_v1_ListPeersResponse>;
  
  /**
   * Streams one page of transactions by request time or slot, oldest first:
   * up to `limit` item messages, then one page_end message that carries the
   * cursor of the next page.
   */
  QueryRange: grpc.handleServerStreamingCall<_poh_v1_QueryRangeRequest__Output, _poh_v1_QueryRangeResponse>;
  
  /**
   * Stores and publishes a transaction and returns its tx_id at once, before
   * any ACK; WatchTransactions reports when it is held.
   */
  SubmitTransaction: grpc.handleUnaryCall<_poh_v1_SubmitTransactionRequest__Output, _poh_v1_SubmitTransactionResponse>;
  
  /**
   * Streams transaction events as the node sees them, until the client
   * cancels. The server sends its response headers once the stream is
   * registered, so events after that point are never missed. Events of one
   * transaction come in the order the node handles them: a holder counts its
   * own ACK, and may reach held, before it reports the request.
   */
  WatchTransactions: grpc.handleServerStreamingCall<_poh_v1_WatchTransactionsRequest__Output, _poh_v1_TransactionEvent>;
  
}

export interface PohNodeDefinition extends grpc.ServiceDefinition {
  GetCertificate: MethodDefinition<_poh_v1_GetCertificateRequest, _poh_v1_Certificate, _poh_v1_GetCertificateRequest__Output, _poh_v1_Certificate__Output>
  GetStatus: MethodDefinition<_poh_v1_GetStatusRequest, _poh_v1_NodeStatus, _poh_v1_GetStatusRequest__Output, _poh_v1_NodeStatus__Output>
  GetTransaction: MethodDefinition<_poh_v1_GetTransactionRequest, _poh_v1_Transaction, _poh_v1_GetTransactionRequest__Output, _poh_v1_Transaction__Output>
  ListPeers: MethodDefinition<_poh_v1_ListPeersRequest, _poh_v1_ListPeersResponse, _poh_v1_ListPeersRequest__Output, _poh_v1_ListPeersResponse__Output>
  QueryRange: MethodDefinition<_poh_v1_QueryRangeRequest, _poh_v1_QueryRangeResponse, _poh_v1_QueryRangeRequest__Output, _poh_v1_QueryRangeResponse__Output>
  SubmitTransaction: MethodDefinition<_poh_v1_SubmitTransactionRequest, _poh_v1_SubmitTransactionResponse, _poh_v1_SubmitTransactionRequest__Output, _poh_v1_SubmitTransactionResponse__Output>
  WatchTransactions: MethodDefinition<_poh_v1_WatchTransactionsRequest, _poh_v1_TransactionEvent, _poh_v1_WatchTransactionsRequest__Output, _poh_v1_TransactionEvent__Output>
}
