// The sealing demo behind `chancery cable demo`: a small network of offices on three nodes with fresh keys, one
// realistic cable sealed by a drafter and a releaser, verified and opened by every addressed office — each one
// fetching its second share from its own node's release service, as a reader's device will.
import type { Cable, Classification, DeviceId, NodeName, OfficeCode, UserId } from '../cable/types.ts';
import { renderTelegram } from '../cable/telegram.ts';
import { assertValidCable } from '../cable/validate.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { xwingGenerateKeyPair, type XWingKeyPair } from '../crypto/xwing.ts';
import type { PolicyOffice } from '../policy/subjects.ts';
import { VerificationError } from '../errors.ts';
import { decodeEnvelope } from '../envelope/codec.ts';
import { sealCable } from '../envelope/seal.ts';
import { verifyEnvelope } from '../envelope/verify.ts';
import { openCable, openReleaseShares } from '../envelope/open.ts';
import { ed25519Signer } from '../envelope/signatures.ts';

/** What the demo did, for the CLI to print (as text or `--json`). */
export interface CableDemoResult {
  readonly cableId: string;
  readonly classification: Classification;
  readonly envelopeBytes: number;
  readonly paddedContentBytes: number;
  readonly sealMs: number;
  readonly manifest: readonly { office: string; node: string; level: string; epoch: number }[];
  readonly releaseServices: readonly { node: string; offices: readonly string[] }[];
  readonly opened: readonly { office: string; node: string; ms: number; identical: boolean }[];
  readonly telegram: string;
}

const OFFICES: readonly (PolicyOffice & { readonly node: NodeName })[] = [
  { code: 'EEAS.DEL.WASHINGTON' as OfficeCode, node: 'EEAS' as NodeName, ceiling: 'SECRET', communities: ['EU'] },
  { code: 'EEAS.HQ.AMERICAS' as OfficeCode, node: 'EEAS' as NodeName, ceiling: 'SECRET', communities: ['EU'] },
  { code: 'MFA.CY.AMERICAS' as OfficeCode, node: 'MFA.CY' as NodeName, ceiling: 'SECRET', communities: ['CY', 'EU'] },
  { code: 'MFA.FR.DAOI' as OfficeCode, node: 'MFA.FR' as NodeName, ceiling: 'SECRET', communities: ['EU', 'FR', 'NATO'] },
];

function demoCable(level: Classification, now: Date): Cable {
  const dtg = `${now.toISOString().slice(0, 19)}Z`;
  return assertValidCable({
    header: {
      id: `EEAS.DEL.WASHINGTON/${now.getUTCFullYear()}/000123`,
      dtg,
      precedence: 'IMMEDIATE',
      marking: { classification: level, caveats: [], releasableTo: level === 'UNCLASSIFIED' ? [] : ['EU'] },
      from: 'EEAS.DEL.WASHINGTON',
      to: ['EEAS.HQ.AMERICAS', 'MFA.CY.AMERICAS'],
      info: ['MFA.FR.DAOI'],
      tags: ['PREL', 'ETRD', 'US'],
      drafter: 'anna.schmidt',
      releaser: 'marc.dupont',
    },
    content: {
      subject: 'Deputy Secretary on coordinating sanctions relief: next steps',
      references: [],
      body: [
        'Summary: the Deputy Secretary wants a joint timetable by the end of January and asked for the EU view',
        'before the Political and Security Committee meets.',
        '',
        'He said Washington would table a draft within two weeks and would prefer a single coordinated announcement.',
        '',
        'Comment: the timetable is tight. Headquarters may wish to instruct the Delegation before the next meeting.',
      ].join('\n'),
      attachments: [],
    },
  });
}

/** Runs the demo with fresh keys. `onProgress` reports each step for a progress display. */
export async function runCableDemo(
  p: CryptoProvider,
  options: { readonly level?: Classification; readonly now?: Date; readonly onProgress?: (step: string) => void } = {},
): Promise<CableDemoResult> {
  const level = options.level ?? 'LIMITED';
  const progress = options.onProgress ?? (() => undefined);
  const cable = demoCable(level, options.now ?? new Date());
  progress('generating office, release-service and device keys (X-Wing, Ed25519)');
  const officeKeys = new Map<string, XWingKeyPair>();
  for (const o of OFFICES) officeKeys.set(o.code, await xwingGenerateKeyPair(p));
  const releaseKeys = new Map<string, XWingKeyPair>();
  for (const o of OFFICES) if (!releaseKeys.has(o.node)) releaseKeys.set(o.node, await xwingGenerateKeyPair(p));
  const drafterSeed = p.randomBytes(32);
  const releaserSeed = p.randomBytes(32);
  const devices = new Map([
    ['anna.schmidt/d-anna-1', await p.ed25519PublicKey(drafterSeed)],
    ['marc.dupont/d-marc-1', await p.ed25519PublicKey(releaserSeed)],
  ]);
  const resolveSigner = (user: UserId, device: DeviceId): Uint8Array => {
    const key = devices.get(`${user}/${device}`);
    if (!key) throw new VerificationError('verify.untrusted_key', `unknown device ${user}/${device}`);
    return key;
  };

  progress(`sealing ${cable.header.id} (${level}) to ${OFFICES.length} offices on ${releaseKeys.size} nodes`);
  const started = performance.now();
  const sealed = await sealCable(p, {
    cable,
    recipients: OFFICES.map((o) => ({ office: o, epoch: 1, level, publicKey: officeKeys.get(o.code)!.publicKey, open: true })),
    releaseServices: [...releaseKeys].map(([node, k]) => ({ node: node as NodeName, publicKey: k.publicKey })),
    signers: [
      ed25519Signer(p, 'drafter', 'anna.schmidt' as UserId, 'd-anna-1' as DeviceId, drafterSeed),
      ed25519Signer(p, 'releaser', 'marc.dupont' as UserId, 'd-marc-1' as DeviceId, releaserSeed),
    ],
  });
  const sealMs = performance.now() - started;

  const opened: { office: string; node: string; ms: number; identical: boolean }[] = [];
  for (const o of OFFICES) {
    progress(`${o.code} verifies and opens (share from the ${o.node} release service)`);
    const t = performance.now();
    const verified = await verifyEnvelope(p, decodeEnvelope(sealed.bytes), resolveSigner);
    let releaseShare: Uint8Array | undefined;
    if (verified.envelope.header.release.length > 0) {
      const shares = await openReleaseShares(p, verified, o.node, releaseKeys.get(o.node)!.secretKey);
      releaseShare = shares.get(o.code);
    }
    const secretKey = officeKeys.get(o.code)!.secretKey;
    const got = await openCable(p, verified, { office: o.code, epoch: 1, secretKey, ...(releaseShare ? { releaseShare } : {}) });
    opened.push({ office: o.code, node: o.node, ms: performance.now() - t, identical: renderTelegram(got) === renderTelegram(cable) });
  }
  const e = sealed.envelope;
  return {
    cableId: cable.header.id,
    classification: level,
    envelopeBytes: sealed.bytes.length,
    paddedContentBytes: e.content.length - 16,
    sealMs,
    manifest: e.header.manifest.map((m) => ({ office: m.office, node: m.node, level: m.level, epoch: m.epoch })),
    releaseServices: e.header.release.map((r) => ({ node: r.node, offices: r.offices })),
    opened,
    telegram: renderTelegram(cable),
  };
}
