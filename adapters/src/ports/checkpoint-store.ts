/** Where consumer groups keep their per-partition positions (for streams that keep none). */
export interface CheckpointStore {
  get(stream: string, group: string, partition: string): Promise<string | null>;
  /** Stores `offset` unless a later one is already stored (a replayed commit never moves back). */
  commit(stream: string, group: string, partition: string, offset: string): Promise<void>;
}
