// A small network of offices, release services and devices with real keys, for envelope tests and benchmarks.
import type { Cable, Classification, DeviceId, NodeName, OfficeCode, UserId } from '../../src/cable/types.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import { xwingKeyPairFromSeed, type XWingKeyPair } from '../../src/crypto/xwing.ts';
import type { PolicyOffice } from '../../src/policy/subjects.ts';
import { ed25519Signer, type CableSigner, type SignerKeyResolver } from '../../src/envelope/signatures.ts';
import type { ReleaseServiceKey, SealRecipient } from '../../src/envelope/seal.ts';
import { VerificationError } from '../../src/errors.ts';

export interface TestOffice {
  readonly profile: PolicyOffice;
  /** One X-Wing key pair per level, epoch 1. */
  readonly keys: ReadonlyMap<Classification, XWingKeyPair>;
}

export interface TestNetwork {
  readonly offices: readonly TestOffice[];
  readonly releaseKeys: ReadonlyMap<NodeName, XWingKeyPair>;
  readonly signers: readonly CableSigner[];
  readonly resolveSigner: SignerKeyResolver;
}

const LEVELS: readonly Classification[] = ['UNCLASSIFIED', 'LIMITED', 'RESTRICTED', 'CONFIDENTIAL', 'SECRET'];

function seedOf(p: CryptoProvider, label: string): Uint8Array {
  return p.shake256(new TextEncoder().encode(label), 32);
}

/** `officeCount` offices spread over `nodeCount` nodes (round robin), each with keys for every level. */
export async function buildNetwork(
  p: CryptoProvider,
  officeCodes: readonly string[],
  nodeOf: (office: string, index: number) => string,
  levels: readonly Classification[] = LEVELS,
): Promise<TestNetwork> {
  const offices: TestOffice[] = [];
  const releaseKeys = new Map<NodeName, XWingKeyPair>();
  for (const [i, code] of officeCodes.entries()) {
    const node = nodeOf(code, i) as NodeName;
    const keys = new Map<Classification, XWingKeyPair>();
    for (const level of levels) keys.set(level, await xwingKeyPairFromSeed(p, seedOf(p, `office ${code} ${level}`)));
    offices.push({ profile: { code: code as OfficeCode, node, ceiling: 'SECRET', communities: ['EU'] }, keys });
    if (!releaseKeys.has(node)) releaseKeys.set(node, await xwingKeyPairFromSeed(p, seedOf(p, `release ${node}`)));
  }
  const drafterSeed = seedOf(p, 'drafter');
  const releaserSeed = seedOf(p, 'releaser');
  const signers = [
    ed25519Signer(p, 'drafter', 'anna.drafter' as UserId, 'd-anna-1' as DeviceId, drafterSeed),
    ed25519Signer(p, 'releaser', 'bruno.releaser' as UserId, 'd-bruno-1' as DeviceId, releaserSeed),
  ];
  const publicKeys = new Map([
    ['anna.drafter/d-anna-1', await p.ed25519PublicKey(drafterSeed)],
    ['bruno.releaser/d-bruno-1', await p.ed25519PublicKey(releaserSeed)],
  ]);
  const resolveSigner: SignerKeyResolver = (user, device) => {
    const key = publicKeys.get(`${user}/${device}`);
    if (!key) throw new VerificationError('verify.untrusted_key', `unknown device ${user}/${device}`);
    return key;
  };
  return { offices, releaseKeys, signers, resolveSigner };
}

/** The seal recipients and release-service keys a cable addressed within `net` needs. */
export function sealInputsFor(net: TestNetwork, cable: Cable): { recipients: SealRecipient[]; releaseServices: ReleaseServiceKey[] } {
  const level = cable.header.marking.classification;
  const addressed = new Set<string>([cable.header.from, ...cable.header.to, ...cable.header.info]);
  const recipients = net.offices
    .filter((o) => addressed.has(o.profile.code))
    .map((o) => ({ office: o.profile, epoch: 1, level, publicKey: o.keys.get(level)!.publicKey, open: true }));
  const nodes = new Set(recipients.map((r) => r.office.node));
  const releaseServices = [...net.releaseKeys].filter(([node]) => nodes.has(node)).map(([node, k]) => ({ node, publicKey: k.publicKey }));
  return { recipients, releaseServices };
}

export function officeOf(net: TestNetwork, code: string): TestOffice {
  const office = net.offices.find((o) => o.profile.code === code);
  if (!office) throw new Error(`no office ${code}`);
  return office;
}

/** A realistic cable from the first office to the given ones. */
export function sampleCable(from: string, to: readonly string[], info: readonly string[], level: Classification, body?: string): Cable {
  return {
    header: {
      id: `${from}/2026/000123` as Cable['header']['id'],
      dtg: '2026-11-26T14:30:00Z',
      precedence: 'IMMEDIATE',
      marking: { classification: level, caveats: [], releasableTo: level === 'UNCLASSIFIED' ? [] : ['EU'] },
      from: from as OfficeCode,
      to: to as OfficeCode[],
      info: info as OfficeCode[],
      tags: ['PREL', 'US'],
      drafter: 'anna.drafter' as UserId,
      releaser: 'bruno.releaser' as UserId,
    },
    content: {
      subject: 'Meeting with the Deputy Secretary on sanctions coordination',
      references: [],
      body:
        body ??
        'Summary: the Deputy Secretary confirmed readiness to coordinate the next package.\n\nThe Delegation recommends an early follow-up at working level.',
      attachments: [],
    },
  };
}
