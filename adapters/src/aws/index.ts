export { type KinesisEventStreamOptions, openKinesisEventStream } from './kinesis-event-stream.ts';
