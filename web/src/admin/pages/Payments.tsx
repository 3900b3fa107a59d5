// Payments: every transaction, newest first, filtered by status and by user (an email, or the
// ?user=<id> a user's page links with), paged with cursors. A succeeded payment can be refunded,
// in full or in part, with a reason and what happens to the subscription it bought; a payment can
// be synced from the provider when its notification never arrived. With a user chosen, their
// saved payment method is shown and can be removed.
import { useState, type FormEvent } from 'react';
import { Link, useSearch } from 'wouter';
import { useClient, useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { RefundEffect, TransactionStatus } from '../../gql/graphql';
import { ErrorMessage, FieldError, fieldErrors } from '../errors';
import { Pager } from '../Pager';

const PAGE = 20;

const TransactionsQuery = graphql(`
  query ConsoleTransactions($first: Int, $after: Cursor, $where: TransactionWhereInput) {
    transactions(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id createdAt status amount refunded currency description provider providerPaymentID userID
          plan { id name }
        }
      }
    }
  }
`);

const PaymentUsers = graphql(`
  query ConsolePaymentUsers($ids: [ID!]!) {
    nodes(ids: $ids) { ... on User { id email name } }
  }
`);

const PaymentUserByEmail = graphql(`
  query ConsolePaymentUserByEmail($email: String!) {
    userByEmail(email: $email) { id email }
  }
`);

const UserMethod = graphql(`
  query ConsolePaymentMethod($userId: ID!) {
    paymentMethod(userId: $userId) { type title cardLast4 createdAt }
  }
`);

const RemoveMethod = graphql(`
  mutation ConsolePaymentsRemoveMethod($userId: ID!) {
    removeUserPaymentMethod(userId: $userId)
  }
`);

const Refund = graphql(`
  mutation ConsoleRefundPayment($id: ID!, $amount: Decimal, $reason: String!, $effect: RefundEffect!) {
    refundPayment(id: $id, amount: $amount, reason: $reason, subscriptionEffect: $effect) { id status refunded }
  }
`);

const Sync = graphql(`
  mutation ConsoleSyncPayment($id: ID!) {
    syncPayment(id: $id) { id status refunded }
  }
`);

const statuses: TransactionStatus[] = ['PENDING', 'SUCCEEDED', 'FAILED', 'CANCELED', 'REFUNDED', 'PARTIALLY_REFUNDED'];
const effects: { value: RefundEffect; label: string }[] = [
  { value: 'KEEP', label: 'Keep the subscription' },
  { value: 'END_AT_PERIOD_END', label: 'End it at the period end' },
  { value: 'END_NOW', label: 'End it now' },
];
const statusLabel = (s: TransactionStatus) => s.toLowerCase().replace('_', ' ');

export function Payments() {
  const client = useClient();
  const search = useSearch();
  const [userId, setUserId] = useState<string | null>(new URLSearchParams(search).get('user'));
  const [email, setEmail] = useState('');
  const [emailError, setEmailError] = useState<string | undefined>();
  const [status, setStatus] = useState<TransactionStatus | ''>('');
  const [cursors, setCursors] = useState<(string | null)[]>([]);
  const after = cursors.length ? cursors[cursors.length - 1] : null;
  const [result, refetch] = useQuery({
    query: TransactionsQuery,
    variables: { first: PAGE, after, where: { ...(status ? { status } : {}), ...(userId ? { userID: userId } : {}) } },
    requestPolicy: 'cache-and-network',
  });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const rows = result.data?.transactions.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const ids = [...new Set([...rows.map((r) => r.userID), ...(userId ? [userId] : [])])];
  const [people] = useQuery({ query: PaymentUsers, variables: { ids }, pause: ids.length === 0 });
  const emailOf = (id: string) => {
    const n = people.data?.nodes.find((x) => x && 'id' in x && x.id === id);
    return n && 'email' in n ? n.email ?? n.name : id;
  };

  async function chooseUser(e: FormEvent) {
    e.preventDefault();
    setEmailError(undefined);
    if (!email.trim()) {
      setUserId(null);
      setCursors([]);
      return;
    }
    const r = await client.query(PaymentUserByEmail, { email: email.trim() }, { requestPolicy: 'network-only' }).toPromise();
    if (r.error) setEmailError(r.error.message);
    else if (!r.data?.userByEmail) setEmailError(`No account has the email ${email.trim()}.`);
    else {
      setUserId(r.data.userByEmail.id);
      setCursors([]);
    }
  }

  const transactions = result.data?.transactions;
  return (
    <section aria-labelledby="payments-title">
      <h1 id="payments-title">Payments</h1>
      <div className="toolbar" role="search">
        <label>
          Status
          <select aria-label="Filter by status" value={status} onChange={(e) => { setStatus(e.target.value as TransactionStatus | ''); setCursors([]); }}>
            <option value="">All</option>
            {statuses.map((s) => <option key={s} value={s}>{statusLabel(s)}</option>)}
          </select>
        </label>
        <form className="inline" onSubmit={chooseUser}>
          <label>
            User
            <input type="email" aria-label="Filter by user email" value={email} placeholder="Email (empty for all)"
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={emailError ? true : undefined} aria-describedby={emailError ? 'payments-user-error' : undefined} />
          </label>
          <button type="submit">Filter</button>
        </form>
        {userId && (
          <button onClick={() => { setUserId(null); setEmail(''); setCursors([]); }}>
            Show every user
          </button>
        )}
      </div>
      <FieldError id="payments-user-error" message={emailError} />
      {userId && <Method userId={userId} label={emailOf(userId)} />}
      <ErrorMessage error={result.error ?? people.error} />
      {transactions && (
        <>
          <p className="count">{transactions.totalCount} {transactions.totalCount === 1 ? 'payment' : 'payments'}</p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr><th>Date</th><th>User</th><th>Plan</th><th>Amount</th><th>Refunded</th><th>Status</th><th><span className="sr-only">Actions</span></th></tr>
              </thead>
              <tbody>
                {rows.map((t) => <PaymentRow key={t.id} payment={t} user={emailOf(t.userID)} onChanged={reload} />)}
              </tbody>
            </table>
          </div>
          <Pager cursors={cursors} setCursors={setCursors} pageInfo={transactions.pageInfo}>
            <span>Page {cursors.length + 1}</span>
          </Pager>
        </>
      )}
    </section>
  );
}

type Payment = {
  id: string; createdAt: string; status: TransactionStatus; amount: string; refunded: string; currency: string;
  description: string; provider: string; providerPaymentID?: string | null; userID: string; plan?: { name: string } | null;
};

function PaymentRow({ payment: t, user, onChanged }: { payment: Payment; user: string; onChanged: () => void }) {
  const [syncState, sync] = useMutation(Sync);
  const [open, setOpen] = useState(false);
  const refundable = t.status === 'SUCCEEDED' || t.status === 'PARTIALLY_REFUNDED';
  return (
    <>
      <tr data-payment={t.id}>
        <td><time dateTime={t.createdAt}>{new Date(t.createdAt).toLocaleString()}</time></td>
        <td><Link href={`/users/${t.userID}`}>{user}</Link></td>
        <td>{t.plan?.name ?? t.description}</td>
        <td>{t.amount} {t.currency}</td>
        <td>{Number(t.refunded) === 0 ? '—' : `${t.refunded} ${t.currency}`}</td>
        <td data-status>{statusLabel(t.status)}</td>
        <td className="actions">
          {t.providerPaymentID && (
            <button disabled={syncState.fetching} aria-label={`Sync payment of ${user} from ${t.provider}`}
              onClick={() => sync({ id: t.id }).then((r) => !r.error && onChanged())}>
              Sync
            </button>
          )}
          {refundable && (
            <button aria-expanded={open} aria-label={`Refund payment of ${user}`} onClick={() => setOpen(!open)}>
              Refund…
            </button>
          )}
        </td>
      </tr>
      {syncState.error && (
        <tr><td colSpan={7}><ErrorMessage error={syncState.error} /></td></tr>
      )}
      {open && refundable && (
        <tr>
          <td colSpan={7}>
            <RefundForm payment={t} onDone={() => { setOpen(false); onChanged(); }} onCancel={() => setOpen(false)} />
          </td>
        </tr>
      )}
    </>
  );
}

function RefundForm({ payment: t, onDone, onCancel }: { payment: Payment; onDone: () => void; onCancel: () => void }) {
  const [state, refund] = useMutation(Refund);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [effect, setEffect] = useState<RefundEffect>('KEEP');
  const errors = fieldErrors(state.error);
  const base = `refund-${t.id}`;
  async function submit(e: FormEvent) {
    e.preventDefault();
    const whole = amount.trim() === '';
    if (!window.confirm(`Refund ${whole ? 'everything not refunded yet' : `${amount.trim()} ${t.currency}`} through ${t.provider}?`)) return;
    const res = await refund({ id: t.id, amount: whole ? null : amount.trim(), reason: reason.trim(), effect });
    if (!res.error) onDone();
  }
  return (
    <form className="card refund" onSubmit={submit} aria-label={`Refund of ${t.amount} ${t.currency}`}>
      <label>
        Amount to refund ({t.currency}; empty for all that is left)
        {/* The form opens on a click of its row's Refund button: the keyboard lands in it. */}
        <input autoFocus inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder={t.amount}
          aria-invalid={errors.amount ? true : undefined} aria-describedby={errors.amount ? `${base}-amount-error` : undefined} />
      </label>
      <FieldError id={`${base}-amount-error`} message={errors.amount} />
      <label>
        Reason
        <input value={reason} onChange={(e) => setReason(e.target.value)} required
          aria-invalid={errors.reason ? true : undefined} aria-describedby={errors.reason ? `${base}-reason-error` : undefined} />
      </label>
      <FieldError id={`${base}-reason-error`} message={errors.reason} />
      <label>
        Subscription
        <select value={effect} onChange={(e) => setEffect(e.target.value as RefundEffect)}>
          {effects.map((x) => <option key={x.value} value={x.value}>{x.label}</option>)}
        </select>
      </label>
      <ErrorMessage error={state.error} fields={['amount', 'reason']} />
      <div className="toolbar">
        <button type="submit" className="danger" disabled={state.fetching}>Refund</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

function Method({ userId, label }: { userId: string; label: string }) {
  const [result, refetch] = useQuery({ query: UserMethod, variables: { userId }, requestPolicy: 'network-only' });
  const [state, remove] = useMutation(RemoveMethod);
  const m = result.data?.paymentMethod;
  return (
    <div className="toolbar" data-payment-method>
      <span>Saved payment method of {label}: {m ? `${m.title}` : 'none'}</span>
      {m && (
        <button className="danger" disabled={state.fetching}
          onClick={() => window.confirm(`Remove the saved method of ${label}? Renewals stop charging it.`) &&
            remove({ userId }).then((r) => !r.error && refetch({ requestPolicy: 'network-only' }))}>
          Remove saved method
        </button>
      )}
      <ErrorMessage error={result.error ?? state.error} />
    </div>
  );
}
