// What a node keeps for the web app's integrity (issue 6; docs/web-integrity.md): each web release the organisation
// root signed and where its `web.released` entry sits in the audit log. Part of StoreTx.

/** One release: the exact root-signed record (src/keys/web-release.ts) and the index of its log entry. */
export interface WebReleaseRow {
  /** SHA-256 of the build's manifest.json. */
  readonly manifestHash: Uint8Array;
  readonly record: Uint8Array;
  readonly logIndex: number;
  readonly releasedAt: number;
}

export interface WebReleaseStoreTx {
  /** Stores a release; `store.conflict` if one is already stored for that manifest. */
  putWebRelease(row: WebReleaseRow): void;
  getWebRelease(manifestHash: Uint8Array): WebReleaseRow | null;
}
