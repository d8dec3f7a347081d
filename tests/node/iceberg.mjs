// An independent Iceberg REST catalog client for cross-checking the fixture of tests/Fixtures/Iceberg: iceberg-js
// (IcebergRestCatalog) with a bearer token and a warehouse (its prefix resolved through GET /v1/config). Walks the
// catalog breadth first and prints one JSON object per line:
//   {"kind":"config","overrides":{...},"defaults":{...}}                    what GET /v1/config answered
//   {"kind":"namespace","namespace":[...],"properties":{...}}              every namespace, children through `parent`
//   {"kind":"table","namespace":[...],"name":...,"metadataLocation":...,"formatVersion":n,"location":...,
//    "fields":[{id,name,required,type,doc}],"partitionFields":[{sourceId,fieldId,name,transform}],"properties":{...},
//    "currentSnapshotId":"...","snapshots":[{id,timestampMs,summary}]}
//   {"kind":"error","status":n,"type":...,"message":...}                   a call failed (then the walk stops)
// Snapshot ids are printed as text from the number JSON.parse gave iceberg-js (a double: ids above 2^53 come out rounded).
// --page-size n lists in pages of n: an empty pageToken first, as the spec says a client asks for paging, then each
// next-page-token.
// usage: node iceberg.mjs --base http://127.0.0.1:PORT/catalog --warehouse lake [--token t] [--page-size n]
import { IcebergRestCatalog } from 'iceberg-js';
import { parseArgs } from './args.mjs';

const opts = parseArgs(process.argv.slice(2));
if (!opts.base) { console.error('missing --base'); process.exit(2); }
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const catalog = new IcebergRestCatalog({
  baseUrl: opts.base,
  warehouse: opts.warehouse,
  auth: opts.token ? { type: 'bearer', token: opts.token } : { type: 'none' },
});
const pageSize = opts['page-size'] ? Number(opts['page-size']) : undefined;

// Every item of a paged list: without --page-size one call (no pageToken: the server answers everything).
async function all(list) {
  const items = [];
  let pageToken = pageSize ? '' : undefined;
  do {
    const page = await list(pageToken);
    items.push(...page.items);
    pageToken = page.next;
  } while (pageToken);
  return items;
}

async function table(id) {
  const result = await catalog.loadTableResult(id, { snapshots: 'all' });
  const m = result.metadata;
  const schema = (m.schemas ?? []).find((s) => s['schema-id'] === m['current-schema-id']);
  const spec = (m['partition-specs'] ?? []).find((s) => s['spec-id'] === m['default-spec-id']);
  out({
    kind: 'table', namespace: id.namespace, name: id.name,
    metadataLocation: result['metadata-location'], formatVersion: m['format-version'], location: m.location,
    fields: schema.fields.map((f) => ({ id: f.id, name: f.name, required: f.required, type: f.type, doc: f.doc ?? null })),
    partitionFields: (spec?.fields ?? []).map((f) => ({ sourceId: f['source-id'], fieldId: f['field-id'], name: f.name, transform: f.transform })),
    properties: m.properties ?? {},
    currentSnapshotId: m['current-snapshot-id'] == null ? null : String(m['current-snapshot-id']),
    snapshots: (m.snapshots ?? []).map((s) => ({ id: String(s['snapshot-id']), timestampMs: s['timestamp-ms'], summary: s.summary })),
  });
}

async function walk() {
  const config = await catalog.loadConfig();
  out({ kind: 'config', overrides: config.overrides ?? {}, defaults: config.defaults ?? {} });
  let level = [undefined];
  while (level.length > 0) {
    const next = [];
    for (const parent of level) {
      const namespaces = await all(async (pageToken) => {
        const r = await catalog.listNamespaces({ ...(parent ? { parent: { namespace: parent } } : {}), pageSize, pageToken });
        return { items: r.namespaces, next: r.nextPageToken };
      });
      for (const { namespace } of namespaces) {
        const meta = await catalog.loadNamespaceMetadata({ namespace });
        out({ kind: 'namespace', namespace, properties: meta.properties ?? {} });
        const tables = await all(async (pageToken) => {
          const r = await catalog.listTables({ namespace }, { pageSize, pageToken });
          return { items: r.identifiers, next: r.nextPageToken };
        });
        for (const id of tables) await table(id);
        next.push(namespace);
      }
    }
    level = next;
  }
}

try {
  await walk();
} catch (e) {
  out({ kind: 'error', status: e.status ?? null, type: e.icebergType ?? null, message: String(e.message ?? e) });
}
