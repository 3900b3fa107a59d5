// Models: every model (an admin reads them all), searched by name or id; create one, edit its
// name and base model, switch it on or off, delete it, and edit its access control — public, or
// read and write grants to groups and to users by email — seeing who can use it (usersWithAccess).
import { useEffect, useState, type FormEvent } from 'react';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import { ErrorMessage, FieldError, fieldErrors } from '../errors';

const ModelsQuery = graphql(`
  query ConsoleModels {
    models { id name baseModelID isActive accessControl updatedAt owner { id name email } }
    groups(first: 100) { edges { node { id name } } }
  }
`);

const CreateModel = graphql(`
  mutation ConsoleCreateModel($input: CreateModelInput!) {
    createModel(input: $input) { id }
  }
`);

const UpdateModel = graphql(`
  mutation ConsoleUpdateModel($id: ID!, $input: UpdateModelInput!) {
    updateModel(id: $id, input: $input) { id name baseModelID isActive accessControl }
  }
`);

const DeleteModel = graphql(`
  mutation ConsoleDeleteModel($id: ID!) {
    deleteModel(id: $id)
  }
`);

const WithAccess = graphql(`
  query ConsoleUsersWithAccess($id: ID!) {
    readers: usersWithAccess(modelId: $id, access: READ) { id name email }
    writers: usersWithAccess(modelId: $id, access: WRITE) { id name email }
  }
`);

const ModelUserByEmail = graphql(`
  query ConsoleModelUserByEmail($email: String!) {
    userByEmail(email: $email) { id email }
  }
`);

const ModelUsers = graphql(`
  query ConsoleModelUsers($ids: [ID!]!) {
    nodes(ids: $ids) { ... on User { id email name } }
  }
`);

type Grant = { group_ids?: string[] | null; user_ids?: string[] | null };
/** AccessControl is a model's accessControl JSON: null means public. */
export type AccessControl = { read?: Grant | null; write?: Grant | null } | null;
type ModelRow = { id: string; name: string; baseModelID?: string | null; isActive: boolean; accessControl?: unknown; owner?: { name: string; email?: string | null } | null };
type Group = { id: string; name: string };

/** describeAccess says in words who a model's access control lets in. */
export function describeAccess(ac: AccessControl, groupName: (id: string) => string): string {
  if (!ac) return 'Public';
  const part = (g?: Grant | null) => {
    const groups = (g?.group_ids ?? []).map(groupName);
    const users = g?.user_ids?.length ?? 0;
    const bits = [...groups, ...(users ? [`${users} ${users === 1 ? 'user' : 'users'}`] : [])];
    return bits.length ? bits.join(', ') : 'nobody else';
  };
  return `Read: ${part(ac.read)}; write: ${part(ac.write)}`;
}

export function Models() {
  const [result, refetch] = useQuery({ query: ModelsQuery, requestPolicy: 'cache-and-network' });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const groups: Group[] = result.data?.groups.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const groupName = (id: string) => groups.find((g) => g.id === id)?.name ?? id;
  const q = search.trim().toLowerCase();
  const models = (result.data?.models ?? []).filter(
    (m) => !q || m.name.toLowerCase().includes(q) || m.id.toLowerCase().includes(q) || (m.baseModelID ?? '').toLowerCase().includes(q),
  );
  const current = result.data?.models.find((m) => m.id === editing);
  return (
    <section aria-labelledby="models-title">
      <h1 id="models-title">Models</h1>
      <div className="toolbar" role="search">
        <label>
          Search
          <input type="search" aria-label="Search models" value={search} placeholder="Name or id" onChange={(e) => setSearch(e.target.value)} />
        </label>
      </div>
      <ErrorMessage error={result.error} />
      <p className="count">{models.length} {models.length === 1 ? 'model' : 'models'}</p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr><th>Name</th><th>Id</th><th>Base model</th><th>Active</th><th>Access</th><th>Owner</th><th><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <ModelRowView key={m.id} model={m} access={describeAccess(m.accessControl as AccessControl, groupName)}
                onEdit={() => setEditing(m.id)} onChanged={reload} />
            ))}
          </tbody>
        </table>
      </div>
      {current && <EditModel key={current.id} model={current} groups={groups} onClose={() => setEditing(null)} onChanged={reload} />}
      <NewModel onCreated={reload} />
    </section>
  );
}

function ModelRowView({ model, access, onEdit, onChanged }: { model: ModelRow; access: string; onEdit: () => void; onChanged: () => void }) {
  const [updateState, update] = useMutation(UpdateModel);
  const [deleteState, del] = useMutation(DeleteModel);
  const [error, setError] = useState<CombinedError | undefined>();
  const run = async (p: Promise<{ error?: CombinedError }>) => {
    const res = await p;
    setError(res.error);
    if (!res.error) onChanged();
  };
  const busy = updateState.fetching || deleteState.fetching;
  return (
    <>
      <tr data-model={model.id}>
        <td>{model.name}</td>
        <td><code>{model.id}</code></td>
        <td>{model.baseModelID ?? '—'}</td>
        <td>
          <label className="check">
            <input type="checkbox" checked={model.isActive} disabled={busy} aria-label={`${model.name} active`}
              onChange={(e) => run(update({ id: model.id, input: { isActive: e.target.checked } }))} />
            {model.isActive ? 'on' : 'off'}
          </label>
        </td>
        <td data-access>{access}</td>
        <td>{model.owner ? model.owner.email ?? model.owner.name : '—'}</td>
        <td className="actions">
          <button onClick={onEdit} aria-label={`Edit ${model.name}`}>Edit</button>
          <button className="danger" disabled={busy} aria-label={`Delete ${model.name}`}
            onClick={() => window.confirm(`Delete the model ${model.name}?`) && run(del({ id: model.id }))}>
            Delete
          </button>
        </td>
      </tr>
      {error && (
        <tr><td colSpan={7}><ErrorMessage error={error} /></td></tr>
      )}
    </>
  );
}

function NewModel({ onCreated }: { onCreated: () => void }) {
  const [state, create] = useMutation(CreateModel);
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [base, setBase] = useState('');
  const errors = fieldErrors(state.error);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await create({ input: { id: id.trim(), name: name.trim(), baseModelId: base.trim() || null, isActive: true } });
    if (!res.error) {
      setId('');
      setName('');
      setBase('');
      onCreated();
    }
  }
  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-model-title">
      <h2 id="new-model-title">New model</h2>
      <label>
        Model id
        <input value={id} onChange={(e) => setId(e.target.value)} required placeholder="llama3"
          aria-invalid={errors.id ? true : undefined} aria-describedby={errors.id ? 'model-id-error' : undefined} />
      </label>
      <FieldError id="model-id-error" message={errors.id} />
      <label>
        Display name
        <input value={name} onChange={(e) => setName(e.target.value)} required
          aria-invalid={errors.name ? true : undefined} aria-describedby={errors.name ? 'model-name-error' : undefined} />
      </label>
      <FieldError id="model-name-error" message={errors.name} />
      <label>
        Base model (optional)
        <input value={base} onChange={(e) => setBase(e.target.value)}
          aria-invalid={errors.baseModelId ? true : undefined} aria-describedby={errors.baseModelId ? 'model-base-error' : undefined} />
      </label>
      <FieldError id="model-base-error" message={errors.baseModelId} />
      <p>A new model is public: every verified user may use it until you restrict it.</p>
      <ErrorMessage error={state.error} fields={['id', 'name', 'baseModelId']} />
      <button type="submit" className="primary" disabled={state.fetching}>Create model</button>
    </form>
  );
}

// EditModel edits the name, base model and access control together; user grants are typed as
// emails and resolved to ids before saving (an unknown email stops the save and says which).
function EditModel({ model, groups, onClose, onChanged }: { model: ModelRow; groups: Group[]; onClose: () => void; onChanged: () => void }) {
  const client = useClient();
  const [state, update] = useMutation(UpdateModel);
  const ac = (model.accessControl ?? null) as AccessControl;
  const [name, setName] = useState(model.name);
  const [base, setBase] = useState(model.baseModelID ?? '');
  const [restricted, setRestricted] = useState(ac !== null);
  const [readGroups, setReadGroups] = useState<string[]>(ac?.read?.group_ids ?? []);
  const [writeGroups, setWriteGroups] = useState<string[]>(ac?.write?.group_ids ?? []);
  const [readEmails, setReadEmails] = useState('');
  const [writeEmails, setWriteEmails] = useState('');
  const [lookupError, setLookupError] = useState<string | null>(null);
  const [emailsLoaded, setEmailsLoaded] = useState(false);
  const [access, refetchAccess] = useQuery({ query: WithAccess, variables: { id: model.id }, requestPolicy: 'network-only' });

  // The stored grants name user ids; show them as emails.
  const [known] = useQuery({
    query: ModelUsers,
    variables: { ids: [...(ac?.read?.user_ids ?? []), ...(ac?.write?.user_ids ?? [])] },
    pause: !ac || emailsLoaded,
  });
  useEffect(() => {
    if (emailsLoaded || !known.data) return;
    const email = (id: string) => {
      const n = known.data?.nodes.find((x) => x && 'id' in x && x.id === id);
      return n && 'email' in n ? n.email ?? id : id;
    };
    setReadEmails((ac?.read?.user_ids ?? []).map(email).join(', '));
    setWriteEmails((ac?.write?.user_ids ?? []).map(email).join(', '));
    setEmailsLoaded(true);
  }, [known.data, emailsLoaded, ac]);

  async function idsOf(text: string): Promise<string[] | null> {
    const ids: string[] = [];
    for (const email of text.split(/[\s,]+/).filter(Boolean)) {
      const r = await client.query(ModelUserByEmail, { email }, { requestPolicy: 'network-only' }).toPromise();
      const u = r.data?.userByEmail;
      if (!u) {
        setLookupError(r.error ? r.error.message : `No account has the email ${email}.`);
        return null;
      }
      ids.push(u.id);
    }
    return ids;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setLookupError(null);
    let accessControl: AccessControl = null;
    if (restricted) {
      const readUsers = await idsOf(readEmails);
      const writeUsers = readUsers && (await idsOf(writeEmails));
      if (!readUsers || !writeUsers) return;
      accessControl = { read: { group_ids: readGroups, user_ids: readUsers }, write: { group_ids: writeGroups, user_ids: writeUsers } };
    }
    const res = await update({ id: model.id, input: { name: name.trim(), baseModelId: base.trim() || null, accessControl } });
    if (!res.error) {
      onChanged();
      refetchAccess({ requestPolicy: 'network-only' });
    }
  }

  const toggle = (list: string[], set: (l: string[]) => void, id: string) => set(list.includes(id) ? list.filter((x) => x !== id) : [...list, id]);
  const errors = fieldErrors(state.error);
  const who = (list?: { id: string; name: string; email?: string | null }[]) =>
    list?.length ? list.map((u) => u.email ?? u.name).join(', ') : 'nobody';

  return (
    <form className="card" onSubmit={submit} aria-labelledby="edit-model-title" data-edit-model={model.id}>
      <h2 id="edit-model-title">Edit {model.name}</h2>
      <label>
        Display name
        {/* The form opens on a row's Edit button, below the list: the keyboard (and the view) follow. */}
        <input autoFocus value={name} onChange={(e) => setName(e.target.value)} required
          aria-invalid={errors.name ? true : undefined} aria-describedby={errors.name ? 'edit-name-error' : undefined} />
      </label>
      <FieldError id="edit-name-error" message={errors.name} />
      <label>
        Base model
        <input value={base} onChange={(e) => setBase(e.target.value)} />
      </label>
      <fieldset>
        <legend>Access</legend>
        <label className="check">
          <input type="radio" name="access" checked={!restricted} onChange={() => setRestricted(false)} />
          Public: every verified user reads it
        </label>
        <label className="check">
          <input type="radio" name="access" checked={restricted} onChange={() => setRestricted(true)} />
          Restricted to the groups and users below
        </label>
      </fieldset>
      {restricted && (
        <>
          <fieldset>
            <legend>Groups that may read</legend>
            {groups.length === 0 && <p>No groups yet.</p>}
            {groups.map((g) => (
              <label key={g.id} className="check">
                <input type="checkbox" checked={readGroups.includes(g.id)} onChange={() => toggle(readGroups, setReadGroups, g.id)}
                  aria-label={`${g.name} may read`} />
                {g.name}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Groups that may write (write implies read)</legend>
            {groups.map((g) => (
              <label key={g.id} className="check">
                <input type="checkbox" checked={writeGroups.includes(g.id)} onChange={() => toggle(writeGroups, setWriteGroups, g.id)}
                  aria-label={`${g.name} may write`} />
                {g.name}
              </label>
            ))}
          </fieldset>
          <label>
            Users who may read (emails, comma-separated)
            <input value={readEmails} onChange={(e) => setReadEmails(e.target.value)} />
          </label>
          <label>
            Users who may write (emails, comma-separated)
            <input value={writeEmails} onChange={(e) => setWriteEmails(e.target.value)} />
          </label>
        </>
      )}
      {lookupError && <div className="alert" role="alert"><p><strong>Check the input.</strong> {lookupError}</p></div>}
      <ErrorMessage error={state.error} fields={['name']} />
      <div className="toolbar">
        <button type="submit" className="primary" disabled={state.fetching}>Save model</button>
        <button type="button" onClick={onClose}>Close</button>
      </div>
      <h3>Who can use it</h3>
      <ErrorMessage error={access.error} />
      <dl className="explanation">
        <dt>Read</dt><dd data-readers>{who(access.data?.readers)}</dd>
        <dt>Write</dt><dd data-writers>{who(access.data?.writers)}</dd>
      </dl>
    </form>
  );
}
