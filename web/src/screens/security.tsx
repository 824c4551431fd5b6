// Placeholder: the Security screen is being built (docs/web.md "Who owns what").
export function Security() {
  return (
    <section aria-labelledby="security-title">
      <h1 id="security-title">Security</h1>
      <p>Not built yet.</p>
    </section>
  );
}
