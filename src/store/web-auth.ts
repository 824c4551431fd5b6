// What a node keeps for the web app's passkeys (issue 6; docs/web-auth.md): registered credentials, one-time
// enrollment codes and browser sessions. Codes and session secrets are bearer secrets: only their SHA-256 is kept,
// so a copy of the database lets nobody enroll or sign in.
import type { DeviceId, UserId } from '../cable/types.ts';

/** A passkey bound to one browser device (at most one per device). */
export interface WebCredentialRow {
  /** The credential id, base64url as WebAuthn JSON carries it. */
  readonly id: string;
  readonly user: UserId;
  readonly device: DeviceId;
  /** The COSE public key as the authenticator gave it. */
  readonly publicKey: Uint8Array;
  readonly signCount: number;
  readonly transports: readonly string[];
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

export interface EnrollmentCodeRow {
  readonly codeHash: Uint8Array;
  readonly user: UserId;
  readonly issuedBy: UserId;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly usedAt: number | null;
  readonly usedByDevice: DeviceId | null;
}

export interface WebSessionRow {
  /** SHA-256 of the cookie's secret. */
  readonly idHash: Uint8Array;
  readonly user: UserId;
  readonly device: DeviceId;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  /** The absolute end (login + 12 h); the idle end is lastSeenAt + 15 min. */
  readonly expiresAt: number;
  /** When the last unconsumed step-up was made, or null. */
  readonly stepUpAt: number | null;
}

export interface WebAuthStoreTx {
  putWebCredential(row: WebCredentialRow): void;
  getWebCredential(id: string): WebCredentialRow | null;
  getWebCredentialOfDevice(user: UserId, device: DeviceId): WebCredentialRow | null;
  listWebCredentials(user: UserId): WebCredentialRow[];
  /** Records a verified assertion; false (nothing written) if the stored count moved meanwhile. */
  useWebCredential(id: string, expectedCount: number, signCount: number, at: number): boolean;

  putEnrollmentCode(row: EnrollmentCodeRow): void;
  getEnrollmentCode(codeHash: Uint8Array): EnrollmentCodeRow | null;
  /** Marks an unused code used; false (nothing written) if it was used already. */
  useEnrollmentCode(codeHash: Uint8Array, device: DeviceId, at: number): boolean;

  putWebSession(row: WebSessionRow): void;
  getWebSession(idHash: Uint8Array): WebSessionRow | null;
  touchWebSession(idHash: Uint8Array, at: number): void;
  setWebSessionStepUp(idHash: Uint8Array, at: number): void;
  /** Clears a step-up made at `stepUpAt`; false if there was none or another (a concurrent action consumed it). */
  consumeWebSessionStepUp(idHash: Uint8Array, stepUpAt: number): boolean;
  deleteWebSession(idHash: Uint8Array): void;
  /** Deletes the sessions idle since before `idleBefore` or past their absolute end at `now`. */
  deleteExpiredWebSessions(now: number, idleBefore: number): number;
}
