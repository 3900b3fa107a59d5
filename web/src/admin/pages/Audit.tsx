// The audit log: newest first with filters, a live tail (auditLogAdded over graphql-ws) that puts
// new entries on top without reloading, and a check of the hash chain.
import { useState } from 'react';
import { useClient, useQuery, useSubscription, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { ConsoleAuditTailSubscription } from '../../gql/graphql';
import { ErrorMessage } from '../errors';

const AuditQuery = graphql(`
  query ConsoleAudit($first: Int, $after: Cursor, $where: AuditLogWhere) {
    auditLogs(first: $first, after: $after, where: $where) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id seq createdAt action entityType entityID description actor { email } } }
    }
  }
`);

const Tail = graphql(`
  subscription ConsoleAuditTail {
    auditLogAdded { id seq createdAt action entityType entityID description actor { email } }
  }
`);

const Verify = graphql(`
  query ConsoleVerifyAudit {
    verifyAuditChain { intact checked reason firstBroken { seq } }
  }
`);

type Entry = ConsoleAuditTailSubscription['auditLogAdded'];

export function Audit() {
  const [entityType, setEntityType] = useState('');
  const [live, setLive] = useState(true);
  const [cursors, setCursors] = useState<(string | null)[]>([]);
  const after = cursors.length ? cursors[cursors.length - 1] : null;
  const where = entityType ? { entityType } : null;
  const [result] = useQuery({ query: AuditQuery, variables: { first: 50, after, where }, requestPolicy: 'network-only' });
  // Entries the tail delivered since the list was loaded, newest first.
  const [tail] = useSubscription<ConsoleAuditTailSubscription, Entry[]>({ query: Tail, pause: !live || cursors.length > 0 }, (prev = [], data) =>
    [data.auditLogAdded, ...prev].slice(0, 200),
  );
  const loaded = result.data?.auditLogs.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const seen = new Set(loaded.map((e) => e.id));
  const fresh = (tail.data ?? []).filter((e) => !seen.has(e.id) && (!entityType || e.entityType === entityType));
  const entries = [...fresh, ...loaded];

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <div className="toolbar">
        <label>
          Entity type
          <input value={entityType} placeholder="user, group, plan…" onChange={(e) => { setEntityType(e.target.value.trim()); setCursors([]); }} />
        </label>
        <label className="check">
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Live tail
        </label>
        <VerifyChain />
      </div>
      <ErrorMessage error={result.error ?? tail.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr><th>#</th><th>When</th><th>Action</th><th>Entity</th><th>By</th><th>Description</th></tr>
          </thead>
          <tbody aria-live="polite">
            {entries.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td>{e.seq}</td>
                <td><time dateTime={e.createdAt}>{new Date(e.createdAt).toLocaleString()}</time></td>
                <td>{e.action}</td>
                <td>{e.entityType}{e.entityID ? ` ${e.entityID.slice(0, 8)}` : ''}</td>
                <td>{e.actor?.email ?? 'system'}</td>
                <td>{e.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="pager">
        <button disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>Newer</button>
        <button disabled={!result.data?.auditLogs.pageInfo.hasNextPage}
          onClick={() => setCursors([...cursors, result.data?.auditLogs.pageInfo.endCursor ?? null])}>Older</button>
      </div>
    </section>
  );
}

function VerifyChain() {
  const client = useClient();
  const [state, setState] = useState<{ text?: string; ok?: boolean; error?: CombinedError; busy?: boolean }>({});
  async function verify() {
    setState({ busy: true });
    const res = await client.query(Verify, {}, { requestPolicy: 'network-only' }).toPromise();
    const v = res.data?.verifyAuditChain;
    setState({
      error: res.error,
      ok: v?.intact,
      text: v ? (v.intact ? `Chain intact: ${v.checked} entries checked.` : `Chain broken at #${v.firstBroken?.seq ?? '?'}: ${v.reason ?? ''}`) : undefined,
    });
  }
  return (
    <span className="verify">
      <button onClick={verify} disabled={state.busy}>Verify chain</button>
      {state.text && <output className={state.ok ? 'ok' : 'bad'}>{state.text}</output>}
      <ErrorMessage error={state.error} />
    </span>
  );
}
