// Placeholder: the user's own devices (approve a new one of one's own, re-seal grants to it) are being built.
export function Devices() {
  return (
    <section aria-labelledby="devices-title">
      <h1 id="devices-title">My devices</h1>
      <p>Not built yet.</p>
    </section>
  );
}
