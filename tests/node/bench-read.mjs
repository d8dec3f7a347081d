// Reads a query through trino-client as fast as it goes and prints {rows, elapsedMs} on stdout
// (elapsed from the POST to the last page). Rows are counted, not kept.
// usage: node bench-read.mjs --server URL --user u [--catalog c --schema s] --sql "..."
import trinoClient from 'trino-client';
import { parseArgs } from './args.mjs';

const opts = parseArgs(process.argv.slice(2));
const trino = trinoClient.Trino.create({
  server: new URL(opts.server).origin,
  catalog: opts.catalog,
  schema: opts.schema,
  source: 'bench-read',
  extraHeaders: { 'X-Trino-User': opts.user ?? 'bench' },
});
const started = process.hrtime.bigint();
let rows = 0;
let error;
for await (const page of await trino.query(opts.sql)) {
  rows += page.data?.length ?? 0;
  if (page.error) error = page.error.message;
}
const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify({ rows, elapsedMs, ...(error ? { error } : {}) }) + '\n');
