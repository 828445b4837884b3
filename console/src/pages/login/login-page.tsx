/**
 * Sign-in for a worker whose REST API requires authentication: HTTP Basic (user and password) or
 * a Bearer token. The credentials are tried against the worker before they are kept; on success
 * the user returns where the 401 sent them from and the calls that waited are repeated.
 */
import { useState } from 'preact/hooks';
import { checkCredentials, loginSucceeded, storeCredentials, type Credentials } from '../../api/auth.js';
import { errorText } from '../../api/rest-client.js';
import { navigate, useRoute } from '../../router.js';

export function LoginPage() {
  const { search } = useRoute();
  const [scheme, setScheme] = useState<'basic' | 'bearer'>('basic');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const credentials: Credentials = scheme === 'basic' ? { scheme, user, password } : { scheme, token };
    setBusy(true);
    setError(null);
    try {
      if (!(await checkCredentials(credentials))) {
        setError(scheme === 'basic' ? 'The worker did not accept this user name and password.' : 'The worker did not accept this token.');
        return;
      }
      storeCredentials(credentials);
      const next = search.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('/login') ? next : '/', { replace: true });
      loginSucceeded();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="login">
      <h1>Sign in</h1>
      <p class="muted">This worker's REST API requires authentication. The credentials are kept in this browser tab only.</p>
      <form onSubmit={submit} class="card form-card">
        <fieldset class="segmented">
          <legend>Method</legend>
          <label><input type="radio" name="scheme" value="basic" checked={scheme === 'basic'} onChange={() => setScheme('basic')} /> Basic authentication</label>
          <label><input type="radio" name="scheme" value="bearer" checked={scheme === 'bearer'} onChange={() => setScheme('bearer')} /> Bearer authentication</label>
        </fieldset>
        {scheme === 'basic' ? (
          <>
            <label class="field">
              <span>User</span>
              <input name="user" autoComplete="username" required value={user} onInput={(e) => setUser(e.currentTarget.value)} />
            </label>
            <label class="field">
              <span>Password</span>
              <input name="password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
            </label>
          </>
        ) : (
          <label class="field">
            <span>Token</span>
            <input name="token" type="password" autoComplete="off" required value={token} onInput={(e) => setToken(e.currentTarget.value)} />
          </label>
        )}
        {error && <p class="error-text" role="alert">{error}</p>}
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        </div>
      </form>
    </section>
  );
}
