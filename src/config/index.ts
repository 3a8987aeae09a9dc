export {
  ACK_BATCH_MAX_SIZE_LIMIT,
  CONFIG_KEYS,
  CONFIG_SECTIONS,
  FRAMING_RESERVE_BYTES,
  GOSSIP_FRAME_MAX_BYTES,
  HOLDER_ALGORITHMS,
  MAX_PAYLOAD_BYTES_LIMIT,
  OPEN_HOLDER_SET,
  REPAIR_MAX_IDS_LIMIT,
  TOP_LEVEL_KEYS,
  TTL_SECONDS_LIMIT,
  configSchema,
  parseListenAddress,
  type ConfigKey,
  type ConfigSection,
  type ConfigValueKind,
  type HolderAlgorithm,
  type HolderEntry,
  type ListenAddress,
  type PohConfig,
  type PohConfigInput
} from './schema.js'
export { defaultConfig, renderConfigToml } from './defaults.js'
export { NON_KEY_ENV_VARS, loadConfig, type ConfigSource, type LoadConfigOptions, type LoadedConfig } from './load.js'
