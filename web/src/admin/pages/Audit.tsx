// The audit log: newest first with filters (action, actor, entity, date range), a live tail
// (auditLogAdded over graphql-ws) that puts new entries matching the filters on top without
// reloading, and a check of the hash chain whose result says plainly whether it holds.
import { useState, type FormEvent } from 'react';
import { useClient, useQuery, useSubscription, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { AuditAction, AuditLogWhere, ConsoleAuditTailSubscription } from '../../gql/graphql';
import { ErrorMessage, FieldError } from '../errors';
import { Pager } from '../Pager';

const AuditQuery = graphql(`
  query ConsoleAudit($first: Int, $after: Cursor, $where: AuditLogWhere) {
    auditLogs(first: $first, after: $after, where: $where) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id seq createdAt action entityType entityID actorID description actor { email } } }
    }
  }
`);

const Tail = graphql(`
  subscription ConsoleAuditTail {
    auditLogAdded { id seq createdAt action entityType entityID actorID description actor { email } }
  }
`);

// The actions come from the schema itself, so a new one shows up without a console change.
const Actions = graphql(`
  query ConsoleAuditActions {
    __type(name: "AuditAction") { enumValues { name } }
  }
`);

const ActorByEmail = graphql(`
  query ConsoleAuditActor($email: String!) {
    userByEmail(email: $email) { id }
  }
`);

const Verify = graphql(`
  query ConsoleVerifyAudit {
    verifyAuditChain { intact checked reason firstBroken { seq action createdAt } }
  }
`);

type Entry = ConsoleAuditTailSubscription['auditLogAdded'];

// The entity types audit entries name (the entity's type name, matched exactly), offered as
// suggestions; the field takes any other too.
const entityTypes = ['User', 'Group', 'Plan', 'PlanSubscription', 'Transaction', 'Model', 'Config', 'APIKey', 'Session', 'Import'];

type Filters = { action: string; actor: string; entityType: string; entityId: string; from: string; to: string };
const noFilters: Filters = { action: '', actor: '', entityType: '', entityId: '', from: '', to: '' };

/** whereOf turns the filters (dates as YYYY-MM-DD, the last one included) into auditLogs' where. */
export function whereOf(f: Filters, actorId: string | null): AuditLogWhere | null {
  const w: AuditLogWhere = {};
  if (f.action) w.action = f.action as AuditAction;
  if (actorId) w.userId = actorId;
  if (f.entityType.trim()) w.entityType = f.entityType.trim();
  if (f.entityId.trim()) w.entityId = f.entityId.trim();
  if (f.from) w.createdAtGTE = new Date(`${f.from}T00:00:00Z`).toISOString();
  if (f.to) w.createdAtLT = new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86400000).toISOString();
  return Object.keys(w).length ? w : null;
}

/** countText is "1 entry", "3 entries", or with filters "1 entry matches", "3 entries match". */
export function countText(n: number, filtered: boolean): string {
  const noun = n === 1 ? 'entry' : 'entries';
  return filtered ? `${n} ${noun} ${n === 1 ? 'matches' : 'match'}` : `${n} ${noun}`;
}

/** matches says whether a live entry belongs in the filtered list. */
function matches(e: Entry, w: AuditLogWhere | null): boolean {
  if (!w) return true;
  return (!w.action || e.action === w.action) && (!w.userId || e.actorID === w.userId) &&
    (!w.entityType || e.entityType === w.entityType) && (!w.entityId || e.entityID === w.entityId) &&
    (!w.createdAtGTE || e.createdAt >= w.createdAtGTE) && (!w.createdAtLT || e.createdAt < w.createdAtLT);
}

export function Audit() {
  const client = useClient();
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [where, setWhere] = useState<AuditLogWhere | null>(null);
  const [actorError, setActorError] = useState('');
  const [dateError, setDateError] = useState('');
  const [lookupError, setLookupError] = useState<CombinedError | undefined>();
  const [live, setLive] = useState(true);
  const [cursors, setCursors] = useState<(string | null)[]>([]);
  const after = cursors.length ? cursors[cursors.length - 1] : null;
  const [actions] = useQuery({ query: Actions });
  const [result] = useQuery({ query: AuditQuery, variables: { first: 50, after, where }, requestPolicy: 'network-only' });
  // Entries the tail delivered since the list was loaded, newest first.
  const [tail] = useSubscription<ConsoleAuditTailSubscription, Entry[]>({ query: Tail, pause: !live || cursors.length > 0 }, (prev = [], data) =>
    [data.auditLogAdded, ...prev].slice(0, 200),
  );
  const loaded = result.data?.auditLogs.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const seen = new Set(loaded.map((e) => e.id));
  const fresh = (tail.data ?? []).filter((e) => !seen.has(e.id) && matches(e, where));
  const entries = [...fresh, ...loaded];
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });

  async function apply(e: FormEvent) {
    e.preventDefault();
    setActorError('');
    setLookupError(undefined);
    let actorId: string | null = null;
    if (draft.actor.trim()) {
      const found = await client.query(ActorByEmail, { email: draft.actor.trim() }, { requestPolicy: 'network-only' }).toPromise();
      setLookupError(found.error);
      actorId = found.data?.userByEmail?.id ?? null;
      if (!actorId) {
        if (!found.error) setActorError(`No account has the email ${draft.actor.trim()}.`);
        return;
      }
    }
    if (draft.from && draft.to && draft.to < draft.from) {
      setDateError('The last day is before the first.');
      return;
    }
    setDateError('');
    setCursors([]);
    setWhere(whereOf(draft, actorId));
  }
  function clear() {
    setDraft(noFilters);
    setActorError('');
    setDateError('');
    setCursors([]);
    setWhere(null);
  }

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form className="toolbar filters" onSubmit={apply} aria-label="Filters" noValidate>
        <label>
          Action
          <select value={draft.action} onChange={set('action')}>
            <option value="">any</option>
            {actions.data?.__type?.enumValues?.map((v) => <option key={v.name} value={v.name}>{v.name.toLowerCase().replace(/_/g, ' ')}</option>)}
          </select>
        </label>
        <label>
          Actor's email
          <input type="email" value={draft.actor} onChange={set('actor')} aria-invalid={!!actorError} aria-describedby="audit-actor-error" />
        </label>
        <label>
          Entity type
          <input value={draft.entityType} placeholder="User, Group, Plan…" list="audit-entity-types" onChange={set('entityType')} />
          <datalist id="audit-entity-types">
            {entityTypes.map((t) => <option key={t} value={t} />)}
          </datalist>
        </label>
        <label>
          Entity id
          <input value={draft.entityId} onChange={set('entityId')} />
        </label>
        <label>
          From day
          <input type="date" value={draft.from} onChange={set('from')} aria-describedby="audit-date-error" />
        </label>
        <label>
          To day (included)
          <input type="date" value={draft.to} onChange={set('to')} aria-invalid={!!dateError} aria-describedby="audit-date-error" />
        </label>
        <button type="submit" className="primary">Apply filters</button>
        <button type="button" onClick={clear}>Clear</button>
        <label className="check">
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Live tail
        </label>
      </form>
      <FieldError id="audit-actor-error" message={actorError} />
      <FieldError id="audit-date-error" message={dateError} />
      <ErrorMessage error={lookupError ?? result.error ?? tail.error} />
      <VerifyChain />
      <p className="count" aria-live="polite">{result.data ? countText(result.data.auditLogs.totalCount, where !== null) : ''}</p>
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
                <td>{e.actor?.email ?? (e.actorID === 'console' ? 'console' : 'system')}</td>
                <td>{e.description}</td>
              </tr>
            ))}
            {result.data && entries.length === 0 && <tr><td colSpan={6}>No entries.</td></tr>}
          </tbody>
        </table>
      </div>
      <Pager cursors={cursors} setCursors={setCursors} pageInfo={result.data?.auditLogs.pageInfo} previous="Newer" next="Older" />
    </section>
  );
}

function VerifyChain() {
  const client = useClient();
  const [state, setState] = useState<{ ok?: boolean; title?: string; detail?: string; error?: CombinedError; busy?: boolean }>({});
  async function verify() {
    setState({ busy: true });
    const res = await client.query(Verify, {}, { requestPolicy: 'network-only' }).toPromise();
    const v = res.data?.verifyAuditChain;
    if (!v) {
      setState({ error: res.error });
      return;
    }
    setState(v.intact
      ? { ok: true, title: 'Chain intact', detail: `${v.checked} entries checked; none was changed, removed or reordered.` }
      : {
        ok: false,
        title: `Chain broken at #${v.firstBroken?.seq ?? '?'}`,
        detail: `${v.reason ?? ''}${v.firstBroken ? ` (${v.firstBroken.action}, ${new Date(v.firstBroken.createdAt).toLocaleString()})` : ''}. ${v.checked} entries checked.`,
      });
  }
  return (
    <div className="verify card">
      <button onClick={verify} disabled={state.busy}>Verify chain</button>
      {state.title && (
        <output className={`verdict ${state.ok ? 'ok' : 'bad'}`} data-verdict={state.ok ? 'intact' : 'broken'}>
          <strong>{state.ok ? '✔' : '✘'} {state.title}.</strong> {state.detail}
        </output>
      )}
      <ErrorMessage error={state.error} />
    </div>
  );
}
