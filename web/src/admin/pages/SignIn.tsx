// Sign in with a password, or through one of the OpenID Connect providers the public
// signInMethods query lists (a plain link: the provider's flow ends with the cookie set).
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import { ErrorMessage, FieldError, fieldErrors } from '../errors';

const Methods = graphql(`
  query ConsoleSignInMethods {
    appConfig {
      name
      signInMethods { password providers { id name loginUrl } }
    }
  }
`);

const SignInMutation = graphql(`
  mutation ConsoleSignIn($input: SigninInput!) {
    signin(input: $input) { user { id role } }
  }
`);

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [methods] = useQuery({ query: Methods });
  const [state, signIn] = useMutation(SignInMutation);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const fields = fieldErrors(state.error);
  const cfg = methods.data?.appConfig;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await signIn({ input: { email, password } });
    if (res.data?.signin) onSignedIn();
  }

  return (
    <main className="centered signin">
      <h1>{cfg?.name ?? 'steward'} admin</h1>
      <ErrorMessage error={methods.error} />
      {cfg?.signInMethods.password !== false && (
        <form onSubmit={submit} noValidate>
          <label htmlFor="email">Email</label>
          <input id="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)}
            aria-invalid={!!fields.email} aria-describedby="email-error" required />
          <FieldError id="email-error" message={fields.email} />
          <label htmlFor="password">Password</label>
          <input id="password" type="password" autoComplete="current-password" value={password}
            onChange={(e) => setPassword(e.target.value)} aria-invalid={!!fields.password} aria-describedby="password-error" required />
          <FieldError id="password-error" message={fields.password} />
          <ErrorMessage error={state.error} fields={['email', 'password']} />
          <button type="submit" className="primary" disabled={state.fetching}>
            Sign in
          </button>
        </form>
      )}
      {cfg && cfg.signInMethods.providers.length > 0 && (
        <div className="providers">
          {cfg.signInMethods.providers.map((p) => (
            <a key={p.id} className="button" href={providerHref(p.loginUrl)}>
              Continue with {p.name}
            </a>
          ))}
        </div>
      )}
    </main>
  );
}

// providerHref asks the provider's flow to come back to the console rather than WEBUI_URL.
function providerHref(loginUrl: string): string {
  const u = new URL(loginUrl, window.location.href);
  u.searchParams.set('redirect', '/admin/');
  return u.href;
}
