import type { AddressInfo } from 'node:net';
import rhea, { type Connection, type Message, type Sender } from 'rhea';

export interface FakeEventHubs {
  /** A connection string for the SDK: plain AMQP on 127.0.0.1 (the SDK's development-emulator mode). */
  readonly connectionString: string;
  /** What arrived on each partition, for tests that look at the wire. */
  readonly partitions: ReadonlyMap<string, readonly StoredEvent[]>;
  /** Every management and CBS request, by operation and type. */
  readonly requests: readonly { node: string; operation: string; type: string; partition?: string }[];
  stop(): Promise<void>;
}

interface StoredEvent {
  readonly sequenceNumber: number;
  readonly enqueuedAt: Date;
  /** As the sender encoded it (rhea's decoder types a message without its body). */
  readonly message: Partial<Message>;
}

/**
 * A stand-in Event Hubs namespace speaking the AMQP 1.0 of Microsoft's documentation, with
 * rhea: $cbs put-token (always granted), the $management node's READ of
 * `com.microsoft:eventhub` and `com.microsoft:partition`, batched sends to
 * `<hub>/Partitions/<id>`, and receivers on `<hub>/ConsumerGroups/<group>/Partitions/<id>`
 * starting after the `x-opt-sequence-number` or `x-opt-offset` of their selector filter.
 * Offsets here are the sequence numbers as text.
 */
export async function startFakeEventHubs(hub: string, partitionCount: number): Promise<FakeEventHubs> {
  const partitions = new Map<string, StoredEvent[]>(
    Array.from({ length: partitionCount }, (_, i) => [String(i), [] as StoredEvent[]]),
  );
  const requests: { node: string; operation: string; type: string; partition?: string }[] = [];
  const readers = new Map<string, Set<{ sender: Sender; next: number }>>();
  const replyLinks = new Map<string, Sender>();
  const createdAt = new Date();
  const container = rhea.create_container({ id: 'fake-event-hubs' });
  container.sasl_server_mechanisms.enable_anonymous();

  function answer(connection: Connection, node: string, request: Message, status: number, body: unknown): void {
    const reply = replyLinks.get(`${connection.container_id}/${node}`);
    reply?.send({
      correlation_id: request.message_id,
      application_properties: { 'status-code': status, statusCode: status, 'status-description': 'OK' },
      body,
    });
  }

  function partitionProperties(partition: string) {
    const events = partitions.get(partition) ?? [];
    const last = events.at(-1);
    return {
      name: hub,
      partition,
      begin_sequence_number: 0,
      last_enqueued_sequence_number: last?.sequenceNumber ?? -1,
      last_enqueued_offset: String(last?.sequenceNumber ?? -1),
      last_enqueued_time_utc: (last?.enqueuedAt ?? createdAt).getTime(),
      is_partition_empty: events.length === 0,
    };
  }

  function pump(partition: string): void {
    const events = partitions.get(partition) ?? [];
    for (const reader of readers.get(partition) ?? []) {
      while (reader.next < events.length && reader.sender.sendable()) {
        const stored = events[reader.next++] as StoredEvent;
        reader.sender.send({
          ...stored.message,
          message_annotations: {
            ...(stored.message.message_annotations ?? {}),
            'x-opt-sequence-number': stored.sequenceNumber,
            'x-opt-offset': String(stored.sequenceNumber),
            'x-opt-enqueued-time': stored.enqueuedAt,
          },
        } as Message);
      }
    }
  }

  container.on('sender_open', (context) => {
    const sender = context.sender as Sender;
    const address = sender.source?.address ?? '';
    const reader = address.match(/\/ConsumerGroups\/[^/]+\/Partitions\/([^/]+)$/);
    if (!reader) {
      // The reply link of a request/response node ($cbs, $management): one per node and connection.
      replyLinks.set(`${context.connection.container_id}/${address}`, sender);
      sender.set_source({ address });
      return;
    }
    const partition = reader[1] as string;
    const filter = String(
      (sender.source as { filter?: Record<string, { value?: unknown }> }).filter?.['apache.org:selector-filter:string']
        ?.value ?? '',
    );
    const start = filter.match(/x-opt-(?:sequence-number|offset) (>=?) '(-?\d+)'/);
    const after = start ? Number(start[2]) - (start[1] === '>=' ? 1 : 0) : -1;
    const entry = { sender, next: after + 1 };
    sender.set_source(sender.source);
    const set = readers.get(partition) ?? new Set();
    set.add(entry);
    readers.set(partition, set);
    sender.on('sendable', () => pump(partition));
    sender.on('sender_close', () => set.delete(entry));
  });

  container.on('receiver_open', (context) => {
    const receiver = context.receiver;
    receiver?.set_target(receiver.target);
  });

  container.on('message', (context) => {
    const address = context.receiver?.target?.address ?? '';
    const request = context.message as Message;
    if (address === '$cbs' || address === '$management') {
      const props = (request.application_properties ?? {}) as Record<string, string>;
      requests.push({
        node: address,
        operation: props.operation ?? '',
        type: props.type ?? '',
        ...(props.partition === undefined ? {} : { partition: props.partition }),
      });
      if (address === '$cbs') return answer(context.connection, address, request, 202, undefined);
      if (props.type === 'com.microsoft:eventhub') {
        return answer(context.connection, address, request, 200, {
          name: hub,
          created_at: createdAt,
          partition_count: partitionCount,
          partition_ids: [...partitions.keys()],
        });
      }
      return answer(context.connection, address, request, 200, partitionProperties(props.partition ?? ''));
    }
    const partition = address.match(/\/Partitions\/([^/]+)$/)?.[1];
    const stored = partition === undefined ? undefined : partitions.get(partition);
    if (!stored) {
      context.delivery?.reject({ condition: 'amqp:not-found', description: `no partition at ${address}` });
      return;
    }
    // A batch (message format 0x80013700) arrives undecoded: its data sections are the events, each an encoded message.
    const batch = Buffer.isBuffer(context.message) ? rhea.message.decode(context.message).body : null;
    const events = batch
      ? ((batch as { multiple?: boolean }).multiple ? batch.content : [batch.content]).map((encoded: Buffer) =>
          rhea.message.decode(encoded),
        )
      : [request];
    for (const message of events) stored.push({ sequenceNumber: stored.length, enqueuedAt: new Date(), message });
    context.delivery?.accept();
    pump(partition as string);
  });

  // A client settling deliveries of a receiver it just closed breaks rhea's strict channel
  // check; the service shrugs that off, so the stand-in drops that connection quietly.
  container.on('disconnected', () => undefined);

  const server = container.listen({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    connectionString: `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=fake;SharedAccessKey=fake;UseDevelopmentEmulator=true`,
    partitions,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const set of readers.values()) for (const { sender } of set) sender.connection.close();
      }),
  };
}
