import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * BENCH_PROFILE=<file.cpuprofile>: a CPU profile of the measured phase only (not the
 * set-up), to open in Chrome DevTools. BENCH_HEAP_PROFILE=<file.heapprofile>: where that
 * phase allocates, collected objects included (what drives the GC and the heap's peak).
 * Returns the function that stops and saves them.
 */
export async function profileIfAsked(): Promise<() => Promise<void>> {
  const cpuFile = process.env.BENCH_PROFILE;
  const heapFile = process.env.BENCH_HEAP_PROFILE;
  if (!cpuFile && !heapFile) return async () => undefined;
  const session = new Session();
  session.connect();
  if (cpuFile) {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  if (heapFile) {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 64 * 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  return async () => {
    if (cpuFile) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(cpuFile, JSON.stringify(profile));
      console.log(`CPU profile of the pipeline run: ${cpuFile}`);
    }
    if (heapFile) {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      await writeFile(heapFile, JSON.stringify(profile));
      console.log(`allocation profile of the pipeline run: ${heapFile}`);
    }
    session.disconnect();
  };
}
