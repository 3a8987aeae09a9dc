export { checkApiConfig } from './auth.js'
export { ApiError } from './errors.js'
export { openApiDocument } from './openapi.js'
export { buildApiServer, startApiServer, type ApiServer, type ApiServerInit, type RouteInfo } from './server.js'
