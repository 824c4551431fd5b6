// The envelope codec against the published vectors: it re-encodes them byte for byte, and refuses ids that the
// cable grammar refuses (office, node, user and device ids are read with src/cable/ids.ts), never echoing them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { concatBytes, fromHex } from '../../src/bytes.ts';
import { decodeCanonical, encodeCanonical, type CborValue } from '../../src/encoding/canonical-cbor.ts';
import { decodeEnvelope, decodeSealedHeader, encodeEnvelope } from '../../src/envelope/codec.ts';
import { DecodeError } from '../../src/errors.ts';

type CborMap = { [key: string]: CborValue };
type Entry = Record<string, CborValue>;

const file = JSON.parse(readFileSync(new URL('../vectors/chancery-envelope-v1.json', import.meta.url), 'utf8')) as {
  vectors: { name: string; envelope: string }[];
};
const envelopes = file.vectors.map((v) => ({ name: v.name, bytes: fromHex(v.envelope) }));
// limited-two-nodes: a release list, so release entries and wraps are there to tamper with.
const limited = envelopes.find((v) => v.name === 'limited-two-nodes')!.bytes;

const asMap = (bytes: Uint8Array): CborMap => decodeCanonical(bytes, 1 << 24) as CborMap;
const body = asMap(limited.subarray(1));
const header = asMap(body.header as Uint8Array);

/** `list` with `changes` applied to its first item. */
function firstChanged(list: CborValue, changes: Entry): CborValue[] {
  const [first, ...rest] = list as Entry[];
  return [{ ...first, ...changes }, ...rest];
}

const withBody = (changes: CborMap): Uint8Array => concatBytes(Uint8Array.of(1), encodeCanonical({ ...body, ...changes }));
const withHeader = (changes: CborMap): Uint8Array => withBody({ header: encodeCanonical({ ...header, ...changes }) });

function refused(bytes: Uint8Array, code: string, bad?: string): void {
  assert.throws(() => decodeEnvelope(bytes), (e: unknown) => e instanceof DecodeError && e.code === code && (bad === undefined || !e.message.includes(bad)));
}

describe('envelope codec', () => {
  it('decodes every published vector and re-encodes it byte for byte', () => {
    for (const v of envelopes) {
      const envelope = decodeEnvelope(v.bytes);
      assert.deepEqual(encodeEnvelope(envelope), v.bytes, v.name);
      assert.deepEqual(decodeSealedHeader(envelope.headerBytes), envelope.header, v.name);
    }
  });

  it('refuses office, node, user and device ids outside the cable grammar, without echoing them', () => {
    // All but the user and device ids passed the codec's old shape-only patterns (user and device grammar is unchanged).
    refused(withHeader({ manifest: firstChanged(header.manifest!, { office: 'mfa.cy' }) }), 'encoding.malformed', 'mfa.cy');
    refused(withHeader({ manifest: firstChanged(header.manifest!, { office: 'EEAS..HQ' }) }), 'encoding.malformed', 'EEAS..HQ');
    refused(withHeader({ manifest: firstChanged(header.manifest!, { node: 'EEAS-HQ' }) }), 'encoding.malformed', 'EEAS-HQ');
    refused(withHeader({ release: firstChanged(header.release!, { offices: ['EEAS.-HQ'] }) }), 'encoding.malformed', 'EEAS.-HQ');
    refused(withBody({ wraps: firstChanged(body.wraps!, { office: 'EEAS.HQ.' }) }), 'encoding.malformed', 'EEAS.HQ.');
    refused(withBody({ releaseWraps: firstChanged(body.releaseWraps!, { node: 'MFA-CY' }) }), 'encoding.malformed', 'MFA-CY');
    refused(withBody({ signatures: firstChanged(body.signatures!, { user: 'ANNA!' }) }), 'encoding.malformed', 'ANNA!');
    refused(withBody({ signatures: firstChanged(body.signatures!, { device: 'D-ANNA-1' }) }), 'encoding.malformed', 'D-ANNA-1');
  });

  it('refuses a release entry that repeats an office, and another version or suite', () => {
    const [office] = (header.release as Entry[])[0]!.offices as string[];
    refused(withHeader({ release: firstChanged(header.release!, { offices: [office!, office!] }) }), 'encoding.malformed');
    refused(withHeader({ v: 2 }), 'encoding.unsupported_version');
    refused(withHeader({ suite: [1, 1, 2] }), 'encoding.unsupported_version');
    refused(withBody({ v: 2 }), 'encoding.unsupported_version');
    refused(withBody({ extra: 1 }), 'encoding.malformed');
  });
});
