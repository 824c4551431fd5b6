// What a node keeps for the web app's integrity (issue 6; docs/web-integrity.md): each web release the organisation
// root signed and where it sits in the audit log. Part of StoreTx; filled in by the client-integrity work.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface WebReleaseStoreTx {}
