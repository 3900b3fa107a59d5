// Runs graphql-http's GraphQL-over-HTTP server audits against the steward at GRAPHQL_URL and
// prints every result that is not ok, then the count. Exits non-zero unless every audit is ok.
import { auditServer } from 'graphql-http';

const url = process.env.GRAPHQL_URL;
if (!url) {
  console.error('GRAPHQL_URL is not set');
  process.exit(2);
}
const results = await auditServer({ url });
const counts = {};
for (const r of results) {
  counts[r.status] = (counts[r.status] || 0) + 1;
  if (r.status !== 'ok') {
    const body = r.response ? await r.response.text().catch(() => '') : '';
    console.log(`${r.status.toUpperCase()} ${r.id}: ${r.name}\n  ${r.reason}\n  ${body.slice(0, 300)}`);
  }
}
const ok = counts.ok || 0;
console.log(`graphql-http audits: ${ok} of ${results.length} ok` +
  Object.entries(counts).filter(([s]) => s !== 'ok').map(([s, n]) => `, ${n} ${s}`).join(''));
process.exit(ok === results.length ? 0 : 1);
