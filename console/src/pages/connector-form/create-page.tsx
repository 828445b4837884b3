// Placeholder committed by H1 so the router compiles; H3 replaces this file with the create page.
export function CreatePage() {
  return <section><h1>New connector</h1><p>The create form is not built yet.</p></section>;
}
