// The RFC 9421 §2.5 signature base, generic over the covered components so the published Appendix B vectors can
// be reproduced; which components a Chancery request must cover is the verifier's policy (http-signature.ts).
import { utf8 } from '../bytes.ts';
import { serializeInnerList, type InnerList, type Item, type Parameters } from './structured-fields.ts';

/** One covered component: its identifier (a lower-case field name or a derived `@` name) and its value. */
export interface CoveredComponent {
  readonly name: string;
  readonly value: string;
}

// RFC 9421 §2.1: field names are lower-case; §2.2: derived components start with "@".
const COMPONENT_NAME = /^@?[a-z0-9!#$%&'*+\-.^_`|~]+$/;
// A value is one line of the base: a CR or LF (or any control character) would let one component forge another's
// line (RFC 9421 §2.5 requires failing on them), and non-ASCII has no single byte form across implementations.
const COMPONENT_VALUE = /^[\x20-\x7e\t]*$/;

function componentItem(name: string): Item {
  return { kind: 'item', value: { kind: 'string', value: name }, params: new Map() };
}

/**
 * The `@signature-params` value (RFC 9421 §2.3): the inner list of component identifiers followed by the
 * signature parameters, in the order given — exactly the text that follows `label=` in `Signature-Input`.
 *
 * @example
 * serializeSignatureParams(['@method'], new Map([['created', { kind: 'integer', value: 1618884473 }]]));
 * // '("@method");created=1618884473'
 */
export function serializeSignatureParams(names: readonly string[], params: Parameters): string {
  const list: InnerList = { kind: 'inner-list', items: names.map(componentItem), params };
  return serializeInnerList(list);
}

/**
 * Builds the signature base (RFC 9421 §2.5): one line `"<name>": <value>` per covered component, in order, each
 * ending in LF, then the `"@signature-params": <inner list>` line with no trailing LF. Throws TypeError for a
 * malformed component name or value, RangeError when a component is covered twice (§2.5 step 1 forbids it).
 *
 * @example
 * const base = signatureBase([{ name: '@method', value: 'POST' }], params);
 * const signature = await p.ed25519Sign(seed, base);
 */
export function signatureBase(components: readonly CoveredComponent[], params: Parameters): Uint8Array {
  const seen = new Set<string>();
  let base = '';
  for (const { name, value } of components) {
    if (!COMPONENT_NAME.test(name)) throw new TypeError('signatureBase: malformed component name');
    if (typeof value !== 'string' || !COMPONENT_VALUE.test(value)) throw new TypeError(`signatureBase: malformed value for ${name}`);
    // §2.3: the parameters line is implicit and may not be covered as a component itself.
    if (seen.has(name) || name === '@signature-params') throw new RangeError(`signatureBase: ${name} covered twice`);
    seen.add(name);
    base += `"${name}": ${value}\n`;
  }
  base += `"@signature-params": ${serializeSignatureParams([...seen], params)}`;
  return utf8(base);
}
