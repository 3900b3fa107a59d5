// One account: suspend or reinstate it, clear a sign-in lock, and the things that act for it —
// its sessions (revoke one or all), its API keys (revoke) and its saved payment method (remove).
// A suspension (suspendUser) signs the account out everywhere and refuses its sign-ins and API
// keys until it is reinstated; it keeps its role and keys.
import { useState } from 'react';
import { Link } from 'wouter';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import { ErrorMessage } from '../errors';

const UserQuery = graphql(`
  query ConsoleUserDetail($id: ID!) {
    user(id: $id) { id name email role createdAt lastActiveAt lockedUntil failedSignins suspendedAt suspensionReason }
    sessions(userId: $id) { id createdAt lastUsedAt expiresAt ip userAgent }
    apiKeys(userId: $id) { id name prefix createdAt lastUsedAt expiresAt }
    paymentMethod(userId: $id) { type title cardLast4 createdAt }
  }
`);

const Suspend = graphql(`
  mutation ConsoleSuspendUser($id: ID!, $reason: String) {
    suspendUser(id: $id, reason: $reason) { id suspendedAt suspensionReason }
  }
`);

const Reinstate = graphql(`
  mutation ConsoleReinstateUser($id: ID!) {
    reinstateUser(id: $id) { id suspendedAt suspensionReason }
  }
`);

const Unlock = graphql(`
  mutation ConsoleUnlockUser($id: ID!) {
    unlockUser(id: $id) { id lockedUntil failedSignins }
  }
`);

const RevokeSession = graphql(`
  mutation ConsoleRevokeSession($id: ID!) {
    revokeSession(id: $id)
  }
`);

const RevokeKey = graphql(`
  mutation ConsoleRevokeAPIKey($id: ID!) {
    revokeAPIKey(id: $id)
  }
`);

const RemoveMethod = graphql(`
  mutation ConsoleRemoveUserPaymentMethod($userId: ID!) {
    removeUserPaymentMethod(userId: $userId)
  }
`);

const when = (t?: string | null) => (t ? <time dateTime={t}>{new Date(t).toLocaleString()}</time> : '—');

export function UserDetail({ params }: { params: { id: string } }) {
  const id = params.id;
  const [result, refetch] = useQuery({ query: UserQuery, variables: { id }, requestPolicy: 'network-only' });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const [suspendState, suspend] = useMutation(Suspend);
  const [reinstateState, reinstate] = useMutation(Reinstate);
  const [reason, setReason] = useState('');
  const [unlockState, unlock] = useMutation(Unlock);
  const [methodState, removeMethod] = useMutation(RemoveMethod);
  const [error, setError] = useState<CombinedError | undefined>();
  const run = async (p: Promise<{ error?: CombinedError }>) => {
    const res = await p;
    setError(res.error);
    if (!res.error) reload();
  };
  const u = result.data?.user;
  const label = u?.email ?? u?.name ?? id;
  const suspended = Boolean(u?.suspendedAt);
  const locked = u?.lockedUntil && new Date(u.lockedUntil) > new Date();
  const busy = suspendState.fetching || reinstateState.fetching || unlockState.fetching || methodState.fetching;

  return (
    <section aria-labelledby="user-title">
      <p><Link href="/users">← All users</Link></p>
      <h1 id="user-title">{u ? label : 'User'}</h1>
      <ErrorMessage error={result.error} />
      {result.data && !u && <p>No such user.</p>}
      {u && (
        <>
          <dl className="tiles" data-user-detail={u.email ?? u.id}>
            <div><dt>Name</dt><dd>{u.name}</dd></div>
            <div><dt>Role</dt><dd data-role>{u.role.toLowerCase()}</dd></div>
            <div><dt>Suspended</dt><dd data-suspended>{suspended ? <>since {when(u.suspendedAt)}{u.suspensionReason ? ` — ${u.suspensionReason}` : ''}</> : 'no'}</dd></div>
            <div><dt>Created</dt><dd>{when(u.createdAt)}</dd></div>
            <div><dt>Last active</dt><dd>{when(u.lastActiveAt)}</dd></div>
            <div><dt>Sign-in lock</dt><dd data-lock>{locked ? <>until {when(u.lockedUntil)}</> : 'none'}</dd></div>
            <div><dt>Failed sign-ins</dt><dd>{u.failedSignins ?? 0}</dd></div>
          </dl>
          <div className="toolbar" role="group" aria-label="Account actions">
            {suspended ? (
              <button className="primary" disabled={busy} onClick={() => run(reinstate({ id }))}>
                Reinstate
              </button>
            ) : (
              <form className="inline" onSubmit={(e) => {
                e.preventDefault();
                if (window.confirm(`Suspend ${label}? They are signed out everywhere and cannot sign in or use their API keys until reinstated.`)) {
                  run(suspend({ id, reason: reason.trim() || null }));
                }
              }}>
                <label>
                  Reason <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder="optional" />
                </label>
                <button className="danger" type="submit" disabled={busy}>Suspend</button>
              </form>
            )}
            {(locked || (u.failedSignins ?? 0) > 0) && (
              <button disabled={busy} onClick={() => run(unlock({ id }))}>Clear sign-in lock</button>
            )}
            <Link href={`/payments?user=${encodeURIComponent(id)}`}>Payments of this user</Link>
          </div>
          <ErrorMessage error={error} />
          <Sessions sessions={result.data?.sessions ?? []} onChanged={reload} />
          <Keys keys={result.data?.apiKeys ?? []} onChanged={reload} />
          <h2>Saved payment method</h2>
          {result.data?.paymentMethod ? (
            <div className="toolbar" data-payment-method>
              <span>{result.data.paymentMethod.title} (saved {when(result.data.paymentMethod.createdAt)})</span>
              <button className="danger" disabled={busy}
                onClick={() => window.confirm(`Remove the saved method of ${label}? Renewals stop charging it.`) &&
                  run(removeMethod({ userId: id }))}>
                Remove
              </button>
            </div>
          ) : (
            <p>None saved.</p>
          )}
        </>
      )}
    </section>
  );
}

type SessionRow = { id: string; createdAt: string; lastUsedAt?: string | null; expiresAt?: string | null; ip: string; userAgent: string };

// Sessions: revoke one, or all of them; "all" revokes each in turn and lists any it could not.
function Sessions({ sessions, onChanged }: { sessions: SessionRow[]; onChanged: () => void }) {
  const [, revoke] = useMutation(RevokeSession);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<CombinedError[]>([]);
  const revokeSome = async (ids: string[]) => {
    setBusy(true);
    const results = await Promise.all(ids.map((id) => revoke({ id })));
    setBusy(false);
    setErrors(results.flatMap((r) => (r.error ? [r.error] : [])));
    onChanged();
  };
  return (
    <>
      <h2>Sessions</h2>
      {errors.map((e, i) => <ErrorMessage key={i} error={e} />)}
      {sessions.length === 0 ? (
        <p>No active sessions.</p>
      ) : (
        <>
          <div className="toolbar">
            <span>{sessions.length} active</span>
            <button className="danger" disabled={busy} onClick={() => revokeSome(sessions.map((s) => s.id))}>
              Revoke all sessions
            </button>
          </div>
          <div className="table-wrap">
            <table>
              <thead><tr><th>Signed in</th><th>Last used</th><th>Expires</th><th>Address</th><th>Browser</th><th><span className="sr-only">Actions</span></th></tr></thead>
              <tbody>
                {sessions.map((s) => (
                  <tr key={s.id} data-session={s.id}>
                    <td>{when(s.createdAt)}</td>
                    <td>{when(s.lastUsedAt)}</td>
                    <td>{s.expiresAt ? when(s.expiresAt) : 'never'}</td>
                    <td>{s.ip || '—'}</td>
                    <td className="wrap">{s.userAgent || '—'}</td>
                    <td className="actions">
                      <button className="danger" disabled={busy} aria-label={`Revoke session from ${s.ip || 'unknown address'} signed in ${new Date(s.createdAt).toLocaleString()}`}
                        onClick={() => revokeSome([s.id])}>Revoke</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

type KeyRow = { id: string; name: string; prefix: string; createdAt: string; lastUsedAt?: string | null; expiresAt?: string | null };

function Keys({ keys, onChanged }: { keys: KeyRow[]; onChanged: () => void }) {
  const [state, revoke] = useMutation(RevokeKey);
  const [error, setError] = useState<CombinedError | undefined>();
  return (
    <>
      <h2>API keys</h2>
      <ErrorMessage error={error} />
      {keys.length === 0 ? (
        <p>No API keys.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead><tr><th>Name</th><th>Key</th><th>Created</th><th>Last used</th><th>Expires</th><th><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} data-key={k.name}>
                  <td>{k.name}</td>
                  <td><code>{k.prefix}…</code></td>
                  <td>{when(k.createdAt)}</td>
                  <td>{when(k.lastUsedAt)}</td>
                  <td>{k.expiresAt ? when(k.expiresAt) : 'never'}</td>
                  <td className="actions">
                    <button className="danger" disabled={state.fetching} aria-label={`Revoke API key ${k.name}`}
                      onClick={async () => {
                        if (!window.confirm(`Revoke the API key ${k.name}? Programs using it stop working.`)) return;
                        const res = await revoke({ id: k.id });
                        setError(res.error);
                        onChanged();
                      }}>
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
