// Placeholder: the Compose a cable screen is being built (docs/web.md "Who owns what").
export function Compose({ draft }: { readonly draft?: string | undefined }) {
  return (
    <section aria-labelledby="compose-title">
      <h1 id="compose-title">Compose a cable</h1>
      <p>{draft ?? 'A new cable'}</p>
    </section>
  );
}
