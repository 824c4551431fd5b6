// Placeholder: the Inbox screen is being built (docs/web.md "Who owns what").
export function Inbox() {
  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">Inbox</h1>
      <p>Not built yet.</p>
    </section>
  );
}
