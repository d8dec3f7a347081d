// Reads one query through an independent client and prints JSON on stdout:
//   {columns:[{name,type}], rows:[[...]], rowCount, error?}
// usage: node read-rows.mjs --client trino|presto --server URL --user u [--catalog c --schema s]
//                            [--summary] [--ca cert.pem] --sql "..."
// --summary leaves rows out and adds firstColumnSum (exact, as a decimal string) for large results.
// trino-client speaks X-Trino-*; presto-client speaks X-Presto-* (its default engine), so point it at a
// Presto-dialect server.
import fs from 'node:fs';
import trinoClient from 'trino-client';
import prestoClient from 'presto-client';
import { parseArgs } from './args.mjs';

const opts = parseArgs(process.argv.slice(2));
for (const required of ['client', 'server', 'user', 'sql']) {
  if (!opts[required]) { console.error(`missing --${required}`); process.exit(2); }
}

const result = { columns: null, rows: [], rowCount: 0 };
let sum = 0n;
const addRows = (rows) => {
  for (const row of rows ?? []) {
    result.rowCount++;
    if (opts.summary) { if (row[0] !== null) sum += BigInt(row[0]); } else result.rows.push(row);
  }
};
const columnsOf = (cols) => (cols ?? []).map((c) => ({ name: c.name, type: c.type }));

async function readWithTrino() {
  const server = new URL(opts.server);
  const trino = trinoClient.Trino.create({
    server: server.origin,
    catalog: opts.catalog,
    schema: opts.schema,
    source: 'read-rows',
    ssl: opts.ca ? { ca: fs.readFileSync(opts.ca) } : undefined,
    extraHeaders: { 'X-Trino-User': opts.user },
  });
  const iter = await trino.query(opts.sql);
  for await (const page of iter) {
    if (page.columns && !result.columns) result.columns = columnsOf(page.columns);
    addRows(page.data);
    if (page.error) result.error = { message: page.error.message, errorName: page.error.errorName, errorCode: page.error.errorCode, errorLocation: page.error.errorLocation };
  }
}

function readWithPresto() {
  const server = new URL(opts.server);
  const client = new prestoClient.Client({
    host: server.hostname,
    port: Number(server.port),
    user: opts.user,
    catalog: opts.catalog,
    schema: opts.schema,
    source: 'read-rows',
    checkInterval: 1,
    timeout: 120,
  });
  return new Promise((resolve) => {
    client.execute({
      query: opts.sql,
      columns: (_err, cols) => { result.columns = columnsOf(cols); },
      data: (_err, rows, cols) => { if (!result.columns) result.columns = columnsOf(cols); addRows(rows); },
      success: () => resolve(),
      error: (err) => { result.error = { message: err?.message ?? String(err), errorName: err?.errorName, errorCode: err?.errorCode, errorLocation: err?.errorLocation }; resolve(); },
    });
  });
}

try {
  if (opts.client === 'trino') await readWithTrino();
  else if (opts.client === 'presto') await readWithPresto();
  else throw new Error(`unknown client ${opts.client}`);
} catch (e) {
  result.error = { message: e?.message ?? String(e) };
}
result.columns ??= [];
if (opts.summary) { delete result.rows; result.firstColumnSum = sum.toString(); }
process.stdout.write(JSON.stringify(result) + '\n');
