// Groups: the list a page at a time with member counts and denials, each group's members (paged),
// a form to create one (each field's error shown at the field), adding a member, and "why":
// explainPermission for a user and a permission key.
import { Fragment, useState, type FormEvent } from 'react';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import { ErrorMessage, FieldError, fieldErrors } from '../errors';
import { GroupMembers } from './GroupMembers';
import { Pager } from '../Pager';

const GroupsQuery = graphql(`
  query ConsoleGroups($first: Int!, $after: Cursor) {
    groups(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name description memberCount deniedPermissions permissions } }
    }
  }
`);

const CreateGroup = graphql(`
  mutation ConsoleCreateGroup($input: CreateGroupInput!) {
    createGroup(input: $input) { id name }
  }
`);

const AddMembers = graphql(`
  mutation ConsoleAddMembers($groupId: ID!, $userIds: [ID!]!) {
    addGroupMembers(groupId: $groupId, userIds: $userIds) { group { id memberCount } }
  }
`);

// The API takes user ids; the console finds the one account an email names.
const UserByEmail = graphql(`
  query ConsoleUserByEmail($query: String!) {
    users(first: 2, query: $query) { edges { node { id email } } }
  }
`);

const Explain = graphql(`
  query ConsoleExplain($userId: ID!, $key: String!) {
    explainPermission(userId: $userId, key: $key) {
      key granted known reason
      sources { kind groupName value }
    }
  }
`);

/** splitKeys reads a comma- or newline-separated list of permission keys. */
export function splitKeys(text: string): string[] {
  return text.split(/[\s,]+/).map((k) => k.trim()).filter(Boolean);
}

export const groupsPageSize = 20;

export function Groups() {
  const [cursors, setCursors] = useState<(string | null)[]>([]);
  const after = cursors.length ? cursors[cursors.length - 1] : null;
  const [open, setOpen] = useState<string | null>(null);
  const [result, refetch] = useQuery({ query: GroupsQuery, variables: { first: groupsPageSize, after }, requestPolicy: 'cache-and-network' });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const groups = result.data?.groups.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const pageInfo = result.data?.groups.pageInfo;
  return (
    <section aria-labelledby="groups-title">
      <h1 id="groups-title">Groups</h1>
      <ErrorMessage error={result.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr><th>Name</th><th>Description</th><th>Members</th><th>List</th><th>Denies</th><th>Add a member</th></tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <Fragment key={g.id}>
                <tr data-group={g.name}>
                  <td>{g.name}</td>
                  <td>{g.description}</td>
                  <td>{g.memberCount}</td>
                  <td>
                    <button type="button" aria-expanded={open === g.id} onClick={() => setOpen(open === g.id ? null : g.id)}>
                      Members of {g.name}
                    </button>
                  </td>
                  <td>{g.deniedPermissions?.length ? g.deniedPermissions.join(', ') : '—'}</td>
                  <td><AddMember groupId={g.id} groupName={g.name} onAdded={reload} /></td>
                </tr>
                {open === g.id && (
                  <tr className="detail"><td colSpan={6}><GroupMembers groupId={g.id} groupName={g.name} onChanged={reload} /></td></tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      <Pager cursors={cursors} setCursors={setCursors} pageInfo={pageInfo} previous="Previous groups" next="Next groups">
        <span className="count">{result.data ? `${result.data.groups.totalCount} groups` : ''}</span>
      </Pager>
      <div className="columns">
        <NewGroup onCreated={reload} />
        <Why />
      </div>
    </section>
  );
}

function NewGroup({ onCreated }: { onCreated: () => void }) {
  const [state, create] = useMutation(CreateGroup);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [denied, setDenied] = useState('');
  const fields = fieldErrors(state.error);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await create({ input: { name, description, deniedPermissions: splitKeys(denied) } });
    if (!res.error) {
      setName('');
      setDescription('');
      setDenied('');
      onCreated();
    }
  }
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="new-group">
      <h2 id="new-group">New group</h2>
      <label htmlFor="group-name">Name</label>
      <input id="group-name" value={name} onChange={(e) => setName(e.target.value)}
        aria-invalid={!!fields.name} aria-describedby="group-name-error" />
      <FieldError id="group-name-error" message={fields.name} />
      <label htmlFor="group-description">Description</label>
      <input id="group-description" value={description} onChange={(e) => setDescription(e.target.value)}
        aria-invalid={!!fields.description} aria-describedby="group-description-error" />
      <FieldError id="group-description-error" message={fields.description} />
      <label htmlFor="group-denied">Denied permissions (keys, comma-separated)</label>
      <input id="group-denied" value={denied} placeholder="workspace.models" onChange={(e) => setDenied(e.target.value)}
        aria-invalid={!!fields.deniedPermissions} aria-describedby="group-denied-error" />
      <FieldError id="group-denied-error" message={fields.deniedPermissions} />
      <ErrorMessage error={state.error} fields={['name', 'description', 'deniedPermissions']} />
      <button type="submit" className="primary" disabled={state.fetching}>Create group</button>
    </form>
  );
}

function AddMember({ groupId, groupName, onAdded }: { groupId: string; groupName: string; onAdded: () => void }) {
  const client = useClient();
  const [state, add] = useMutation(AddMembers);
  const [email, setEmail] = useState('');
  const [notFound, setNotFound] = useState('');
  const [lookupError, setLookupError] = useState<CombinedError | undefined>();
  async function submit(e: FormEvent) {
    e.preventDefault();
    setNotFound('');
    const found = await client.query(UserByEmail, { query: email }, { requestPolicy: 'network-only' }).toPromise();
    setLookupError(found.error);
    const match = found.data?.users.edges?.find((u) => u?.node?.email?.toLowerCase() === email.trim().toLowerCase());
    if (!match?.node) {
      if (!found.error) setNotFound(`No account has the email ${email}.`);
      return;
    }
    const res = await add({ groupId, userIds: [match.node.id] });
    if (!res.error) {
      setEmail('');
      onAdded();
    }
  }
  return (
    <form className="inline" onSubmit={submit}>
      <input aria-label={`Email of a user to add to ${groupName}`} type="email" value={email} placeholder="email"
        onChange={(e) => setEmail(e.target.value)} aria-describedby={`add-${groupId}-error`} />
      <button type="submit" disabled={state.fetching || !email}>Add</button>
      <FieldError id={`add-${groupId}-error`} message={notFound} />
      <ErrorMessage error={lookupError ?? state.error} />
    </form>
  );
}

function Why() {
  const client = useClient();
  const [email, setEmail] = useState('');
  const [key, setKey] = useState('');
  const [error, setError] = useState<CombinedError | undefined>();
  const [notFound, setNotFound] = useState('');
  const [answer, setAnswer] = useState<{ key: string; granted: boolean; known: boolean; reason: string;
    sources: { kind: string; groupName?: string | null; value: boolean }[] } | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setAnswer(null);
    setNotFound('');
    const found = await client.query(UserByEmail, { query: email }, { requestPolicy: 'network-only' }).toPromise();
    const match = found.data?.users.edges?.find((u) => u?.node?.email?.toLowerCase() === email.trim().toLowerCase());
    if (!match?.node) {
      setError(found.error);
      if (!found.error) setNotFound(`No account has the email ${email}.`);
      return;
    }
    const res = await client.query(Explain, { userId: match.node.id, key }, { requestPolicy: 'network-only' }).toPromise();
    setError(res.error);
    setAnswer(res.data?.explainPermission ?? null);
  }
  const fields = fieldErrors(error);
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="why-title">
      <h2 id="why-title">Why? Explain a permission</h2>
      <label htmlFor="why-email">User's email</label>
      <input id="why-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} aria-describedby="why-email-error" />
      <FieldError id="why-email-error" message={notFound || fields.userId} />
      <label htmlFor="why-key">Permission key</label>
      <input id="why-key" value={key} placeholder="workspace.models" onChange={(e) => setKey(e.target.value)}
        aria-invalid={!!fields.key} aria-describedby="why-key-error" />
      <FieldError id="why-key-error" message={fields.key} />
      <ErrorMessage error={error} fields={['userId', 'key']} />
      <button type="submit" className="primary" disabled={!email || !key}>Explain</button>
      {answer && (
        <output className="explanation" aria-live="polite">
          <p>
            <strong className={answer.granted ? 'ok' : 'bad'}>{answer.granted ? 'Granted' : 'Denied'}</strong>{' '}
            {answer.key}: {answer.reason}
          </p>
          {!answer.known && <p>This key is not a known permission.</p>}
          <ul>
            {answer.sources.map((s, i) => (
              <li key={i}>
                {sourceLabel(s.kind)}{s.groupName ? ` "${s.groupName}"` : ''}: {s.value ? 'grants' : 'denies'}
              </li>
            ))}
          </ul>
        </output>
      )}
    </form>
  );
}

function sourceLabel(kind: string): string {
  switch (kind) {
    case 'ADMIN_ROLE': return 'The admin role';
    case 'DEFAULT': return 'The default permissions';
    case 'GROUP_GRANT': return 'Group';
    case 'GROUP_DENY': return 'Group';
    default: return kind;
  }
}
