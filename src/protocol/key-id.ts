// The `keyid` of a request signature: `<user>/<device>` for a device, each part in the cable id grammar
// (src/cable/ids.ts), so a node can look the device up without trusting any other part of the header; `node:<NODE>`
// for a peer node signing with its node key (federation, docs/federation.md). Neither grammar admits the other.
import { checkDeviceId, checkUserId, parseNodeName } from '../cable/ids.ts';
import type { DeviceId, NodeName, UserId } from '../cable/types.ts';

declare const brand: unique symbol;
/** A well-formed `<user>/<device>` key id. */
export type KeyId = string & { readonly [brand]: 'KeyId' };

/** The two parts of a key id. */
export interface KeyIdParts {
  readonly keyId: KeyId;
  readonly user: UserId;
  readonly device: DeviceId;
}

/**
 * Parses a key id; `null` when it is not exactly one `/` between a valid user id and a valid device id.
 * (Neither grammar admits `/`, so the split is unambiguous.)
 *
 * @example
 * parseKeyId('anna.schmidt/d-0042-1'); // { keyId, user: 'anna.schmidt', device: 'd-0042-1' }
 */
export function parseKeyId(text: unknown): KeyIdParts | null {
  if (typeof text !== 'string') return null;
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const user = checkUserId(text.slice(0, slash));
  const device = checkDeviceId(text.slice(slash + 1));
  if (!user.ok || !device.ok) return null;
  return { keyId: text as KeyId, user: user.value, device: device.value }; // the brand is earned by the checks above
}

/**
 * The key id of a device. Throws TypeError when either part is not a valid id.
 *
 * @example
 * formatKeyId(user, device); // 'anna.schmidt/d-0042-1'
 */
export function formatKeyId(user: UserId, device: DeviceId): KeyId {
  const parts = parseKeyId(`${user}/${device}`);
  if (!parts) throw new TypeError('formatKeyId: not a valid user or device id');
  return parts.keyId;
}

/** The two kinds of signer a request may name. */
export type SignerKeyId = ({ readonly kind: 'device' } & KeyIdParts) | { readonly kind: 'node'; readonly keyId: KeyId; readonly node: NodeName };

const NODE_PREFIX = 'node:';

/** Parses a device key id (`<user>/<device>`) or a node key id (`node:<NODE>`); `null` for anything else. */
export function parseSignerKeyId(text: unknown): SignerKeyId | null {
  if (typeof text === 'string' && text.startsWith(NODE_PREFIX)) {
    try {
      const node = parseNodeName(text.slice(NODE_PREFIX.length));
      return { kind: 'node', keyId: text as KeyId, node }; // the brand is earned by the node name's parse
    } catch {
      return null;
    }
  }
  const parts = parseKeyId(text);
  return parts && { kind: 'device', ...parts };
}

/** The key id a node signs its federation requests with. */
export function formatNodeKeyId(node: NodeName): KeyId {
  return `${NODE_PREFIX}${node}` as KeyId; // a NodeName never contains ':' or '/', so this parses back to it
}
