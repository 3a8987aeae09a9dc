export { libp2pMetrics } from './libp2p.js'
export { registerNodeGauges, type NodeGauges, type NodeGaugesOptions } from './node-gauges.js'
export { startMetricsServer, type MetricsServer, type MetricsServerInit } from './server.js'
