// The keeper's protocol (docs/node.md "Deployment"): requests and answers are canonical CBOR maps, one per frame
// (framing.ts), on a Unix socket the web-facing process keeps open. Each request carries an id, so many can be in
// flight on one connection; answers come back by id, in any order. Three requests, each narrow on purpose:
// - `hello`: who the keeper is (node, log key, release key hash) — also the health check;
// - `checkpoint(size)`: a signed checkpoint of the log's first `size` entries, whose root the keeper computes itself;
// - `share(cable, office, index)`: the office's share, sealed to the device the entry at `index` names.
// Nothing in an answer is secret to the web process: a note, public keys, or a share sealed to a device.
import type { CableId, NodeName, OfficeCode } from '../../cable/types.ts';
import { parseCableId, parseNodeName, parseOfficeCode } from '../../cable/ids.ts';
import type { HpkeSealed } from '../../crypto/hpke.ts';
import { HybridLengths } from '../../crypto/hybrid-signature.ts';
import { decodeCanonical, encodeCanonical } from '../../encoding/canonical-cbor.ts';
import { Fields, type CborMap } from '../../encoding/fields.ts';
import { ErrorCodes, type ErrorCode } from '../../errors.ts';
import type { LogIdentity } from '../node-context.ts';

export const KeeperLimits = {
  /** A frame holds at most a signed note or a sealed share: a few KiB. */
  maxFrameBytes: 64 * 1024,
  maxNoteBytes: 16 * 1024,
  maxMessageLength: 300,
  /** An X-Wing encapsulation (1120 bytes) and a sealed 32-byte share. */
  maxSealedBytes: 2048,
} as const;

const Ops = ['hello', 'checkpoint', 'share'] as const;

export type KeeperRequest =
  | { readonly op: 'hello' }
  | { readonly op: 'checkpoint'; readonly size: number }
  | { readonly op: 'share'; readonly cable: CableId; readonly office: OfficeCode; readonly index: number };

/** What `hello` answers: the public halves of the keeper's keys, which the web process checks against node.json. */
export interface KeeperHello {
  readonly node: NodeName;
  readonly log: LogIdentity;
  /** SHA-256 of the release service's X-Wing public key, as the node certificate's `releaseKey`. */
  readonly releaseKeyHash: Uint8Array;
}

/** A request's outcome as it travels: the answer's fields, or a refusal with a stable code. */
export type KeeperAnswer =
  | { readonly id: number; readonly ok: unknown }
  | { readonly id: number; readonly refused: { readonly code: ErrorCode; readonly message: string } };

const MAX_ID = 2 ** 32 - 1;

export function encodeRequest(id: number, request: KeeperRequest): Uint8Array {
  return encodeCanonical({ id, ...request });
}

/** A request from the web process; `encoding.*` for anything else (the connection is then dropped). */
export function decodeRequest(bytes: Uint8Array): { readonly id: number; readonly request: KeeperRequest } {
  const value = decodeCanonical(bytes, KeeperLimits.maxFrameBytes);
  const op = Fields.of('keeper request', value, ['id', 'op'], ['size', 'cable', 'office', 'index']).oneOf('op', Ops);
  switch (op) {
    case 'hello': {
      const f = Fields.of('hello', value, ['id', 'op']);
      return { id: f.uint('id', MAX_ID), request: { op } };
    }
    case 'checkpoint': {
      const f = Fields.of('checkpoint', value, ['id', 'op', 'size']);
      return { id: f.uint('id', MAX_ID), request: { op, size: f.uint('size') } };
    }
    case 'share': {
      const f = Fields.of('share', value, ['id', 'op', 'cable', 'office', 'index']);
      return { id: f.uint('id', MAX_ID), request: { op, cable: f.id('cable', parseCableId), office: f.id('office', parseOfficeCode), index: f.uint('index') } };
    }
  }
}

export function encodeAnswer(id: number, ok: CborMap): Uint8Array {
  return encodeCanonical({ id, ok });
}

/** A refusal; the message loses control characters and is cut short, so it always decodes. */
export function encodeRefusal(id: number, code: ErrorCode, message: string): Uint8Array {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const clean = message.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, KeeperLimits.maxMessageLength) || code;
  return encodeCanonical({ id, refused: { code, message: clean } });
}

export function decodeAnswer(bytes: Uint8Array): KeeperAnswer {
  const value = decodeCanonical(bytes, KeeperLimits.maxFrameBytes);
  const f = Fields.of('keeper answer', value, ['id'], ['ok', 'refused']);
  const id = f.uint('id', MAX_ID);
  if (f.has('refused')) {
    const r = f.map('refused', ['code', 'message']);
    return { id, refused: { code: r.oneOf('code', ErrorCodes), message: r.text('message', KeeperLimits.maxMessageLength) } };
  }
  if (!f.has('ok')) return { id, refused: { code: 'encoding.malformed', message: 'keeper answer: neither ok nor refused' } };
  return { id, ok: (value as { ok: unknown }).ok }; // checked present above; its fields are checked by the op's decoder
}

export function encodeHello(hello: KeeperHello): CborMap {
  const { log } = hello;
  return { node: hello.node, origin: log.origin, ed25519: log.publicKey.ed25519, mlDsa65: log.publicKey.mlDsa65, releaseKeyHash: hello.releaseKeyHash };
}

export function decodeHello(value: unknown): KeeperHello {
  const f = Fields.of('hello answer', value, ['node', 'origin', 'ed25519', 'mlDsa65', 'releaseKeyHash']);
  return {
    node: f.id('node', parseNodeName),
    log: {
      origin: f.text('origin', 200),
      publicKey: { ed25519: f.bytes('ed25519', HybridLengths.ed25519Public), mlDsa65: f.bytes('mlDsa65', HybridLengths.mlDsa65Public) },
    },
    releaseKeyHash: f.bytes('releaseKeyHash', 32),
  };
}

export function decodeNote(value: unknown): Uint8Array {
  return Fields.of('checkpoint answer', value, ['note']).bytesUpTo('note', KeeperLimits.maxNoteBytes);
}

export function decodeSealedShare(value: unknown): HpkeSealed {
  const f = Fields.of('share answer', value, ['enc', 'cipherText']);
  return { enc: f.bytesUpTo('enc', KeeperLimits.maxSealedBytes), cipherText: f.bytesUpTo('cipherText', KeeperLimits.maxSealedBytes) };
}
