// Placeholder: the Search screen is being built (docs/web.md "Who owns what").
export function Search() {
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">Search</h1>
      <p>Not built yet.</p>
    </section>
  );
}
