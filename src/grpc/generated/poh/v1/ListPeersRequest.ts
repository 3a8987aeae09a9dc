// Original file: src/core/proto/poh_service.proto


export interface ListPeersRequest {
}

export interface ListPeersRequest__Output {
}
