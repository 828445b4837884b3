/**
 * Says how fresh auto-refreshed data is. When the last refresh failed it says so (and why) and
 * when the data shown was loaded, so nobody mistakes old states for current ones.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../api/rest-client.js';

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour12: false });
}

export function RefreshIndicator({ updatedAt, stale, error }: { updatedAt: number; stale: boolean; error: unknown }) {
  const [, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  if (updatedAt === 0) return <span class="refresh">Loading…</span>;
  if (stale) {
    return (
      <span class="refresh stale" role="status" data-testid="stale-indicator">
        <span class="dot" aria-hidden="true" />
        Stale: refresh failed ({errorText(error)}); showing data from {clock(updatedAt)}
      </span>
    );
  }
  const seconds = Math.max(0, Math.round((Date.now() - updatedAt) / 1000));
  return (
    <span class="refresh" title={`Updated at ${clock(updatedAt)}`}>
      <span class="dot" aria-hidden="true" />
      Live · updated {seconds < 2 ? 'just now' : `${seconds} s ago`}
    </span>
  );
}
