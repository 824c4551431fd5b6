// Placeholder: the Cable screen is being built (docs/web.md "Who owns what").
export function Reader({ id }: { readonly id: string }) {
  return (
    <section aria-labelledby="reader-title">
      <h1 id="reader-title">Cable</h1>
      <p>Cable {id}</p>
    </section>
  );
}
