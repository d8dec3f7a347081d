// Benchmark reader for the Spark Connect fixture: @grpc/grpc-js over h2c, the fixture's .proto loaded with
// @grpc/proto-loader, every ArrowBatch.data decoded with apache-arrow's tableFromIPC and its first column summed
// (every value read). Reads the query --runs times and prints the last run's {"rows", "elapsedMs", "sum"}.
// usage: node spark-bench-read.mjs --server http://127.0.0.1:PORT --sql "..." [--runs 2]
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { tableFromIPC } from 'apache-arrow';
import { parseArgs } from './args.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const opts = parseArgs(process.argv.slice(2));
const loaderOptions = { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true, bytes: Buffer };
const spark = grpc.loadPackageDefinition(protoLoader.loadSync(
  path.resolve(here, '../Fixtures/Spark/Connect/Protos/spark_connect_fixture.proto'), loaderOptions)).spark.connect;
const client = new spark.SparkConnectService(new URL(opts.server).host, grpc.credentials.createInsecure(),
  { 'grpc.max_receive_message_length': 128 * 1024 * 1024 });
const sessionId = randomUUID();

function readOnce() {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let rows = 0;
    let sum = 0n;
    const call = client.ExecutePlan({ session_id: sessionId, user_context: { user_id: 'bench' }, plan: { root: { sql: { query: opts.sql } } } });
    call.on('data', (response) => {
      if (response.response_type !== 'arrow_batch') return;
      const table = tableFromIPC(response.arrow_batch.data);
      rows += table.numRows;
      const column = table.getChildAt(0);
      for (const value of column) sum += BigInt(value ?? 0);
    });
    call.on('error', reject);
    call.on('end', () => resolve({ rows, elapsedMs: Number(process.hrtime.bigint() - started) / 1e6, sum: String(sum) }));
  });
}

let result;
try {
  for (let i = 0; i < Number(opts.runs ?? 2); i++) result = await readOnce();
  process.stdout.write(JSON.stringify(result) + '\n');
} catch (e) {
  process.stdout.write(JSON.stringify({ error: String(e.message ?? e) }) + '\n');
}
client.close();
