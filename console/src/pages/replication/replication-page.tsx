// Placeholder committed by H1 so the router compiles; H2 replaces this file with the replication page.
export function ReplicationPage() {
  return <section><h1>Replication</h1><p>The replication view is not built yet.</p></section>;
}
