export { type FakeEventHubs, startFakeEventHubs } from '../support/fake-event-hubs.ts';
export { freePort } from '../support/free-port.ts';
export { type KinesisEmulator, startKinesisEmulator } from '../support/kinesis-emulator.ts';
export { findPubSubEmulator, type PubSubEmulator, startPubSubEmulator } from '../support/pubsub-emulator.ts';
export { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
export { eventStreamContract, type OpenedStream } from './event-stream.contract.ts';
