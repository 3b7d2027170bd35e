import path from 'node:path';
import { createDirectoryObjectStore, createDuckDbParquetEncoder } from '@livora/adapters/local';
import type { EventStream, ParquetFile } from '@livora/adapters/ports';
import type { StoredEvent } from '../../runtime/src/events/canonical-event.ts';
import { EVENT_COLUMNS, eventRow } from '../../runtime/src/pipeline/lake/event-columns.ts';

/**
 * The pipeline benchmark's baseline: the least any pipeline does with the log. Every
 * partition is read in batches, parsed, and written to Parquet files rolled at the same
 * size, with no step, no state and no checkpoint. Returns the seconds it took.
 */
export async function copyLogToParquet(options: {
  stream: EventStream;
  dir: string;
  batchSize: number;
  rollBytes: number;
  compression: 'zstd' | 'snappy';
}): Promise<number> {
  const { stream, batchSize, rollBytes, compression } = options;
  const encoder = await createDuckDbParquetEncoder({ stagingDir: path.join(options.dir, 'staging') });
  const store = createDirectoryObjectStore(options.dir);
  const started = performance.now();
  await Promise.all(
    (await stream.listPartitions()).map(async (partition) => {
      let after: string | null = null;
      let file = null as ParquetFile | null;
      let bytes = 0;
      let first = '';
      for (;;) {
        const records = await stream.read(partition, after, batchSize);
        if (records.length === 0) break;
        for (const record of records) {
          if (!file) {
            file = await encoder.start(EVENT_COLUMNS);
            first = record.offset;
          }
          const event = JSON.parse(record.payload) as StoredEvent;
          file.appendRow(eventRow({ partition, offset: record.offset, event, derived: {} }));
          bytes += record.payload.length;
        }
        after = records.at(-1)?.offset ?? after;
        if (file && bytes >= rollBytes) {
          await store.put(`events/part-${partition}-${first}-${after}.parquet`, await file.finish(compression));
          file = null;
          bytes = 0;
        }
      }
      if (file) await store.put(`events/part-${partition}-${first}-${after}.parquet`, await file.finish(compression));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await encoder.close();
  return seconds;
}
