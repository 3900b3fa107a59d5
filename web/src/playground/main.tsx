// The GraphQL playground at /: GraphiQL built from npm into the embedded assets, so it works
// without internet. Queries go to /graphql with the session cookie (same origin) or whatever the
// header editor holds; subscriptions use graphql-ws on the same path, with the header editor's
// headers as the connection_init payload (the server reads Authorization from it).
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './playground.css';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { createRoot } from 'react-dom/client';

const url = new URL('/graphql', window.location.href);
const subscriptionUrl = new URL(url);
subscriptionUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';

const fetcher = createGraphiQLFetcher({ url: url.href, subscriptionUrl: subscriptionUrl.href });

const defaultQuery = `# steward's GraphQL API. Signed in at /admin/, the session cookie is sent;
# otherwise paste {"Authorization": "Bearer <token or sk-key>"} in the Headers tab.
query Me {
  me { id name email role }
}
`;

// ?query= and ?variables= open a shared operation in a new tab. Headers are never read from the
// URL: a token there would end up in the browser's history and in referrers.
const params = new URLSearchParams(window.location.search);

const root = document.getElementById('graphiql');
if (root) {
  createRoot(root).render(
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={defaultQuery}
      initialQuery={params.get('query') ?? undefined}
      initialVariables={params.get('variables') ?? undefined}
    />,
  );
}
