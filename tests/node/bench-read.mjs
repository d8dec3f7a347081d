// Reads a query through trino-client as fast as it goes, --runs times in one process (the first run warms the JIT
// like any other), and prints {rows, elapsedMs, runs: [{rows, elapsedMs}...]} on stdout, rows and elapsedMs being
// the last run's (elapsed from the POST to the last page). Rows are counted, not kept.
// usage: node bench-read.mjs --server URL --user u [--catalog c --schema s] [--runs N] --sql "..."
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
const runs = [];
let error;
for (let run = 0; run < Number(opts.runs ?? 1); run++) {
  const started = process.hrtime.bigint();
  let rows = 0;
  for await (const page of await trino.query(opts.sql)) {
    rows += page.data?.length ?? 0;
    if (page.error) error = page.error.message;
  }
  runs.push({ rows, elapsedMs: Number(process.hrtime.bigint() - started) / 1e6 });
}
const last = runs[runs.length - 1];
process.stdout.write(JSON.stringify({ rows: last.rows, elapsedMs: last.elapsedMs, runs, ...(error ? { error } : {}) }) + '\n');
