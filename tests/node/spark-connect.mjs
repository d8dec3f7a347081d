// An independent Spark Connect client for cross-checking the fixture of tests/Fixtures/Spark/Connect: @grpc/grpc-js
// over h2c (or TLS with --ca), messages from the fixture's .proto loaded with @grpc/proto-loader, every
// ArrowBatch.data decoded with apache-arrow's tableFromIPC. Prints one JSON object per line:
//   {"kind":"schema","fields":[...]}              the DataType of the schema response, as proto JSON
// (every response line also carries sessionId, serverSideSessionId, operationId and responseId)
//   {"kind":"batch","rowCount":n,"startOffset":o,"decodedRows":m,"fields":[{name,type,nullable}],"rows":[[...]]}
//   {"kind":"progress"|"metrics"|"result_complete"|"sql_command_result", ...}
//   {"kind":"reattach","lastResponseId":...}      (--reattachable: after a stream broke or ended without result_complete)
//   {"kind":"interrupt","interruptedIds":[...]}   (--interrupt-after n: Interrupt(OPERATION_ID) after n responses)
//   {"kind":"end"} or {"kind":"error","code":13,"message":...,"reason":...,"domain":...,"metadata":{errorClass,sqlState,...}}
// Cell values: integers up to 32 bits, floats, booleans and strings as JSON; 64-bit integers, timestamps (µs since the
// epoch) and durations (µs) as decimal strings; decimals as their exact decimal text; dates as days since the epoch;
// binary as hex; lists as arrays, structs as objects, maps as [key, value] pairs.
// usage: node spark-connect.mjs --server http://127.0.0.1:PORT [--ca cert.pem] [--token t] [--session uuid]
//          [--user u] [--operation uuid] [--tag t] [--reattachable] [--interrupt-after n] [--summary]
//          [--args '{"name": {"integer": 1}}'] [--pos-args '[{"string": "x"}]'] [--command] --sql "..."
//        or, instead of --sql, --catalog '{"list_tables": {"db_name": "sales"}}' (a Catalog relation in proto JSON as Plan.root)
// --args/--pos-args are Spark Connect Expression.Literal objects in proto JSON; --command sends Plan.command.sql_command.
// --summary leaves rows out of batch lines (for large results) and adds firstColumnSum over int64 values.
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { tableFromIPC, makeVector, Type } from 'apache-arrow';
import { parseArgs } from './args.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const opts = parseArgs(process.argv.slice(2));
for (const required of ['server', opts.catalog ? 'catalog' : 'sql']) {
  if (!opts[required]) { console.error(`missing --${required}`); process.exit(2); }
}
const loaderOptions = { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true, bytes: Buffer };
const spark = grpc.loadPackageDefinition(protoLoader.loadSync(
  path.resolve(here, '../Fixtures/Spark/Connect/Protos/spark_connect_fixture.proto'), loaderOptions)).spark.connect;
const rpc = protoLoader.loadSync(path.resolve(here, 'protos/google_rpc_min.proto'), loaderOptions)['google.rpc.Codec'];

const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const server = new URL(opts.server);
const credentials = server.protocol === 'https:'
  ? grpc.credentials.createSsl(opts.ca ? fs.readFileSync(opts.ca) : undefined) : grpc.credentials.createInsecure();
const client = new spark.SparkConnectService(server.host, credentials, { 'grpc.max_receive_message_length': 128 * 1024 * 1024 });
const metadata = () => {
  const m = new grpc.Metadata();
  if (opts.token) m.set('authorization', `Bearer ${opts.token}`);
  return m;
};
const sessionId = opts.session ?? randomUUID();
const userContext = { user_id: opts.user ?? 'node' };

function plan() {
  if (opts.catalog) return { root: { catalog: JSON.parse(opts.catalog) } };
  const sql = { query: opts.sql };
  if (opts.args) sql.named_arguments = Object.fromEntries(Object.entries(JSON.parse(opts.args)).map(([k, v]) => [k, { literal: v }]));
  if (opts['pos-args']) sql.pos_arguments = JSON.parse(opts['pos-args']).map((v) => ({ literal: v }));
  return opts.command ? { command: { sql_command: { input: { sql } } } } : { root: { sql } };
}

// ---- Arrow cells

function bigFromWords(words) {
  let v = 0n;
  for (let k = words.length - 1; k >= 0; k--) v = (v << 32n) | BigInt(words[k]);
  return BigInt.asIntN(words.length * 32, v);
}

function decimalText(unscaled, scale) {
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  if (scale > 0) digits = digits.slice(0, -scale) + '.' + digits.slice(-scale);
  return (negative ? '-' : '') + digits;
}

function cell(vec, i) {
  if (!vec.isValid(i)) return null;
  const d = vec.data[0];
  const at = d.offset + i;
  switch (vec.type.typeId) {
    case Type.Int:
      return vec.type.bitWidth === 64 ? String(d.values[at]) : Number(d.values[at]);
    case Type.Timestamp:
    case Type.Duration:
      return String(d.values[at]);
    case Type.Date:
      return Number(d.values[at]);
    case Type.Decimal:
      return decimalText(bigFromWords(d.values.subarray(at * 4, at * 4 + 4)), vec.type.scale);
    case Type.Binary:
      return Buffer.from(vec.get(i)).toString('hex');
    case Type.List: {
      const child = makeVector(d.children[0]);
      const items = [];
      for (let k = d.valueOffsets[at]; k < d.valueOffsets[at + 1]; k++) items.push(cell(child, k));
      return items;
    }
    case Type.Map: {
      const entries = makeVector(d.children[0]);
      const keys = makeVector(entries.data[0].children[0]);
      const values = makeVector(entries.data[0].children[1]);
      const pairs = [];
      for (let k = d.valueOffsets[at]; k < d.valueOffsets[at + 1]; k++) pairs.push([cell(keys, k), cell(values, k)]);
      return pairs;
    }
    case Type.Struct:
      return Object.fromEntries(vec.type.children.map((f, k) => [f.name, cell(makeVector(d.children[k]), at)]));
    default:
      return vec.get(i);
  }
}

let sum = 0n;
function batchLine(b) {
  const table = tableFromIPC(b.data);
  const line = {
    kind: 'batch', rowCount: Number(b.row_count ?? 0), startOffset: b.start_offset === undefined ? null : Number(b.start_offset),
    decodedRows: table.numRows, batches: table.batches.length,
    fields: table.schema.fields.map((f) => ({ name: f.name, type: String(f.type), nullable: f.nullable })),
  };
  const columns = table.schema.fields.map((_, k) => table.getChildAt(k));
  if (opts.summary) {
    if (columns.length > 0 && columns[0].type.typeId === Type.Int && columns[0].type.bitWidth === 64) {
      for (let r = 0; r < table.numRows; r++) if (columns[0].isValid(r)) sum += BigInt(cell(columns[0], r));
    }
  } else {
    line.rows = Array.from({ length: table.numRows }, (_, r) => columns.map((c) => cell(c, r)));
  }
  return line;
}

// ---- responses and errors

function describe(response) {
  const ids = { sessionId: response.session_id, serverSideSessionId: response.server_side_session_id,
    operationId: response.operation_id, responseId: response.response_id };
  if (response.schema) out({ kind: 'schema', fields: response.schema.struct?.fields ?? [], ...ids });
  switch (response.response_type) {
    case 'arrow_batch': out({ ...batchLine(response.arrow_batch), ...ids }); break;
    case 'result_complete': out({ kind: 'result_complete', ...ids }); break;
    case 'execution_progress': out({ kind: 'progress', progress: response.execution_progress, ...ids }); break;
    case 'sql_command_result': out({ kind: 'sql_command_result', relation: commandRelation(response.sql_command_result.relation), ...ids }); break;
    default: if (response.metrics) out({ kind: 'metrics', metrics: response.metrics, ...ids });
  }
}

// A SqlCommandResult's relation: a SQL relation as sent back, a local relation's Arrow data decoded like a batch.
function commandRelation(relation) {
  if (relation.rel_type !== 'local_relation') return relation;
  const { kind, ...decoded } = batchLine({ data: relation.local_relation.data });
  return { local_relation: decoded };
}

function errorLine(e) {
  const line = { kind: 'error', code: e.code, codeName: grpc.status[e.code], message: e.details };
  const bin = e.metadata?.get('grpc-status-details-bin')?.[0];
  if (bin) {
    const status = rpc.Status.requestDeserialize(bin);
    for (const any of status.details ?? []) {
      if (!String(any.type_url).endsWith('google.rpc.ErrorInfo')) continue;
      const info = rpc.ErrorInfo.requestDeserialize(any.value);
      Object.assign(line, { reason: info.reason, domain: info.domain, metadata: info.metadata ?? {} });
    }
  }
  return line;
}

function readStream(call, onResponse) {
  return new Promise((resolve) => {
    call.on('data', onResponse);
    call.on('error', (e) => resolve({ error: e }));
    call.on('end', () => resolve({}));
  });
}

async function main() {
  const operationId = opts.operation ?? randomUUID();
  const request = {
    session_id: sessionId, user_context: userContext, operation_id: operationId, plan: plan(), client_type: 'kernelgateway-node-crosscheck',
    tags: opts.tag ? [opts.tag] : [],
    request_options: opts.reattachable ? [{ reattach_options: { reattachable: true } }] : [],
  };
  let lastResponseId = null, complete = false, seen = 0;
  const onResponse = (r) => {
    seen++;
    lastResponseId = r.response_id;
    if (r.response_type === 'result_complete') complete = true;
    describe(r);
    if (opts['interrupt-after'] && seen === Number(opts['interrupt-after'])) interrupt(operationId);
  };
  let result = await readStream(client.ExecutePlan(request, metadata()), onResponse);
  while (opts.reattachable && !complete && (!result.error || result.error.code === grpc.status.UNAVAILABLE || result.error.code === grpc.status.INTERNAL && !result.error.metadata?.get('grpc-status-details-bin')?.length)) {
    out({ kind: 'reattach', lastResponseId, after: result.error ? grpc.status[result.error.code] : 'OK' });
    const reattach = { session_id: sessionId, user_context: userContext, operation_id: operationId };
    if (lastResponseId) reattach.last_response_id = lastResponseId;
    result = await readStream(client.ReattachExecute(reattach, metadata()), onResponse);
  }
  if (opts.reattachable && complete) {
    await new Promise((resolve, reject) => client.ReleaseExecute({ session_id: sessionId, user_context: userContext, operation_id: operationId, release_all: {} },
      metadata(), (e) => (e ? reject(e) : resolve())));
  }
  if (opts.summary) out({ kind: 'summary', firstColumnSum: sum.toString() });
  out(result.error ? errorLine(result.error) : { kind: 'end' });
  client.close();
}

function interrupt(operationId) {
  client.Interrupt({ session_id: sessionId, user_context: userContext, interrupt_type: 'INTERRUPT_TYPE_OPERATION_ID', operation_id: operationId },
    metadata(), (e, r) => out(e ? errorLine(e) : { kind: 'interrupt', interruptedIds: r.interrupted_ids ?? [] }));
}

main().catch((e) => { console.error(e); process.exit(1); });
