// Placeholder: the Administration screen is being built (docs/web.md "Who owns what").
export function Admin() {
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Administration</h1>
      <p>Not built yet.</p>
    </section>
  );
}
