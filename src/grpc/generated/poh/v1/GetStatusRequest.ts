// Original file: src/core/proto/poh_service.proto


export interface GetStatusRequest {
}

export interface GetStatusRequest__Output {
}
