// What a node keeps for the web app's passkeys (issue 6; docs/web-auth.md): registered credentials, one-time
// enrollment codes and browser sessions. Part of StoreTx; filled in by the passkey work.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface WebAuthStoreTx {}
