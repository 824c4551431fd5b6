// A small key world for the keys tests: one organisation root, its node, two officers, two users with devices and
// one office epoch — all from fixed seeds, so every run signs the same bytes. Built once per provider.
import type { DeviceId, NodeName, OfficeCode, UserId } from '../../src/cable/types.ts';
import { hybridSigningKeyFromSeeds, type HybridSigningKey } from '../../src/crypto/hybrid-signature.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import { xwingKeyPairFromSeed, type XWingKeyPair } from '../../src/crypto/xwing.ts';
import { signDeviceRecord, type DeviceApproval, type DeviceRecord } from '../../src/keys/device-record.ts';
import { verifyDeviceChain, type VerifiedDevice } from '../../src/keys/device-chain.ts';
import { verifyEpochChain, type VerifiedEpoch } from '../../src/keys/epoch-chain.ts';
import { signNodeCertificate, type NodeCertificate } from '../../src/keys/node-certificate.ts';
import { signOfficeEpoch, type OfficeEpoch, type OfficeEpochBody } from '../../src/keys/office-epoch.ts';
import { signOfficerCertificate, verifyOfficerCertificate, type OfficerCertificate, type VerifiedOfficer } from '../../src/keys/officer-certificate.ts';
import { pinRoot, rootFingerprint, signOrganisationRoot, type OrgId, type OrganisationRoot, type PinnedRoot } from '../../src/keys/organisation-root.ts';

export const T0 = Date.UTC(2026, 0, 1);
export const DAY = 86_400_000;
export const AT = T0 + DAY;
export const YEAR = 365 * DAY;

export const ORG = 'MFA.CY' as OrgId;
export const NODE = 'MFA.CY' as NodeName;
export const OFFICE = 'MFA.CY.AMERICAS' as OfficeCode;

/** A 32-byte seed filled with one tag byte: distinct, reproducible keys. */
export function seed(tag: number): Uint8Array {
  return new Uint8Array(32).fill(tag);
}

export interface Officer {
  readonly user: UserId;
  readonly seed: Uint8Array;
  readonly cert: OfficerCertificate;
  readonly verified: VerifiedOfficer;
}

export interface Device {
  readonly record: DeviceRecord;
  readonly signingSeed: Uint8Array;
  readonly encryption: XWingKeyPair;
}

export interface World {
  readonly p: CryptoProvider;
  readonly rootKey: HybridSigningKey;
  readonly root: OrganisationRoot;
  readonly anchor: PinnedRoot;
  readonly nodeCert: NodeCertificate;
  readonly olga: Officer;
  readonly otto: Officer;
  readonly annaLaptop: Device;
  readonly annaPhone: Device;
  readonly bobDesktop: Device;
  readonly epochKey: XWingKeyPair;
  readonly epoch: OfficeEpoch;
  readonly verifiedEpoch: VerifiedEpoch;
  readonly laptop: VerifiedDevice;
  readonly phone: VerifiedDevice;
  readonly bob: VerifiedDevice;
}

export async function makeRoot(p: CryptoProvider, org: OrgId, tag: number): Promise<{ key: HybridSigningKey; root: OrganisationRoot; anchor: PinnedRoot }> {
  const key = await hybridSigningKeyFromSeeds(p, seed(tag), seed(tag + 1));
  const root = await signOrganisationRoot(p, { org, publicKey: key.public, createdAt: T0 }, key.secret);
  return { key, root, anchor: await pinRoot(p, root, rootFingerprint(p, root)) };
}

export async function makeOfficerCert(
  p: CryptoProvider,
  rootKey: HybridSigningKey,
  user: UserId,
  officerSeed: Uint8Array,
  overrides: Partial<Pick<OfficerCertificate, 'org' | 'scope' | 'validFrom' | 'validUntil'>> = {},
): Promise<OfficerCertificate> {
  return signOfficerCertificate(
    p,
    {
      org: ORG,
      user,
      scope: NODE,
      signingKey: { ed25519: await p.ed25519PublicKey(officerSeed), mlDsa65: p.mlDsa65KeyGen(officerSeed).publicKey },
      validFrom: T0,
      validUntil: T0 + YEAR,
      ...overrides,
    },
    rootKey.secret,
  );
}

export async function makeDevice(p: CryptoProvider, user: string, device: string, tag: number, approval: DeviceApproval, approverSeed: Uint8Array, node = NODE): Promise<Device> {
  const signingSeed = seed(tag);
  const encryption = await xwingKeyPairFromSeed(p, seed(tag + 1));
  const record = await signDeviceRecord(
    p,
    {
      user: user as UserId,
      device: device as DeviceId,
      node,
      signingKey: await p.ed25519PublicKey(signingSeed),
      encryptionKey: encryption.publicKey,
      createdAt: T0 + tag,
      approval,
    },
    approverSeed,
  );
  return { record, signingSeed, encryption };
}

export async function makeEpoch(p: CryptoProvider, officer: Officer, publicKey: Uint8Array, overrides: Partial<OfficeEpochBody> = {}): Promise<OfficeEpoch> {
  return signOfficeEpoch(
    p,
    { office: OFFICE, node: NODE, level: 'CONFIDENTIAL', epoch: 0, publicKey, openedAt: T0, certifiedBy: officer.user, ...overrides },
    officer.seed,
  );
}

async function build(p: CryptoProvider): Promise<World> {
  const { key: rootKey, root, anchor } = await makeRoot(p, ORG, 1);
  const releaseKey = await xwingKeyPairFromSeed(p, seed(10));
  const nodeCert = await signNodeCertificate(
    p,
    { node: NODE, org: ORG, signingKey: rootKey.public, releaseKey: releaseKey.publicKey, url: 'https://mfa.cy.example/chancery', validFrom: T0, validUntil: T0 + YEAR, serial: 7 },
    rootKey.secret,
  );
  const officer = async (user: string, tag: number): Promise<Officer> => {
    const cert = await makeOfficerCert(p, rootKey, user as UserId, seed(tag));
    return { user: user as UserId, seed: seed(tag), cert, verified: await verifyOfficerCertificate(p, cert, anchor, AT) };
  };
  const olga = await officer('olga', 20);
  const otto = await officer('otto', 22);
  const annaLaptop = await makeDevice(p, 'anna', 'd-anna-1', 30, { kind: 'officer', officer: olga.user }, olga.seed);
  const annaPhone = await makeDevice(p, 'anna', 'd-anna-2', 32, { kind: 'device', device: annaLaptop.record.device }, annaLaptop.signingSeed);
  const bobDesktop = await makeDevice(p, 'bob', 'd-bob-1', 34, { kind: 'officer', officer: otto.user }, otto.seed);
  const epochKey = await xwingKeyPairFromSeed(p, seed(40));
  const epoch = await makeEpoch(p, olga, epochKey.publicKey);
  const chain = { root: anchor, at: AT, officers: [olga.cert, otto.cert], devices: [annaLaptop.record, annaPhone.record, bobDesktop.record] };
  return {
    p, rootKey, root, anchor, nodeCert, olga, otto, annaLaptop, annaPhone, bobDesktop, epochKey, epoch,
    verifiedEpoch: await verifyEpochChain(p, { epoch, officerCert: olga.cert, root: anchor, at: AT }),
    laptop: await verifyDeviceChain(p, { ...chain, device: annaLaptop.record }),
    phone: await verifyDeviceChain(p, { ...chain, device: annaPhone.record }),
    bob: await verifyDeviceChain(p, { ...chain, device: bobDesktop.record }),
  };
}

const worlds = new Map<string, Promise<World>>();

/** The world for one provider, built on first use. */
export function world(p: CryptoProvider): Promise<World> {
  let w = worlds.get(p.name);
  if (w === undefined) {
    w = build(p);
    worlds.set(p.name, w);
  }
  return w;
}

/** A copy of `bytes` with one byte changed. */
export function flipped(bytes: Uint8Array, index = bytes.length - 1): Uint8Array {
  const out = bytes.slice();
  out[index] = out[index]! ^ 0x01;
  return out;
}
