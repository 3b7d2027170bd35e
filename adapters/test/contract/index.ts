export { type Azurite, startAzurite } from '../support/azurite.ts';
export { type FakeAnswer, type FakeBigQuery, type RecordedQuery, startFakeBigQuery } from '../support/fake-bigquery.ts';
export { type FakeEventHubs, startFakeEventHubs } from '../support/fake-event-hubs.ts';
export {
  FAKE_GCS_SERVER_INSTALL,
  type FakeGcsServer,
  findFakeGcsServer,
  startFakeGcsServer,
} from '../support/fake-gcs-server.ts';
export { type FakeRedshiftData, startFakeRedshiftData } from '../support/fake-redshift-data.ts';
export {
  type FakeTdsServer,
  openSynapseOn,
  startFakeTdsServer,
  type TdsAnswer,
  type TdsCall,
} from '../support/fake-tds-server.ts';
export { freePort } from '../support/free-port.ts';
export { type KinesisEmulator, startKinesisEmulator } from '../support/kinesis-emulator.ts';
export { LAKE_EMULATORS, type LakeEmulator } from '../support/lake-emulators.ts';
export { type MotoServer, motoServerInstalled, startMotoServer } from '../support/moto-server.ts';
export { postgresAsRedshift } from '../support/postgres-as-redshift.ts';
export { findPubSubEmulator, type PubSubEmulator, startPubSubEmulator } from '../support/pubsub-emulator.ts';
export { type ScratchPostgres, startScratchPostgres } from '../support/scratch-postgres.ts';
export { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
export { eventStreamContract, type OpenedStream } from './event-stream.contract.ts';
