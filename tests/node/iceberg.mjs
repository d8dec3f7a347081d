// An independent Iceberg REST catalog client for cross-checking the fixture of tests/Fixtures/Iceberg: iceberg-js
// (IcebergRestCatalog) with a bearer token and a warehouse (resolved through GET /v1/config and its prefix). Walks the
// catalog and prints one JSON object per line:
//   {"kind":"namespace","namespace":[...],"properties":{...}}     every namespace, children through `parent`
//   {"kind":"table","namespace":[...],"name":...,"fields":[{id,name,required,type}],"snapshots":[{id,timestampMs,summary}],
//    "partitionFields":[{sourceId,transform}],"properties":{...},"location":...}
//   {"kind":"error","status":n,"message":...}                    a call failed (then the walk stops)
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

async function all(list) {
  const items = [];
  let pageToken;
  do {
    const page = await list(pageToken);
    items.push(...page.items);
    pageToken = page.next;
  } while (pageToken);
  return items;
}

async function walk(parent) {
  const namespaces = await all(async (pageToken) => {
    const r = await catalog.listNamespaces({ ...(parent ? { parent: { namespace: parent } } : {}), pageSize, pageToken });
    return { items: r.namespaces, next: r.nextPageToken };
  });
  for (const { namespace } of namespaces) {
    const meta = await catalog.loadNamespaceMetadata({ namespace });
    out({ kind: 'namespace', namespace, properties: meta.properties });
    const tables = await all(async (pageToken) => {
      const r = await catalog.listTables({ namespace }, { pageSize, pageToken });
      return { items: r.identifiers, next: r.nextPageToken };
    });
    for (const id of tables) {
      const m = await catalog.loadTable(id);
      const schema = (m.schemas ?? []).find((s) => s['schema-id'] === m['current-schema-id']);
      const spec = (m['partition-specs'] ?? []).find((s) => s['spec-id'] === m['default-spec-id']);
      out({
        kind: 'table', namespace: id.namespace, name: id.name,
        fields: schema.fields.map((f) => ({ id: f.id, name: f.name, required: f.required, type: f.type })),
        snapshots: (m.snapshots ?? []).map((s) => ({ id: String(s['snapshot-id']), timestampMs: s['timestamp-ms'], summary: s.summary })),
        partitionFields: (spec?.fields ?? []).map((f) => ({ sourceId: f['source-id'], transform: f.transform })),
        properties: m.properties ?? {}, location: m.location,
      });
    }
    await walk(namespace);
  }
}

try {
  await walk(undefined);
} catch (e) {
  out({ kind: 'error', status: e.status ?? null, message: String(e.message ?? e) });
}
