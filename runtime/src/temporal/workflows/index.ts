// Every workflow the worker runs; bundled for Temporal's deterministic sandbox.
export { crmProfileSync } from './crm-profile-sync.ts';
export { eventLogRetention } from './event-log-retention.ts';
export { pipelineMaintenance } from './pipeline-maintenance.ts';
export { warehouseLoad } from './warehouse-load.ts';
