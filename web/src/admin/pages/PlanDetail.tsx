// One plan: its figures, toggle and duplicate, an edit form (name, description, translations per
// locale, quotas, features) rendered from field descriptions, its subscribers page by page with
// their usage this period, and moving every subscriber to another plan after a dry-run preview.
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { ConsoleMovePreviewMutation } from '../../gql/graphql';
import { ErrorMessage } from '../errors';
import { SpecForm, type Field } from '../form';
import { Pager } from '../Pager';

const PlanQuery = graphql(`
  query ConsolePlan($id: ID!, $first: Int!, $after: Cursor, $live: Boolean!) {
    plan(id: $id) {
      id name description price currency interval isActive displayOrder trialDays features
      translations { locale name description }
      quotas { metric limit }
      stats { activeSubscriptions canceledSubscriptions totalSubscriptions mrr { amount currency } }
      subscribers(first: $first, after: $after, live: $live) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges {
          cursor
          node {
            subscription { id status complimentary currentPeriodEnd cancelAtPeriodEnd }
            user { id email name }
            usage { metrics { metric used limit } }
          }
        }
      }
    }
    plans(includeInactive: true) { id name isActive }
  }
`);

const UpdatePlan = graphql(`
  mutation ConsoleUpdatePlan($id: ID!, $input: UpdatePlanInput!) {
    updatePlan(id: $id, input: $input) { id name }
  }
`);

const TogglePlan = graphql(`
  mutation ConsolePlanToggle($id: ID!) {
    togglePlan(id: $id) { id isActive }
  }
`);

const DuplicatePlan = graphql(`
  mutation ConsolePlanDuplicate($id: ID!) {
    duplicatePlan(id: $id) { id name }
  }
`);

const MoveSubscribers = graphql(`
  mutation ConsoleMovePreview($from: ID!, $to: ID!, $atPeriodEnd: Boolean!, $dryRun: Boolean!) {
    moveSubscribers(fromPlanId: $from, toPlanId: $to, atPeriodEnd: $atPeriodEnd, dryRun: $dryRun) {
      dryRun atPeriodEnd subscriptions
      mrrChange { amount currency }
      quotaConflicts { metric limit subscriptions }
    }
  }
`);

const metrics = ['TOKENS_INPUT', 'TOKENS_OUTPUT', 'REQUESTS', 'IMAGES', 'AUDIO_MINUTES'] as const;

export const planFields: Field[] = [
  { key: 'name', label: 'Name', kind: 'text' },
  { key: 'description', label: 'Description', kind: 'textarea' },
  {
    key: 'translations', label: 'Translations', kind: 'records', itemLabel: 'Translation', blank: () => ({ locale: '', name: '', description: '' }),
    help: 'Name and description per locale (a BCP 47 tag such as ru or pt-BR).',
    fields: [
      { key: 'locale', label: 'Locale', kind: 'text' },
      { key: 'name', label: 'Name', kind: 'text' },
      { key: 'description', label: 'Description', kind: 'textarea' },
    ],
  },
  {
    key: 'quotas', label: 'Quotas per period', kind: 'records', itemLabel: 'Quota', blank: () => ({ metric: 'TOKENS_INPUT', limit: 0 }),
    help: 'A metric not listed is unlimited; 0 blocks it. Lowering a quota of a plan with live subscribers is refused.',
    fields: [
      { key: 'metric', label: 'Metric', kind: 'enum', options: metrics },
      { key: 'limit', label: 'Limit', kind: 'int' },
    ],
  },
  { key: 'features', label: 'Features (comma-separated)', kind: 'list' },
  { key: 'trialDays', label: 'Free trial days (0: none)', kind: 'int' },
  { key: 'displayOrder', label: 'Display order', kind: 'int' },
];

const pageSize = 20;

export function PlanDetail({ id }: { id: string }) {
  const [cursors, setCursors] = useState<(string | null)[]>([]);
  // Who is on the plan now by default; ended subscriptions on request (the plan's history).
  const [history, setHistory] = useState(false);
  const after = cursors.length ? cursors[cursors.length - 1] : null;
  const [result, refetch] = useQuery({ query: PlanQuery, variables: { id, first: pageSize, after, live: !history }, requestPolicy: 'cache-and-network' });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const [toggleState, toggle] = useMutation(TogglePlan);
  const [dupState, duplicate] = useMutation(DuplicatePlan);
  const [, navigate] = useLocation();
  const [, update] = useMutation(UpdatePlan);
  const plan = result.data?.plan;
  if (result.data && !plan) {
    return (
      <section>
        <h1>Plan not found</h1>
        <p><Link href="/plans">All plans</Link></p>
      </section>
    );
  }
  const subs = plan?.subscribers;
  const rows = subs?.edges.map((e) => e.node) ?? [];
  return (
    <section aria-labelledby="plan-title">
      <p><Link href="/plans">← All plans</Link></p>
      <h1 id="plan-title">{plan ? `Plan: ${plan.name}` : 'Plan'}</h1>
      <ErrorMessage error={result.error ?? toggleState.error ?? dupState.error} />
      {plan && (
        <>
          <dl className="tiles">
            <div><dt>Price</dt><dd>{plan.price} {plan.currency} / {plan.interval.toLowerCase()}</dd></div>
            <div><dt>Status</dt><dd data-figure="plan-active">{plan.isActive ? 'active' : 'inactive'}</dd></div>
            <div><dt>Live subscriptions</dt><dd data-figure="plan-subscribers">{plan.stats?.activeSubscriptions ?? 0}</dd></div>
            <div><dt>MRR</dt><dd>{plan.stats ? `${plan.stats.mrr.amount} ${plan.stats.mrr.currency}` : '—'}</dd></div>
          </dl>
          <div className="toolbar">
            <button onClick={() => toggle({ id: plan.id }).then((r) => !r.error && reload())}>
              {plan.isActive ? 'Deactivate' : 'Activate'}
            </button>
            <button onClick={() => duplicate({ id: plan.id }).then((r) => {
              if (r.data) navigate(`/plans/${encodeURIComponent(r.data.duplicatePlan.id)}`);
            })}>Duplicate</button>
          </div>

          <h2 id="subscribers-title">{history ? 'Subscriptions, ended ones included' : 'Subscribers'} ({subs?.totalCount ?? 0})</h2>
          <label className="check">
            <input type="checkbox" checked={history} onChange={(e) => { setHistory(e.target.checked); setCursors([]); }} />
            {' '}Include ended subscriptions
          </label>
          <div className="table-wrap">
            <table aria-labelledby="subscribers-title">
              <thead>
                <tr><th>User</th><th>Status</th><th>Period ends</th><th>Usage this period</th></tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <tr key={s.subscription.id} data-subscriber={s.user?.email ?? 'deleted'}>
                    <td>{s.user ? `${s.user.name} <${s.user.email}>` : 'deleted account'}</td>
                    <td>
                      {s.subscription.status.toLowerCase()}
                      {s.subscription.complimentary ? ', complimentary' : ''}
                      {s.subscription.cancelAtPeriodEnd ? ', ends at period end' : ''}
                    </td>
                    <td><time dateTime={s.subscription.currentPeriodEnd}>{new Date(s.subscription.currentPeriodEnd).toLocaleDateString()}</time></td>
                    <td>
                      {s.usage.metrics.filter((m) => m.used > 0 || m.limit !== null).map((m) =>
                        `${m.metric.toLowerCase()}: ${m.used}${m.limit !== null && m.limit !== undefined ? ` / ${m.limit}` : ''}`).join(', ') || '—'}
                    </td>
                  </tr>
                ))}
                {rows.length === 0 && <tr><td colSpan={4}>No subscribers.</td></tr>}
              </tbody>
            </table>
          </div>
          <Pager cursors={cursors} setCursors={setCursors} pageInfo={subs?.pageInfo} previous="Previous subscribers" next="Next subscribers" />

          <div className="columns">
            <SpecForm key={`edit-${plan.id}`} id="plan-edit" title="Edit plan" fields={planFields} submitLabel="Save plan"
              initial={plan as unknown as Record<string, unknown>}
              save={(input) => update({ id: plan.id, input: input as never })} onSaved={reload} />
            <Move fromId={plan.id} plans={(result.data?.plans ?? []).filter((p) => p.id !== plan.id)} onMoved={reload} />
          </div>
        </>
      )}
    </section>
  );
}

type Preview = ConsoleMovePreviewMutation['moveSubscribers'];

/** Move asks for a dry run first and only then offers to apply exactly what it previewed. */
function Move({ fromId, plans, onMoved }: { fromId: string; plans: { id: string; name: string; isActive: boolean }[]; onMoved: () => void }) {
  const client = useClient();
  const [to, setTo] = useState('');
  const [atPeriodEnd, setAtPeriodEnd] = useState(true);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [done, setDone] = useState<Preview | null>(null);
  const [error, setError] = useState<CombinedError | undefined>();
  const [busy, setBusy] = useState(false);
  const target = plans.find((p) => p.id === to);
  async function run(dryRun: boolean) {
    setBusy(true);
    const res = await client.mutation(MoveSubscribers, { from: fromId, to, atPeriodEnd, dryRun }).toPromise();
    setBusy(false);
    setError(res.error);
    const r = res.data?.moveSubscribers ?? null;
    if (dryRun) {
      setPreview(r);
      setDone(null);
    } else if (r) {
      setPreview(null);
      setDone(r);
      onMoved();
    }
  }
  const change = (p: Preview) => (p.mrrChange.length ? p.mrrChange.map((m) => `${m.amount} ${m.currency}`).join(', ') : 'none');
  return (
    <form className="card" onSubmit={(e) => { e.preventDefault(); run(true); }} aria-labelledby="move-title">
      <h2 id="move-title">Move subscribers</h2>
      <label htmlFor="move-to">To plan</label>
      <select id="move-to" value={to} onChange={(e) => { setTo(e.target.value); setPreview(null); }}>
        <option value="">Choose a plan</option>
        {plans.map((p) => <option key={p.id} value={p.id}>{p.name}{p.isActive ? '' : ' (inactive)'}</option>)}
      </select>
      <label className="check">
        <input type="checkbox" checked={atPeriodEnd} onChange={(e) => { setAtPeriodEnd(e.target.checked); setPreview(null); }} />
        {' '}At the end of each one's period (otherwise now)
      </label>
      <button type="submit" disabled={!to || busy}>Preview</button>
      <ErrorMessage error={error} />
      {preview && target && (
        <output className="preview" data-preview="move">
          <p>
            <strong>{preview.subscriptions}</strong> live subscription{preview.subscriptions === 1 ? '' : 's'} would move to {target.name}
            {preview.atPeriodEnd ? ' at the end of their periods' : ' now'}. MRR change: {change(preview)}.
          </p>
          {preview.quotaConflicts.length > 0 && (
            <ul className="bad">
              {preview.quotaConflicts.map((q) => (
                <li key={q.metric}>{q.subscriptions} already above {target.name}'s {q.metric.toLowerCase()} quota of {q.limit}</li>
              ))}
            </ul>
          )}
          <button type="button" className="primary" disabled={busy || preview.subscriptions === 0} onClick={() => run(false)}>
            Move {preview.subscriptions} subscriber{preview.subscriptions === 1 ? '' : 's'}
          </button>
        </output>
      )}
      {done && <output className="ok">Moved {done.subscriptions} subscription{done.subscriptions === 1 ? '' : 's'}.</output>}
    </form>
  );
}
