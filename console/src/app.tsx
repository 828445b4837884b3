/**
 * The console's shell: header with navigation, the light/dark toggle and sign-out, the notice
 * area, and the page chosen from the path under /ui:
 *   /                         overview            /connectors/:name       connector page
 *   /connectors/:name/edit    edit (H3)           /new                    create (H3)
 *   /replication              MirrorMaker (H2)    /login                  REST credentials
 */
import { useEffect, useState } from 'preact/hooks';
import { clearCredentials, isLoggedIn, onAuthChange } from './api/auth.js';
import { NoticeArea } from './components/notice.js';
import { ConnectorPage } from './pages/connector/connector-page.js';
import { CreatePage } from './pages/connector-form/create-page.js';
import { EditPage } from './pages/connector-form/edit-page.js';
import { LoginPage } from './pages/login/login-page.js';
import { OverviewPage } from './pages/overview/overview-page.js';
import { ReplicationPage } from './pages/replication/replication-page.js';
import { Link, navigate, useRoute } from './router.js';
import { applyTheme, effectiveTheme, type Theme } from './theme.js';

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function Page({ path }: { path: string }) {
  if (path === '/' || path === '') return <OverviewPage />;
  if (path === '/new') return <CreatePage />;
  if (path === '/replication') return <ReplicationPage />;
  if (path === '/login') return <LoginPage />;
  const edit = /^\/connectors\/([^/]+)\/edit\/?$/.exec(path);
  if (edit) return <EditPage name={decode(edit[1]!)} />;
  const connector = /^\/connectors\/([^/]+)\/?$/.exec(path);
  if (connector) return <ConnectorPage key={connector[1]} name={decode(connector[1]!)} />;
  return (
    <section>
      <h1>Page not found</h1>
      <p>Nothing lives at <code>/ui{path}</code>. <Link to="/">Go to the overview</Link>.</p>
    </section>
  );
}

function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(effectiveTheme());
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button type="button" class="theme-toggle" aria-pressed={theme === 'dark'} aria-label="Dark theme"
      title={`Switch to the ${next} theme`}
      onClick={() => { applyTheme(next); setTheme(next); }}>
      {theme === 'dark' ? '☾ Dark' : '☀ Light'}
    </button>
  );
}

function NavLink({ to, label, current }: { to: string; label: string; current: boolean }) {
  return <Link to={to} aria-current={current ? 'page' : undefined}>{label}</Link>;
}

export function App() {
  const { path } = useRoute();
  const [loggedIn, setLoggedIn] = useState(isLoggedIn());
  useEffect(() => onAuthChange(() => setLoggedIn(isLoggedIn())), []);

  useEffect(() => {
    const page = path === '/' ? 'Overview' : path === '/new' ? 'New connector' : path === '/replication' ? 'Replication'
      : path === '/login' ? 'Sign in' : path.startsWith('/connectors/') ? decode(path.split('/')[2] ?? '') : 'Not found';
    document.title = `${page} · ferry console`;
  }, [path]);

  const onOverview = path === '/' || path.startsWith('/connectors/');
  return (
    <div class="shell">
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <Link to="/" class="brand" aria-label="ferry console home"><svg class="brand-mark" aria-hidden="true" viewBox="0 0 16 16" width="20" height="20"><rect width="16" height="16" rx="3" fill="var(--accent)" /><path d="M3 9.5h10l-2 3.5H5z" fill="var(--surface)" /><path d="M6 9.5V6h4v3.5" fill="none" stroke="var(--surface)" stroke-width="1.4" /></svg> ferry</Link>
        <nav aria-label="Main">
          <NavLink to="/" label="Connectors" current={onOverview} />
          <NavLink to="/new" label="New connector" current={path === '/new'} />
          <NavLink to="/replication" label="Replication" current={path === '/replication'} />
        </nav>
        <div class="topbar-tools">
          <ThemeToggle />
          {loggedIn && (
            <button type="button" onClick={() => { clearCredentials(); navigate('/login'); }}>Sign out</button>
          )}
        </div>
      </header>
      <NoticeArea />
      <main id="main" tabIndex={-1}>
        <Page path={path} />
      </main>
    </div>
  );
}
