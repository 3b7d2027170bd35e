export { awsPlatform } from './aws/platform.ts';
export { azurePlatform } from './azure/platform.ts';
export { EVENT_HUB_PARTITIONS } from './azure/stream.ts';
export {
  assertClientName,
  CLOUDS,
  type Cloud,
  type Deployment,
  ENVIRONMENTS,
  type Environment,
  PATTERNS,
  type Pattern,
  PROFILES,
  type Profile,
} from './deployment.ts';
export { gcpPlatform } from './gcp/platform.ts';
export { gcpProject } from './gcp/provider.ts';
export { PUBSUB_PARTITIONS } from './gcp/stream.ts';
export { resourceName } from './names.ts';
export type * from './platform.ts';
export { LIVORA_ROLES } from './platform.ts';
export { deploymentLabels, deploymentTags } from './tags.ts';
