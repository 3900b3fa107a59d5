// Plans: every plan (inactive ones too) with its subscribers and MRR; toggle, duplicate, assign
// to a user by email; a form to create one whose errors show at their fields. A plan's name opens
// its own page (PlanDetail: edit, translations, subscribers, moving them).
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { BillingInterval } from '../../gql/graphql';
import { ErrorMessage, FieldError, fieldErrors } from '../errors';

const PlansQuery = graphql(`
  query ConsolePlans {
    plans(includeInactive: true) {
      id name price currency interval isActive
      quotas { metric limit }
      stats { activeSubscriptions mrr { amount currency } }
    }
  }
`);

const CreatePlan = graphql(`
  mutation ConsoleCreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) { id }
  }
`);

const TogglePlan = graphql(`
  mutation ConsoleTogglePlan($id: ID!) {
    togglePlan(id: $id) { id isActive }
  }
`);

const DuplicatePlan = graphql(`
  mutation ConsoleDuplicatePlan($id: ID!) {
    duplicatePlan(id: $id) { id }
  }
`);

const AssignPlan = graphql(`
  mutation ConsoleAssignPlan($userId: ID!, $planId: ID!, $complimentary: Boolean) {
    assignPlan(userId: $userId, planId: $planId, complimentary: $complimentary) { id status complimentary }
  }
`);

const UserByEmail = graphql(`
  query ConsolePlanUserByEmail($email: String!) {
    userByEmail(email: $email) { id email }
  }
`);

const intervals: BillingInterval[] = ['DAY', 'WEEK', 'MONTH', 'YEAR'];

export function Plans() {
  const [result, refetch] = useQuery({ query: PlansQuery, requestPolicy: 'cache-and-network' });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const [toggleState, toggle] = useMutation(TogglePlan);
  const [dupState, duplicate] = useMutation(DuplicatePlan);
  const after = (p: Promise<{ error?: CombinedError }>) => p.then((r) => !r.error && reload());
  return (
    <section aria-labelledby="plans-title">
      <h1 id="plans-title">Plans</h1>
      <ErrorMessage error={result.error ?? toggleState.error ?? dupState.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr><th>Name</th><th>Price</th><th>Quotas</th><th>Subscribers</th><th>MRR</th><th>Active</th><th>Actions</th></tr>
          </thead>
          <tbody>
            {result.data?.plans.map((p) => (
              <tr key={p.id} data-plan={p.name}>
                <td><Link href={`/plans/${encodeURIComponent(p.id)}`}>{p.name}</Link></td>
                <td>{p.price} {p.currency} / {p.interval.toLowerCase()}</td>
                <td>{p.quotas.length ? p.quotas.map((q) => `${q.metric.toLowerCase()}: ${q.limit}`).join(', ') : 'unlimited'}</td>
                <td>{p.stats?.activeSubscriptions ?? '—'}</td>
                <td>{p.stats ? `${p.stats.mrr.amount} ${p.stats.mrr.currency}` : '—'}</td>
                <td>{p.isActive ? 'yes' : 'no'}</td>
                <td className="actions">
                  <button onClick={() => after(toggle({ id: p.id }))}>{p.isActive ? 'Deactivate' : 'Activate'}</button>
                  <button onClick={() => after(duplicate({ id: p.id }))}>Duplicate</button>
                  <Assign planId={p.id} planName={p.name} onAssigned={reload} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <NewPlan onCreated={reload} />
    </section>
  );
}

function Assign({ planId, planName, onAssigned }: { planId: string; planName: string; onAssigned: () => void }) {
  const client = useClient();
  const [state, assign] = useMutation(AssignPlan);
  const [email, setEmail] = useState('');
  // An assignment is complimentary (out of MRR) unless the admin says it is paid outside steward.
  const [paid, setPaid] = useState(false);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<CombinedError | undefined>();
  async function submit(e: FormEvent) {
    e.preventDefault();
    setMessage('');
    const found = await client.query(UserByEmail, { email }, { requestPolicy: 'network-only' }).toPromise();
    const match = found.data?.userByEmail;
    if (!match) {
      setError(found.error);
      if (!found.error) setMessage(`No account has the email ${email}.`);
      return;
    }
    const res = await assign({ userId: match.id, planId, complimentary: !paid });
    setError(res.error);
    if (!res.error) {
      setMessage(`${email} is on ${planName}.`);
      setEmail('');
      onAssigned();
    }
  }
  return (
    <form className="inline" onSubmit={submit}>
      <input type="email" aria-label={`Email of a user to put on ${planName}`} placeholder="email" value={email}
        onChange={(e) => setEmail(e.target.value)} />
      <label className="check">
        <input type="checkbox" checked={paid} onChange={(e) => setPaid(e.target.checked)} /> Paid outside steward
      </label>
      <button type="submit" disabled={!email || state.fetching}>Assign</button>
      {message && <output>{message}</output>}
      <ErrorMessage error={error} />
    </form>
  );
}

function NewPlan({ onCreated }: { onCreated: () => void }) {
  const [state, create] = useMutation(CreatePlan);
  const [name, setName] = useState('');
  const [price, setPrice] = useState('0');
  const [currency, setCurrency] = useState('USD');
  const [interval, setInterval] = useState<BillingInterval>('MONTH');
  const [tokens, setTokens] = useState('');
  const fields = fieldErrors(state.error);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const quotas = tokens.trim() === '' ? [] : [{ metric: 'TOKENS_INPUT' as const, limit: Number(tokens) }];
    const res = await create({ input: { name, price, currency, interval, quotas } });
    if (!res.error) {
      setName('');
      setTokens('');
      onCreated();
    }
  }
  const field = (id: string, label: string, key: string, input: React.ReactNode) => (
    <div>
      <label htmlFor={id}>{label}</label>
      {input}
      <FieldError id={`${id}-error`} message={fields[key]} />
    </div>
  );
  return (
    <form className="card narrow" onSubmit={submit} noValidate aria-labelledby="new-plan">
      <h2 id="new-plan">New plan</h2>
      {field('plan-name', 'Name', 'name',
        <input id="plan-name" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!fields.name} aria-describedby="plan-name-error" />)}
      {field('plan-price', 'Price per interval', 'price',
        <input id="plan-price" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} aria-invalid={!!fields.price} aria-describedby="plan-price-error" />)}
      {field('plan-currency', 'Currency (ISO 4217)', 'currency',
        <input id="plan-currency" value={currency} onChange={(e) => setCurrency(e.target.value.toUpperCase())} aria-invalid={!!fields.currency} aria-describedby="plan-currency-error" />)}
      {field('plan-interval', 'Interval', 'interval',
        <select id="plan-interval" value={interval} onChange={(e) => setInterval(e.target.value as BillingInterval)}>
          {intervals.map((i) => <option key={i} value={i}>{i.toLowerCase()}</option>)}
        </select>)}
      {field('plan-tokens', 'Input tokens per period (empty: unlimited)', 'quotas',
        <input id="plan-tokens" inputMode="numeric" value={tokens} onChange={(e) => setTokens(e.target.value)} aria-invalid={!!fields.quotas} aria-describedby="plan-tokens-error" />)}
      <ErrorMessage error={state.error} fields={['name', 'price', 'currency', 'interval', 'quotas']} />
      <button type="submit" className="primary" disabled={state.fetching}>Create plan</button>
    </form>
  );
}
