// Placeholder committed by H1 so the router compiles; H3 replaces this file with the edit page.
export function EditPage({ name }: { name: string }) {
  return <section><h1>Edit {name}</h1><p>The edit form is not built yet.</p></section>;
}
