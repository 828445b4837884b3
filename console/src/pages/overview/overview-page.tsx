export function OverviewPage() {
  return <section><h1>Connectors</h1></section>;
}
