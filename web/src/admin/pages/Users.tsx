// Users: search by name or email, filter by role, sort, page through with cursors; approve a
// pending account, change a role, delete; open an account's page (sessions, API keys, suspension).
// Each action reports its own error in the row; bulk actions list the accounts they refused.
import { useState } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { Link } from 'wouter';
import { graphql } from '../../gql';
import type { Role, UserOrderField, OrderDirection } from '../../gql/graphql';
import { ErrorMessage } from '../errors';
import { Pager } from '../Pager';

const PAGE = 20;

const UsersQuery = graphql(`
  query ConsoleUsers($first: Int, $after: Cursor, $query: String, $where: UserWhereInput, $orderBy: [UserOrder!]) {
    users(first: $first, after: $after, query: $query, where: $where, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name email role createdAt lastActiveAt } }
    }
  }
`);

const SetRole = graphql(`
  mutation ConsoleSetRole($id: ID!, $role: Role!) {
    updateUser(id: $id, input: { role: $role }) { id role }
  }
`);

const DeleteUser = graphql(`
  mutation ConsoleDeleteUser($id: ID!) {
    deleteUser(id: $id)
  }
`);

const SetUsersRole = graphql(`
  mutation ConsoleSetUsersRole($ids: [ID!]!, $role: Role!) {
    setUsersRole(ids: $ids, role: $role) { id changed code message }
  }
`);

const DeleteUsers = graphql(`
  mutation ConsoleDeleteUsers($ids: [ID!]!) {
    deleteUsers(ids: $ids) { id deleted code message }
  }
`);

const roles: Role[] = ['ADMIN', 'USER', 'PENDING'];
const sorts: { value: UserOrderField; label: string }[] = [
  { value: 'CREATED_AT', label: 'Created' },
  { value: 'NAME', label: 'Name' },
  { value: 'EMAIL', label: 'Email' },
  { value: 'ROLE', label: 'Role' },
  { value: 'LAST_ACTIVE_AT', label: 'Last active' },
];

export function Users() {
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [field, setField] = useState<UserOrderField>('CREATED_AT');
  const [direction, setDirection] = useState<OrderDirection>('DESC');
  // The cursors of the pages before this one; empty on the first page.
  const [cursors, setCursors] = useState<(string | null)[]>([]);
  const after = cursors.length ? cursors[cursors.length - 1] : null;
  const restart = () => setCursors([]);

  const [result, refetch] = useQuery({
    query: UsersQuery,
    variables: {
      first: PAGE,
      after,
      query: search || null,
      where: role ? { role } : null,
      orderBy: [{ field, direction }],
    },
    requestPolicy: 'cache-and-network',
  });
  const users = result.data?.users;
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // What the last bulk action could not do; it outlives the selection, which the action clears.
  const [bulkReport, setBulkReport] = useState<BulkReport>({ refusals: [] });
  const reload = () => {
    setSelected(new Set());
    refetch({ requestPolicy: 'network-only' });
  };
  const labelOf = (id: string) => users?.edges?.find((e) => e?.node?.id === id)?.node?.email ?? id;
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <div className="toolbar" role="search">
        <label>
          Search
          <input type="search" aria-label="Search users" value={search} placeholder="Name or email"
            onChange={(e) => { setSearch(e.target.value); restart(); }} />
        </label>
        <label>
          Role
          <select aria-label="Filter by role" value={role} onChange={(e) => { setRole(e.target.value as Role | ''); restart(); }}>
            <option value="">All</option>
            {roles.map((r) => <option key={r} value={r}>{r.toLowerCase()}</option>)}
          </select>
        </label>
        <label>
          Sort by
          <select aria-label="Sort by" value={field} onChange={(e) => { setField(e.target.value as UserOrderField); restart(); }}>
            {sorts.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </label>
        <button onClick={() => { setDirection(direction === 'ASC' ? 'DESC' : 'ASC'); restart(); }}
          aria-label={`Sort ${direction === 'ASC' ? 'descending' : 'ascending'}`}>
          {direction === 'ASC' ? '↑ Ascending' : '↓ Descending'}
        </button>
      </div>
      <ErrorMessage error={result.error} />
      {selected.size > 0 && <Bulk ids={[...selected]} labelOf={labelOf} onDone={(r) => { setBulkReport(r); reload(); }} />}
      {bulkReport.refusals.length > 0 && (
        <div className="alert" role="alert">{bulkReport.refusals.map((r) => <p key={r}>{r}</p>)}</div>
      )}
      <ErrorMessage error={bulkReport.error} />
      {users && (
        <>
          <p className="count">{users.totalCount} {users.totalCount === 1 ? 'user' : 'users'}</p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr><th><span className="sr-only">Select</span></th><th>Name</th><th>Email</th><th>Role</th><th>Created</th><th><span className="sr-only">Actions</span></th></tr>
              </thead>
              <tbody>
                {users.edges?.map((e) => e?.node && (
                  <UserRow key={e.node.id} user={e.node} onChanged={reload}
                    selected={selected.has(e.node.id)} onSelect={() => toggle(e.node!.id)} />
                ))}
              </tbody>
            </table>
          </div>
          <Pager cursors={cursors} setCursors={setCursors} pageInfo={users.pageInfo}>
            <span>Page {cursors.length + 1}</span>
          </Pager>
        </>
      )}
    </section>
  );
}

type Row = { id: string; name: string; email?: string | null; role: Role; createdAt: string };

// Bulk actions on the selected accounts. setUsersRole and deleteUsers answer per id, so refusals
// (the primary admin, the last admin) are listed while the others change.
type BulkReport = { refusals: string[]; error?: CombinedError };

function Bulk({ ids, labelOf, onDone }: { ids: string[]; labelOf: (id: string) => string; onDone: (r: BulkReport) => void }) {
  const [deleteState, deleteUsers] = useMutation(DeleteUsers);
  const [roleState, setUsersRole] = useMutation(SetUsersRole);
  const [bulkRole, setBulkRole] = useState<Role>('USER');
  async function setRoleAll() {
    const res = await setUsersRole({ ids, role: bulkRole });
    const refusals = (res.data?.setUsersRole ?? []).filter((r) => !r.changed).map((r) => `Not changed: ${labelOf(r.id)}: ${r.message ?? r.code ?? 'refused'}`);
    onDone({ refusals, error: res.error });
  }
  async function deleteAll() {
    if (!window.confirm(`Delete ${ids.length} accounts? Their sessions and API keys go too.`)) return;
    const res = await deleteUsers({ ids });
    const refusals = (res.data?.deleteUsers ?? []).filter((r) => !r.deleted).map((r) => `Not deleted: ${labelOf(r.id)}: ${r.message ?? r.code ?? 'refused'}`);
    onDone({ refusals, error: res.error });
  }
  return (
    <div className="toolbar bulk" role="group" aria-label="Selected users">
      <span>{ids.length} selected</span>
      <label>
        New role
        <select aria-label="Role for the selected users" value={bulkRole} onChange={(e) => setBulkRole(e.target.value as Role)}>
          {roles.map((r) => <option key={r} value={r}>{r === 'PENDING' ? 'pending (suspended)' : r.toLowerCase()}</option>)}
        </select>
      </label>
      <button onClick={setRoleAll} disabled={roleState.fetching}>Set role</button>
      <button className="danger" onClick={deleteAll} disabled={deleteState.fetching}>Delete selected</button>
    </div>
  );
}

function UserRow({ user, onChanged, selected, onSelect }: { user: Row; onChanged: () => void; selected: boolean; onSelect: () => void }) {
  const [roleState, setRole] = useMutation(SetRole);
  const [deleteState, deleteUser] = useMutation(DeleteUser);
  const [error, setError] = useState<CombinedError | undefined>();
  const run = async (p: Promise<{ error?: CombinedError }>) => {
    const res = await p;
    setError(res.error);
    if (!res.error) onChanged();
  };
  const busy = roleState.fetching || deleteState.fetching;
  return (
    <>
      <tr data-user={user.email ?? user.id}>
        <td><input type="checkbox" checked={selected} onChange={onSelect} aria-label={`Select ${user.email ?? user.name}`} /></td>
        <td><Link href={`/users/${user.id}`} aria-label={`Details of ${user.email ?? user.name}`}>{user.name}</Link></td>
        <td>{user.email}</td>
        <td>
          <select aria-label={`Role of ${user.email ?? user.name}`} value={user.role} disabled={busy}
            onChange={(e) => run(setRole({ id: user.id, role: e.target.value as Role }))}>
            {roles.map((r) => <option key={r} value={r}>{r.toLowerCase()}</option>)}
          </select>
        </td>
        <td><time dateTime={user.createdAt}>{new Date(user.createdAt).toLocaleDateString()}</time></td>
        <td className="actions">
          {user.role === 'PENDING' && (
            <button className="primary" disabled={busy} onClick={() => run(setRole({ id: user.id, role: 'USER' }))}>
              Approve
            </button>
          )}
          <button className="danger" disabled={busy}
            onClick={() => window.confirm(`Delete ${user.email ?? user.name}? Their sessions and API keys go too.`) && run(deleteUser({ id: user.id }))}>
            Delete
          </button>
        </td>
      </tr>
      {error && (
        <tr>
          <td colSpan={6}><ErrorMessage error={error} /></td>
        </tr>
      )}
    </>
  );
}
