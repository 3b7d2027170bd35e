import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { openSynapseWarehouse } from '../../src/azure/synapse-warehouse.ts';
import type { Warehouse } from '../../src/ports/warehouse.ts';

/** A column of an answer, as the stand-in describes it in COLMETADATA. */
export interface TdsColumn {
  readonly name: string;
  readonly type: 'nvarchar' | 'bigint' | 'float' | 'bit';
}

export type TdsValue = string | number | boolean | null;

/** What a statement returns (or throw from `answer` to fail it with that message). */
export interface TdsAnswer {
  readonly columns: readonly TdsColumn[];
  readonly rows: readonly (readonly TdsValue[])[];
}

/** An sp_executesql call as it arrived: the statement, its declaration, its parameters (types as sent). */
export interface TdsCall {
  readonly sql: string;
  readonly declaration: string;
  readonly parameters: { name: string; type: 'nvarchar' | 'intn' | 'fltn' | 'bitn'; value: TdsValue }[];
}

export interface FakeTdsServer {
  readonly port: number;
  readonly calls: TdsCall[];
  /** SQL batches (statements sent without parameters outside sp_executesql: transactions), in order. */
  readonly batches: string[];
  /** Calls and batches together, in the order they arrived. */
  readonly statements: string[];
  /** User and database of each sign-in. */
  readonly logins: { user: string; database: string }[];
  close(): Promise<void>;
}

const PACKET = { SQL_BATCH: 0x01, RPC: 0x03, TABULAR: 0x04, LOGIN7: 0x10, PRELOGIN: 0x12 } as const;
const TOKEN = {
  COLMETADATA: 0x81,
  ROW: 0xd1,
  ERROR: 0xaa,
  LOGINACK: 0xad,
  RETURNSTATUS: 0x79,
  DONE: 0xfd,
  DONEPROC: 0xfe,
  DONEINPROC: 0xff,
} as const;
const SP_EXECUTESQL = 10;
const MAX_PACKET = 4096;
// Latin1_General_CI_AS, as SQL Server describes NVARCHAR columns.
const COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);

/**
 * A stand-in for SQL Server / Synapse that speaks TDS 7.4 (MS-TDS) as far as a client
 * reading the warehouse needs: PRELOGIN (no encryption offered), LOGIN7 answered with
 * LOGINACK, SQL batches recorded and answered DONE, and `sp_executesql` RPCs decoded (NVARCHAR, INTN,
 * FLTN and BITN parameters, PLP text included) and answered with COLMETADATA, ROW,
 * DONEINPROC, RETURNSTATUS and DONEPROC, or an ERROR token. No SQL runs here: `answer`
 * says what each call returns.
 */
export async function startFakeTdsServer(options: { answer: (call: TdsCall) => TdsAnswer }): Promise<FakeTdsServer> {
  const calls: TdsCall[] = [];
  const batches: string[] = [];
  const statements: string[] = [];
  const logins: { user: string; database: string }[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    let message: Buffer[] = [];
    socket.on('data', (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      while (pending.length >= 8 && pending.length >= pending.readUInt16BE(2)) {
        const length = pending.readUInt16BE(2);
        const [type, status] = [pending[0] as number, pending[1] as number];
        message.push(pending.subarray(8, length));
        pending = pending.subarray(length);
        if (status & 0x01) {
          const payload = Buffer.concat(message);
          message = [];
          reply(socket, type, payload);
        }
      }
    });
  });

  function reply(socket: Socket, type: number, payload: Buffer): void {
    const response = responseTo(type, payload);
    if (response) send(socket, response);
  }

  function responseTo(type: number, payload: Buffer): Buffer | null {
    if (type === PACKET.PRELOGIN) return preloginResponse();
    if (type === PACKET.LOGIN7) {
      logins.push(login7Fields(payload));
      return Buffer.concat([loginAck(), done(TOKEN.DONE, 0, 0)]);
    }
    if (type === PACKET.SQL_BATCH) {
      // ALL_HEADERS (its length first), then the batch's text in UTF-16.
      const text = payload.subarray(payload.readUInt32LE(0)).toString('utf16le');
      batches.push(text);
      statements.push(text);
      return done(TOKEN.DONE, 0, 0);
    }
    if (type !== PACKET.RPC) return null;
    let answer: TdsAnswer;
    try {
      const call = decodeExecuteSql(payload);
      calls.push(call);
      statements.push(call.sql);
      answer = options.answer(call);
    } catch (error) {
      return Buffer.concat([errorToken((error as Error).message), done(TOKEN.DONEPROC, 0x0002, 0)]);
    }
    return Buffer.concat([
      columnMetadata(answer.columns),
      ...answer.rows.map((row) => rowToken(answer.columns, row)),
      done(TOKEN.DONEINPROC, 0x0011, answer.rows.length),
      Buffer.from([TOKEN.RETURNSTATUS, 0, 0, 0, 0]),
      done(TOKEN.DONEPROC, 0, 0),
    ]);
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    calls,
    batches,
    statements,
    logins,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The message in tabular-result packets of at most 4 KB, the last one marked end of message. */
function send(socket: Socket, payload: Buffer): void {
  const size = MAX_PACKET - 8;
  for (let at = 0, id = 1; at < payload.length || at === 0; at += size, id++) {
    const chunk = payload.subarray(at, at + size);
    const header = Buffer.alloc(8);
    header.writeUInt8(PACKET.TABULAR, 0);
    header.writeUInt8(at + size >= payload.length ? 0x01 : 0x00, 1);
    header.writeUInt16BE(chunk.length + 8, 2);
    header.writeUInt8(id % 256, 6);
    socket.write(Buffer.concat([header, chunk]));
    if (payload.length === 0) break;
  }
}

function preloginResponse(): Buffer {
  // Options: VERSION (6 bytes), ENCRYPTION (1: not supported), INSTOPT (1), THREADID (0), MARS (1).
  const options: [number, Buffer][] = [
    [0x00, Buffer.from([16, 0, 0x10, 0x00, 0, 0])],
    [0x01, Buffer.from([0x02])],
    [0x02, Buffer.from([0x00])],
    [0x03, Buffer.alloc(0)],
    [0x04, Buffer.from([0x00])],
  ];
  const headerLength = options.length * 5 + 1;
  const header = Buffer.alloc(headerLength);
  let offset = headerLength;
  options.forEach(([token, data], i) => {
    header.writeUInt8(token, i * 5);
    header.writeUInt16BE(offset, i * 5 + 1);
    header.writeUInt16BE(data.length, i * 5 + 3);
    offset += data.length;
  });
  header.writeUInt8(0xff, headerLength - 1);
  return Buffer.concat([header, ...options.map(([, data]) => data)]);
}

function login7Fields(payload: Buffer): { user: string; database: string } {
  const field = (at: number) => {
    const offset = payload.readUInt16LE(at);
    const chars = payload.readUInt16LE(at + 2);
    return payload.subarray(offset, offset + chars * 2).toString('ucs2');
  };
  return { user: field(40), database: field(68) };
}

function loginAck(): Buffer {
  const program = ucs2('Livora TDS stand-in');
  const body = Buffer.concat([
    Buffer.from([0x01]), // SQL_TSQL
    Buffer.from([0x74, 0x00, 0x00, 0x04]), // TDS 7.4
    Buffer.from([program.length / 2]),
    program,
    Buffer.from([16, 0, 0x10, 0x00]),
  ]);
  return Buffer.concat([Buffer.from([TOKEN.LOGINACK]), u16(body.length), body]);
}

function done(token: number, status: number, rows: number): Buffer {
  const buffer = Buffer.alloc(13);
  buffer.writeUInt8(token, 0);
  buffer.writeUInt16LE(status, 1);
  buffer.writeUInt16LE(token === TOKEN.DONEINPROC ? 0xc1 : 0, 3); // SELECT
  buffer.writeBigUInt64LE(BigInt(rows), 5);
  return buffer;
}

function errorToken(message: string): Buffer {
  const text = ucs2(message);
  const server = ucs2('stand-in');
  const body = Buffer.concat([
    i32(207), // Invalid column name, the kind of error a query meets
    Buffer.from([1, 16]), // state, class
    u16(text.length / 2),
    text,
    Buffer.from([server.length / 2]),
    server,
    Buffer.from([0]), // no procedure
    i32(1),
  ]);
  return Buffer.concat([Buffer.from([TOKEN.ERROR]), u16(body.length), body]);
}

function columnMetadata(columns: readonly TdsColumn[]): Buffer {
  const parts: Uint8Array[] = [Buffer.from([TOKEN.COLMETADATA]), u16(columns.length)];
  for (const column of columns) {
    const name = ucs2(column.name);
    parts.push(
      Buffer.alloc(4), // user type
      u16(0x0001), // nullable
      column.type === 'nvarchar'
        ? Buffer.concat([Buffer.from([0xe7]), u16(8000), COLLATION])
        : column.type === 'bigint'
          ? Buffer.from([0x26, 8])
          : column.type === 'float'
            ? Buffer.from([0x6d, 8])
            : Buffer.from([0x68, 1]),
      Buffer.from([name.length / 2]),
      name,
    );
  }
  return Buffer.concat(parts);
}

function rowToken(columns: readonly TdsColumn[], row: readonly TdsValue[]): Buffer {
  const parts: Uint8Array[] = [Buffer.from([TOKEN.ROW])];
  columns.forEach((column, i) => {
    const value = row[i] ?? null;
    if (column.type === 'nvarchar') {
      if (value === null) parts.push(u16(0xffff));
      else {
        const text = ucs2(String(value));
        parts.push(u16(text.length), text);
      }
      return;
    }
    if (value === null) {
      parts.push(Buffer.from([0]));
      return;
    }
    if (column.type === 'bigint') {
      const buffer = Buffer.alloc(9);
      buffer.writeUInt8(8, 0);
      buffer.writeBigInt64LE(BigInt(value as number | string), 1);
      parts.push(buffer);
    } else if (column.type === 'float') {
      const buffer = Buffer.alloc(9);
      buffer.writeUInt8(8, 0);
      buffer.writeDoubleLE(Number(value), 1);
      parts.push(buffer);
    } else parts.push(Buffer.from([1, value ? 1 : 0]));
  });
  return Buffer.concat(parts);
}

/** The statement, declaration and parameters of an `sp_executesql` RPC (MS-TDS 2.2.6.6). */
function decodeExecuteSql(payload: Buffer): TdsCall {
  let at = payload.readUInt32LE(0); // ALL_HEADERS
  if (payload.readUInt16LE(at) !== 0xffff || payload.readUInt16LE(at + 2) !== SP_EXECUTESQL)
    throw new Error('the stand-in only runs sp_executesql');
  at += 6; // procedure id and option flags
  const values: TdsCall['parameters'] = [];
  while (at < payload.length) {
    const nameChars = payload.readUInt8(at);
    const name = payload.subarray(at + 1, at + 1 + nameChars * 2).toString('ucs2');
    at += 1 + nameChars * 2 + 1; // name, status flags
    const typeId = payload.readUInt8(at);
    at += 1;
    if (typeId === 0xe7) {
      const max = payload.readUInt16LE(at);
      at += 2 + 5;
      if (max === 0xffff) {
        const total = payload.readBigUInt64LE(at);
        at += 8;
        if (total === 0xffffffffffffffffn) values.push({ name, type: 'nvarchar', value: null });
        else {
          const chunks: Uint8Array[] = [];
          for (let length = payload.readUInt32LE(at); length > 0; length = payload.readUInt32LE(at)) {
            chunks.push(payload.subarray(at + 4, at + 4 + length));
            at += 4 + length;
          }
          at += 4;
          values.push({ name, type: 'nvarchar', value: Buffer.concat(chunks).toString('ucs2') });
        }
      } else {
        const length = payload.readUInt16LE(at);
        at += 2;
        if (length === 0xffff) values.push({ name, type: 'nvarchar', value: null });
        else {
          values.push({ name, type: 'nvarchar', value: payload.subarray(at, at + length).toString('ucs2') });
          at += length;
        }
      }
    } else if (typeId === 0x26 || typeId === 0x6d || typeId === 0x68) {
      const length = payload.readUInt8(at + 1); // after the type's maximum length
      at += 2;
      const type = typeId === 0x26 ? 'intn' : typeId === 0x6d ? 'fltn' : 'bitn';
      let value: TdsValue = null;
      if (length === 8 && type === 'intn') value = Number(payload.readBigInt64LE(at));
      else if (length === 4 && type === 'intn') value = payload.readInt32LE(at);
      else if (length === 8) value = payload.readDoubleLE(at);
      else if (length === 1) value = payload.readUInt8(at) === 1;
      values.push({ name, type, value });
      at += length;
    } else throw new Error(`the stand-in does not decode parameters of TDS type 0x${typeId.toString(16)}`);
  }
  const [statement, declaration, ...parameters] = values;
  return { sql: String(statement?.value ?? ''), declaration: String(declaration?.value ?? ''), parameters };
}

function ucs2(text: string): Buffer {
  return Buffer.from(text, 'ucs2');
}

function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16LE(value, 0);
  return buffer;
}

function i32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32LE(value, 0);
  return buffer;
}

/** The Synapse warehouse signed in to a stand-in (as the engine would to Synapse, minus TLS). */
export function openSynapseOn(server: FakeTdsServer, database = 'analytics'): Warehouse {
  return openSynapseWarehouse({
    server: '127.0.0.1',
    port: server.port,
    database,
    user: { name: 'livora', password: 'secret' },
    encrypt: false,
  });
}
