// The console's frame: who is signed in decides between the sign-in page and the console; the
// console's pages are client-side routes under /admin/ (the server answers index.html for them).
import { useState } from 'react';
import { Link, Route, Router, Switch, useRoute } from 'wouter';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import { ErrorMessage } from './errors';
import { applyTheme, currentTheme } from './theme';
import { SignIn } from './pages/SignIn';
import { Users } from './pages/Users';
import { Groups } from './pages/Groups';
import { Audit } from './pages/Audit';
import { Plans } from './pages/Plans';
import { Dashboard } from './pages/Dashboard';
import { LiveUsage } from './pages/LiveUsage';
// Console part A (#18): an account's page, models and their access, payments.
import { UserDetail } from './pages/UserDetail';
import { Models } from './pages/Models';
import { Payments } from './pages/Payments';
// Console part B (issue 18): configuration and a plan's own page.
import { Config } from './pages/Config';
import { PlanDetail } from './pages/PlanDetail';

const MeQuery = graphql(`
  query ConsoleMe {
    me { id name email role }
  }
`);

const SignOut = graphql(`
  mutation ConsoleSignOut {
    signout
  }
`);

const pages = [
  { path: '/users', label: 'Users' },
  { path: '/groups', label: 'Groups' },
  { path: '/plans', label: 'Plans' },
  { path: '/analytics', label: 'Analytics' },
  { path: '/live', label: 'Live usage' },
  { path: '/audit', label: 'Audit log' },
  { path: '/models', label: 'Models' },
  { path: '/payments', label: 'Payments' },
  { path: '/config', label: 'Configuration' },
];

export function App() {
  const [me, refetchMe] = useQuery({ query: MeQuery, requestPolicy: 'network-only' });
  const reload = () => refetchMe({ requestPolicy: 'network-only' });
  if (me.fetching && !me.data) return <p className="loading">Loading…</p>;
  const user = me.data?.me;
  if (!user) return <SignIn onSignedIn={reload} />;
  if (user.role !== 'ADMIN') {
    return (
      <main className="centered">
        <h1>Admins only</h1>
        <p>You are signed in as {user.email}, who is not an admin.</p>
        <SignOutButton onDone={reload} />
      </main>
    );
  }
  return (
    <Router base="/admin">
      <Layout name={user.name} onSignedOut={reload}>
        <ErrorMessage error={me.error} />
        <Switch>
          <Route path="/users/:id" component={UserDetail} />
          <Route path="/models" component={Models} />
          <Route path="/payments" component={Payments} />
          <Route path="/users" component={Users} />
          <Route path="/groups" component={Groups} />
          <Route path="/plans" component={Plans} />
          <Route path="/analytics" component={Dashboard} />
          <Route path="/live" component={LiveUsage} />
          <Route path="/audit" component={Audit} />
          <Route path="/config" component={Config} />
          <Route path="/plans/:id">{(p) => <PlanDetail id={decodeURIComponent(p.id)} />}</Route>
          <Route>
            <Users />
          </Route>
        </Switch>
      </Layout>
    </Router>
  );
}

function NavLink({ path, label, onClick }: { path: string; label: string; onClick: () => void }) {
  const [active] = useRoute(path);
  return (
    <Link href={path} aria-current={active ? 'page' : undefined} onClick={onClick}>
      {label}
    </Link>
  );
}

function Layout({ name, onSignedOut, children }: { name: string; onSignedOut: () => void; children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const [theme, setTheme] = useState(currentTheme());
  const toggle = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    applyTheme(next);
    setTheme(next);
  };
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button className="menu" aria-expanded={open} aria-controls="nav" onClick={() => setOpen(!open)}>
          Menu
        </button>
        <span className="brand">steward</span>
        <span className="who">{name}</span>
        <button onClick={toggle} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
          {theme === 'dark' ? 'Light' : 'Dark'}
        </button>
        <SignOutButton onDone={onSignedOut} />
      </header>
      <nav id="nav" className={open ? 'open' : ''} aria-label="Console">
        {pages.map((p) => (
          <NavLink key={p.path} {...p} onClick={() => setOpen(false)} />
        ))}
        <a href="/">Playground</a>
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

function SignOutButton({ onDone }: { onDone: () => void }) {
  const [state, signOut] = useMutation(SignOut);
  return (
    <>
      <button onClick={() => signOut({}).then(onDone)} disabled={state.fetching}>
        Sign out
      </button>
      <ErrorMessage error={state.error} />
    </>
  );
}
