// Placeholder: the Release queue screen is being built (docs/web.md "Who owns what").
export function Releases() {
  return (
    <section aria-labelledby="releases-title">
      <h1 id="releases-title">Release queue</h1>
      <p>Not built yet.</p>
    </section>
  );
}
