// A software WebAuthn authenticator for tests: a P-256 key per credential (node:crypto), 'none' attestation,
// authenticator data with the flags a test asks for (UP, UV, and BE/BS to play a synced passkey), a signature
// counter, and clientDataJSON naming the challenge and origin — the JSON @simplewebauthn/browser would hand over.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { encode } from 'cborg';

const FLAG = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 } as const;

export interface SoftOptions {
  /** Authenticator flags to claim; default: user present and verified, not backup-eligible. */
  readonly uv?: boolean;
  readonly backupEligible?: boolean;
  readonly backedUp?: boolean;
  /** Sign for this origin / rp id instead of the one asked for (a phishing site's view). */
  readonly origin?: string;
  readonly rpId?: string;
  /** Answer this challenge instead (a replay). */
  readonly challenge?: string;
}

const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const sha256 = (bytes: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest());

function flags(o: SoftOptions, extra: number): number {
  return FLAG.UP | (o.uv === false ? 0 : FLAG.UV) | (o.backupEligible || o.backedUp ? FLAG.BE : 0) | (o.backedUp ? FLAG.BS : 0) | extra;
}

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

function clientData(type: string, challenge: string, origin: string): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

/** One credential on one authenticator. */
export class SoftAuthenticator {
  readonly credentialId = new Uint8Array(randomBytes(32));
  readonly #key: KeyObject;
  readonly #publicJwk: { x: string; y: string };
  signCount = 0;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.#key = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    this.#publicJwk = { x: jwk.x!, y: jwk.y! };
  }

  get id(): string {
    return b64u(this.credentialId);
  }

  #authData(rpId: string, flagBits: number, attested: Uint8Array): Uint8Array {
    return Buffer.concat([sha256(new TextEncoder().encode(rpId)), Uint8Array.of(flagBits), u32(this.signCount), attested]);
  }

  /** navigator.credentials.create() for `options` (a PublicKeyCredentialCreationOptionsJSON), as JSON. */
  create(options: { challenge: string; rp: { id?: string } }, origin: string, o: SoftOptions = {}) {
    const cose = new Map<number, unknown>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(this.#publicJwk.x, 'base64url')], [-3, Buffer.from(this.#publicJwk.y, 'base64url')]]);
    const idLength = new Uint8Array(2);
    new DataView(idLength.buffer).setUint16(0, this.credentialId.length);
    const attested = Buffer.concat([new Uint8Array(16), idLength, this.credentialId, encode(cose)]);
    const authData = this.#authData(o.rpId ?? options.rp.id ?? '', flags(o, FLAG.AT), attested);
    const attestationObject = encode({ fmt: 'none', attStmt: {}, authData });
    return {
      id: this.id, rawId: this.id, type: 'public-key' as const, clientExtensionResults: {}, authenticatorAttachment: 'cross-platform' as const,
      response: {
        clientDataJSON: b64u(clientData('webauthn.create', o.challenge ?? options.challenge, o.origin ?? origin)),
        attestationObject: b64u(attestationObject),
        transports: ['usb'],
      },
    };
  }

  /** navigator.credentials.get() for `options` (a PublicKeyCredentialRequestOptionsJSON), as JSON; counts one use. */
  get(options: { challenge: string; rpId?: string }, origin: string, o: SoftOptions = {}) {
    this.signCount += 1;
    const authData = this.#authData(o.rpId ?? options.rpId ?? '', flags(o, 0), new Uint8Array(0));
    const data = clientData('webauthn.get', o.challenge ?? options.challenge, o.origin ?? origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(data)]), this.#key);
    return {
      id: this.id, rawId: this.id, type: 'public-key' as const, clientExtensionResults: {}, authenticatorAttachment: 'cross-platform' as const,
      response: { clientDataJSON: b64u(data), authenticatorData: b64u(authData), signature: b64u(signature) },
    };
  }
}
