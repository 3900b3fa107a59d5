// Configuration: every section of the system configuration as a form rendered from the field
// descriptions below (form.tsx), each saved by its own mutation, each field's server error shown
// at the field; and export/import of the whole (ConfigExchange.tsx). Secrets (connection and tool server keys, Jupyter tokens, client secrets, the LDAP
// password) are write-only: left empty, the stored one is kept.
import { useState } from 'react';
import { useClient, useMutation, useQuery, type CombinedError, type TypedDocumentNode } from 'urql';
import { graphql } from '../../gql';
import { ErrorMessage } from '../errors';
import { SpecForm, fieldProblems, type Field } from '../form';
import { ConfigExchange } from './ConfigExchange';

const ConfigQuery = graphql(`
  query ConsoleConfig {
    config {
      ui { name defaultLocale }
      auth { enableSignup defaultUserRole defaultGroupId jwtExpiresIn enableApiKeys showAdminDetails passwordMinLength }
      rateLimits {
        enabled
        signinPerEmail { rate periodSeconds }
        signinPerIp { rate periodSeconds }
        signupPerIp { rate periodSeconds }
        mutationsPerUser { rate periodSeconds }
        requestsPerIp { rate periodSeconds }
      }
      connections { enableDirectConnections enableBaseModelsCache openai { id url keySet enabled modelIds timeoutSeconds } }
      codeExecution {
        enableCodeExecution codeExecutionEngine
        codeExecutionJupyter { url auth tokenSet passwordSet timeout }
        enableCodeInterpreter codeInterpreterEngine codeInterpreterPromptTemplate
        codeInterpreterJupyter { url auth tokenSet passwordSet timeout }
      }
      models { defaultModels defaultPinnedModels modelOrderList }
      promptSuggestions { title content }
      banners { id type title content dismissible timestamp }
      toolServers { id url path type authType keySet headers config info }
      oauth {
        providers {
          id name issuerUrl clientId clientSecretSet scopes redirectUri usernameClaim emailClaim pictureClaim
          rolesClaim groupsClaim claimSeparator enableSignup mergeAccountsByEmail allowedDomains roleManagement
          allowedRoles adminRoles groupManagement groupCreation blockedGroups
        }
      }
      ldap {
        enabled host port useTls caCertFile validateCert appDn appPasswordSet searchBase searchFilters
        attributeForUsername attributeForMail groupManagement attributeForGroups groupCreation blockedGroups enableSignup
      }
    }
  }
`);

// The groups a new account may join, for the auth section's choice (ids are what the API takes).
const GroupChoices = graphql(`
  query ConsoleConfigGroups {
    groups(first: 200) { edges { node { id name } } }
  }
`);

const UpdateUI = graphql(`mutation ConsoleUpdateUI($input: UIConfigInput!) { updateUIConfig(input: $input) { name } }`);
const UpdateAuth = graphql(`mutation ConsoleUpdateAuth($input: AuthConfigInput!) { updateAuthConfig(input: $input) { passwordMinLength } }`);
const UpdateRateLimits = graphql(`mutation ConsoleUpdateRateLimits($input: RateLimitsConfigInput!) { updateRateLimitsConfig(input: $input) { enabled } }`);
const UpdateConnections = graphql(`mutation ConsoleUpdateConnections($input: ConnectionsConfigInput!) { updateConnectionsConfig(input: $input) { enableDirectConnections } }`);
const UpdateCodeExecution = graphql(`mutation ConsoleUpdateCodeExecution($input: CodeExecutionConfigInput!) { updateCodeExecutionConfig(input: $input) { enableCodeExecution } }`);
const UpdateModels = graphql(`mutation ConsoleUpdateModels($input: ModelsConfigInput!) { updateModelsConfig(input: $input) { defaultModels } }`);
const SetSuggestions = graphql(`mutation ConsoleSetSuggestions($suggestions: [PromptSuggestionInput!]!) { setPromptSuggestions(suggestions: $suggestions) { content } }`);
const SetBanners = graphql(`mutation ConsoleSetBanners($banners: [BannerInput!]!) { setBanners(banners: $banners) { id } }`);
const SetToolServers = graphql(`mutation ConsoleSetToolServers($servers: [ToolServerInput!]!) { setToolServers(servers: $servers) { id } }`);
const VerifyToolServer = graphql(`
  mutation ConsoleVerifyToolServer($input: ToolServerInput!) {
    verifyToolServer(input: $input) { type name version specVersion operations }
  }
`);
const SetOAuth = graphql(`mutation ConsoleSetOAuth($providers: [OAuthProviderInput!]!) { setOAuthProviders(providers: $providers) { id } }`);
const SetLDAP = graphql(`mutation ConsoleSetLDAP($input: LDAPConfigInput!) { setLDAPConfig(input: $input) { enabled } }`);

const rule = (key: string, label: string): Field => ({
  key, label, kind: 'object',
  fields: [
    { key: 'rate', label: 'Events (0 turns the rule off)', kind: 'int' },
    { key: 'periodSeconds', label: 'Per seconds', kind: 'int' },
  ],
});

const engines = ['PYODIDE', 'JUPYTER'] as const;
const jupyter = (key: string, label: string): Field => ({
  key, label, kind: 'object',
  fields: [
    { key: 'url', label: 'Jupyter URL', kind: 'text' },
    { key: 'auth', label: 'Authentication', kind: 'enum', options: ['NONE', 'TOKEN', 'PASSWORD'] },
    { key: 'token', label: 'Token', kind: 'secret', setFlag: 'tokenSet' },
    { key: 'password', label: 'Password', kind: 'secret', setFlag: 'passwordSet' },
    { key: 'timeout', label: 'Timeout (seconds)', kind: 'int' },
  ],
});

type Config = Record<string, unknown>;

/** A section: its fields, where its value is in `config`, and how it is saved. */
type Section = {
  id: string;
  title: string;
  fields: Field[];
  read: (c: Config) => Record<string, unknown>;
  mutation: TypedDocumentNode<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The mutation's variables from the form's input; list sections send one list argument. */
  vars: (input: Record<string, unknown>) => Record<string, unknown>;
  argPrefix?: string;
};

const list = (argName: string, key: string) => ({
  read: (c: Config) => ({ [key]: c[key] }),
  vars: (input: Record<string, unknown>) => ({ [argName]: input[key] }),
  argPrefix: argName,
});

export const sections: Section[] = [
  {
    id: 'ui', title: 'Interface', mutation: UpdateUI, read: (c) => c.ui as Config, vars: (input) => ({ input }),
    fields: [
      { key: 'name', label: 'Platform name', kind: 'text' },
      { key: 'defaultLocale', label: 'Default language (e.g. en-US; empty lets the browser choose)', kind: 'text' },
    ],
  },
  {
    id: 'auth', title: 'Sign-up and sign-in', mutation: UpdateAuth, read: (c) => c.auth as Config, vars: (input) => ({ input }),
    fields: [
      { key: 'enableSignup', label: 'Allow sign-up', kind: 'bool' },
      { key: 'defaultUserRole', label: 'Role of new accounts', kind: 'enum', options: ['PENDING', 'USER', 'ADMIN'] },
      { key: 'defaultGroupId', label: 'Group every new account joins (id; empty for none)', kind: 'text' },
      { key: 'jwtExpiresIn', label: 'Token lifetime (30m, 12h, 4w, -1 for never)', kind: 'text' },
      { key: 'enableApiKeys', label: 'Allow API keys', kind: 'bool' },
      { key: 'showAdminDetails', label: "Show the first admin's contact to pending users", kind: 'bool' },
      { key: 'passwordMinLength', label: 'Minimum password length', kind: 'int' },
    ],
  },
  {
    id: 'rate-limits', title: 'Rate limits', mutation: UpdateRateLimits, read: (c) => c.rateLimits as Config, vars: (input) => ({ input }),
    fields: [
      { key: 'enabled', label: 'Rate limits on', kind: 'bool' },
      rule('signinPerEmail', 'Sign-in attempts per email'),
      rule('signinPerIp', 'Sign-in attempts per address'),
      rule('signupPerIp', 'Sign-ups per address'),
      rule('mutationsPerUser', 'Mutations per user'),
      rule('requestsPerIp', 'Requests per address'),
    ],
  },
  {
    id: 'connections', title: 'Connections', mutation: UpdateConnections, read: (c) => c.connections as Config, vars: (input) => ({ input }),
    fields: [
      { key: 'enableDirectConnections', label: 'Direct connections', kind: 'bool' },
      { key: 'enableBaseModelsCache', label: 'Cache the base models list', kind: 'bool' },
      {
        key: 'openai', label: 'OpenAI-compatible upstreams (tried in this order)', kind: 'records', itemLabel: 'Upstream',
        blank: () => ({ url: '', enabled: true, modelIds: [], timeoutSeconds: 0 }),
        fields: [
          { key: 'id', label: 'Id', kind: 'hidden' },
          { key: 'url', label: 'Base URL', kind: 'text' },
          { key: 'key', label: 'API key (write-only)', kind: 'secret', setFlag: 'keySet' },
          { key: 'enabled', label: 'Enabled', kind: 'bool' },
          { key: 'modelIds', label: 'Models it serves (comma-separated; empty: all)', kind: 'list' },
          { key: 'timeoutSeconds', label: 'Time to first byte (seconds; 0: 60)', kind: 'int' },
        ],
      },
    ],
  },
  {
    id: 'code-execution', title: 'Code execution', mutation: UpdateCodeExecution, read: (c) => c.codeExecution as Config, vars: (input) => ({ input }),
    fields: [
      { key: 'enableCodeExecution', label: 'Code execution', kind: 'bool' },
      { key: 'codeExecutionEngine', label: 'Code execution engine', kind: 'enum', options: engines },
      jupyter('codeExecutionJupyter', 'Code execution Jupyter'),
      { key: 'enableCodeInterpreter', label: 'Code interpreter', kind: 'bool' },
      { key: 'codeInterpreterEngine', label: 'Code interpreter engine', kind: 'enum', options: engines },
      { key: 'codeInterpreterPromptTemplate', label: 'Code interpreter prompt template', kind: 'textarea' },
      jupyter('codeInterpreterJupyter', 'Code interpreter Jupyter'),
    ],
  },
  {
    id: 'models', title: 'Models', mutation: UpdateModels, read: (c) => c.models as Config, vars: (input) => ({ input }),
    fields: [
      { key: 'defaultModels', label: 'Default models (comma-separated ids)', kind: 'list' },
      { key: 'defaultPinnedModels', label: 'Pinned models', kind: 'list' },
      { key: 'modelOrderList', label: 'Model order', kind: 'list' },
    ],
  },
  {
    id: 'prompt-suggestions', title: 'Prompt suggestions', mutation: SetSuggestions, ...list('suggestions', 'promptSuggestions'),
    fields: [{
      key: 'promptSuggestions', label: 'Suggestions', kind: 'records', itemLabel: 'Suggestion', blank: () => ({ title: [], content: '' }),
      fields: [
        { key: 'title', label: 'Title and subtitle (comma-separated)', kind: 'list' },
        { key: 'content', label: 'Prompt', kind: 'textarea' },
      ],
    }],
  },
  {
    id: 'banners', title: 'Banners', mutation: SetBanners, ...list('banners', 'banners'),
    fields: [{
      key: 'banners', label: 'Banners', kind: 'records', itemLabel: 'Banner', blank: () => ({ type: 'INFO', title: '', content: '', dismissible: true }),
      fields: [
        { key: 'id', label: 'Id', kind: 'hidden' },
        { key: 'timestamp', label: 'Shown since', kind: 'hidden' },
        { key: 'type', label: 'Type', kind: 'enum', options: ['INFO', 'SUCCESS', 'WARNING', 'ERROR'] },
        { key: 'title', label: 'Title', kind: 'text' },
        { key: 'content', label: 'Text', kind: 'textarea' },
        { key: 'dismissible', label: 'Dismissible', kind: 'bool' },
      ],
    }],
  },
  {
    id: 'tool-servers', title: 'Tool servers', mutation: SetToolServers, ...list('servers', 'toolServers'),
    fields: [{
      key: 'toolServers', label: 'Servers', kind: 'records', itemLabel: 'Server', blank: () => ({ url: '', path: 'openapi.json', type: 'OPENAPI', authType: 'NONE' }),
      fields: [
        { key: 'id', label: 'Id', kind: 'hidden' },
        { key: 'url', label: 'URL', kind: 'text' },
        { key: 'path', label: 'OpenAPI path (empty for MCP)', kind: 'text' },
        { key: 'type', label: 'Type', kind: 'enum', options: ['OPENAPI', 'MCP'] },
        { key: 'authType', label: 'Authentication', kind: 'enum', options: ['NONE', 'BEARER', 'SESSION', 'SYSTEM_OAUTH', 'OAUTH21'] },
        { key: 'key', label: 'Key (write-only)', kind: 'secret', setFlag: 'keySet' },
        { key: 'headers', label: 'Extra headers (JSON object; "********" keeps a stored value)', kind: 'json' },
        { key: 'config', label: 'Config (JSON)', kind: 'json' },
        { key: 'info', label: 'Info (JSON)', kind: 'json' },
      ],
    }],
  },
  {
    id: 'oauth', title: 'OpenID Connect providers', mutation: SetOAuth,
    read: (c) => ({ providers: (c.oauth as Config).providers }),
    vars: (input) => ({ providers: input.providers }),
    argPrefix: 'providers',
    fields: [{
      key: 'providers', label: 'Providers', kind: 'records', itemLabel: 'Provider',
      blank: () => ({
        id: '', name: '', issuerUrl: '', clientId: '', scopes: ['openid', 'email', 'profile'], redirectUri: '', usernameClaim: 'name',
        emailClaim: 'email', pictureClaim: 'picture', rolesClaim: 'roles', groupsClaim: 'groups', claimSeparator: ',', enableSignup: false,
        mergeAccountsByEmail: false, allowedDomains: [], roleManagement: false, allowedRoles: [], adminRoles: [], groupManagement: false,
        groupCreation: false, blockedGroups: [],
      }),
      fields: [
        { key: 'id', label: 'Id (in /oauth/{id}/login)', kind: 'text' },
        { key: 'name', label: 'Name', kind: 'text' },
        { key: 'issuerUrl', label: 'Issuer URL', kind: 'text' },
        { key: 'clientId', label: 'Client id', kind: 'text' },
        { key: 'clientSecret', label: 'Client secret (write-only)', kind: 'secret', setFlag: 'clientSecretSet' },
        { key: 'scopes', label: 'Scopes', kind: 'list' },
        { key: 'redirectUri', label: 'Redirect URI (empty: this host)', kind: 'text' },
        { key: 'usernameClaim', label: 'Username claim', kind: 'text' },
        { key: 'emailClaim', label: 'Email claim', kind: 'text' },
        { key: 'pictureClaim', label: 'Picture claim', kind: 'text' },
        { key: 'rolesClaim', label: 'Roles claim', kind: 'text' },
        { key: 'groupsClaim', label: 'Groups claim', kind: 'text' },
        { key: 'claimSeparator', label: 'Claim separator', kind: 'text' },
        { key: 'enableSignup', label: 'Sign-up through this provider', kind: 'bool' },
        { key: 'mergeAccountsByEmail', label: 'Link accounts by verified email', kind: 'bool' },
        { key: 'allowedDomains', label: 'Allowed email domains', kind: 'list' },
        { key: 'roleManagement', label: 'Role from the roles claim', kind: 'bool' },
        { key: 'allowedRoles', label: 'Allowed roles', kind: 'list' },
        { key: 'adminRoles', label: 'Admin roles', kind: 'list' },
        { key: 'groupManagement', label: 'Groups from the groups claim', kind: 'bool' },
        { key: 'groupCreation', label: 'Create missing groups', kind: 'bool' },
        { key: 'blockedGroups', label: 'Blocked groups', kind: 'list' },
      ],
    }],
  },
  {
    id: 'ldap', title: 'LDAP', mutation: SetLDAP, read: (c) => c.ldap as Config, vars: (input) => ({ input }),
    fields: [
      { key: 'enabled', label: 'LDAP sign-in', kind: 'bool' },
      { key: 'host', label: 'Host', kind: 'text' },
      { key: 'port', label: 'Port', kind: 'int' },
      { key: 'useTls', label: 'LDAPS', kind: 'bool' },
      { key: 'caCertFile', label: 'CA certificate file', kind: 'text' },
      { key: 'validateCert', label: 'Validate the certificate', kind: 'bool' },
      { key: 'appDn', label: 'Service account DN', kind: 'text' },
      { key: 'appPassword', label: 'Service account password (write-only)', kind: 'secret', setFlag: 'appPasswordSet' },
      { key: 'searchBase', label: 'Search base', kind: 'text' },
      { key: 'searchFilters', label: 'Extra filter, e.g. (objectClass=person)', kind: 'text' },
      { key: 'attributeForUsername', label: 'Username attribute', kind: 'text' },
      { key: 'attributeForMail', label: 'Mail attribute', kind: 'text' },
      { key: 'groupManagement', label: 'Groups from the directory', kind: 'bool' },
      { key: 'attributeForGroups', label: 'Groups attribute', kind: 'text' },
      { key: 'groupCreation', label: 'Create missing groups', kind: 'bool' },
      { key: 'blockedGroups', label: 'Blocked groups', kind: 'list' },
      { key: 'enableSignup', label: 'Sign-up through LDAP', kind: 'bool' },
    ],
  },
];

/** withGroups makes the default group a choice among the groups (by name), or none. */
function withGroups(section: Section, groups: { id: string; name: string }[] | undefined, current: string): Section {
  if (section.id !== 'auth' || !groups) return section;
  const labels: Record<string, string> = { '': 'none' };
  for (const g of groups) labels[g.id] = g.name;
  // A stored id that is no longer among the listed groups stays selectable, so saving keeps it.
  if (current && !labels[current]) labels[current] = `${current} (not found)`;
  const field: Field = { key: 'defaultGroupId', label: 'Group every new account joins', kind: 'enum', options: Object.keys(labels), labels };
  return { ...section, fields: section.fields.map((f) => (f.key === 'defaultGroupId' ? field : f)) };
}

export function Config() {
  const [result, refetch] = useQuery({ query: ConfigQuery, requestPolicy: 'network-only' });
  const [groups] = useQuery({ query: GroupChoices, requestPolicy: 'network-only' });
  const [open, setOpen] = useState(sections[0].id);
  const config = result.data?.config as Config | undefined;
  const groupList = groups.data?.groups.edges?.flatMap((e) => (e?.node ? [e.node] : []));
  const section = withGroups(sections.find((s) => s.id === open) ?? sections[0], groupList, result.data?.config.auth.defaultGroupId ?? '');
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <section aria-labelledby="config-title">
      <h1 id="config-title">Configuration</h1>
      <ErrorMessage error={result.error ?? groups.error} />
      <nav className="tabs" aria-label="Configuration sections">
        {sections.map((s) => (
          <button key={s.id} type="button" aria-pressed={s.id === open} onClick={() => setOpen(s.id)}>{s.title}</button>
        ))}
        <button type="button" aria-pressed={open === 'exchange'} onClick={() => setOpen('exchange')}>Export and import</button>
      </nav>
      {open === 'exchange' ? (
        <ConfigExchange onImported={reload} />
      ) : (
        config && <SectionForm key={`${section.id}-${result.operation?.key ?? ''}`} section={section} config={config} onSaved={reload} />
      )}
    </section>
  );
}

function SectionForm({ section, config, onSaved }: { section: Section; config: Config; onSaved: () => void }) {
  const [, run] = useMutation(section.mutation);
  return (
    <SpecForm id={`config-${section.id}`} title={section.title} fields={section.fields} initial={section.read(config)}
      argPrefix={section.argPrefix} save={(input) => run(section.vars(input))} onSaved={onSaved}
      recordActions={section.id === 'tool-servers' ? (input, i) => <VerifyServer input={input} index={i} /> : undefined} />
  );
}

/** VerifyServer asks the server to reach a tool server as entered and says what it found. */
function VerifyServer({ input, index }: { input: Record<string, unknown>; index: number }) {
  const client = useClient();
  const [state, setState] = useState<{ text?: string; error?: CombinedError; busy?: boolean }>({});
  async function verify() {
    setState({ busy: true });
    const res = await client.mutation(VerifyToolServer, { input: input as never }).toPromise();
    const v = res.data?.verifyToolServer;
    setState({
      error: res.error,
      text: v ? `${v.type} "${v.name}" ${v.version} (${v.specVersion}), ${v.operations} operations` : undefined,
    });
  }
  const fields = fieldProblems(state.error);
  return (
    <span className="verify">
      <button type="button" onClick={verify} disabled={state.busy}>Verify server {index + 1}</button>
      {state.text && <output className="ok">{state.text}</output>}
      {fields.url && <output className="bad" role="alert">Not verified: {fields.url.message}</output>}
      <ErrorMessage error={state.error} fields={['url']} />
    </span>
  );
}
