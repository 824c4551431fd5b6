// Benchmark of issue "Core": seal a 4 KB LIMITED cable to 30 offices on 30 nodes (30 office wraps + 30 release
// wraps, all X-Wing) and open it; compared in the same run with the bare primitives it needs and with `age`
// encrypting the same body to 1,200 X25519 recipients (the per-reader alternative).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bech32 } from 'bech32';
import { nodeProvider as p } from '../src/crypto/node-provider.ts';
import { clearPreparedKemKeys } from '../src/crypto/noble-provider.ts';
import { xwingEncapsulate } from '../src/crypto/xwing.ts';
import { sealCable } from '../src/envelope/seal.ts';
import { verifyEnvelope } from '../src/envelope/verify.ts';
import { openCable, openReleaseShares } from '../src/envelope/open.ts';
import { decodeEnvelope } from '../src/envelope/codec.ts';
import { paddedLength } from '../src/envelope/format.ts';
import { buildNetwork, officeOf, sampleCable, sealInputsFor } from '../test/support/network.ts';
import { median, progress, round, timeOnce } from './stats.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 120);
const OFFICES = 30;
const BODY_BYTES = 4096;

function body4k(): string {
  const paragraph = 'The Delegation met the Deputy Assistant Secretary to discuss coordination of the next sanctions package. ';
  let text = '';
  while (text.length < BODY_BYTES) text += paragraph;
  return text.slice(0, BODY_BYTES);
}

async function floorOnce(publicKeys: readonly Uint8Array[], plaintextLength: number, seed: Uint8Array): Promise<number> {
  const key = p.randomBytes(32);
  const nonce = p.randomBytes(12);
  const plaintext = new Uint8Array(plaintextLength);
  return timeOnce(async () => {
    for (const pk of publicKeys) await xwingEncapsulate(p, pk);
    await p.aeadSeal('aes-256-gcm', key, nonce, new Uint8Array(0), plaintext);
    await p.ed25519Sign(seed, plaintext.subarray(0, 64));
    await p.ed25519Sign(seed, plaintext.subarray(0, 64));
  });
}

function ageTimes(bodyPath: string, recipientsPath: string, dir: string, runs: number): number | null {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const r = spawnSync('age', ['-R', recipientsPath, '-o', join(dir, 'out.age'), bodyPath]);
    if (r.error || r.status !== 0) return null;
    samples.push(performance.now() - start);
  }
  return median(samples);
}

async function ageComparison(body: string): Promise<Record<string, unknown>> {
  if (spawnSync('age', ['--version']).error) {
    console.error('age is not installed (Debian package "age"): skipping the comparison with a per-reader tool');
    return { age: 'skipped: age not installed' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'chancery-bench-'));
  try {
    const recipients: string[] = [];
    for (let i = 0; i < 1200; i++) recipients.push(bech32.encode('age', bech32.toWords(await p.x25519PublicKey(p.randomBytes(32)))));
    writeFileSync(join(dir, 'body.txt'), body);
    writeFileSync(join(dir, 'r1200.txt'), `${recipients.join('\n')}\n`);
    writeFileSync(join(dir, 'r1.txt'), `${recipients[0]}\n`);
    progress('age', 0, 2);
    const many = ageTimes(join(dir, 'body.txt'), join(dir, 'r1200.txt'), dir, 21);
    const one = ageTimes(join(dir, 'body.txt'), join(dir, 'r1.txt'), dir, 21);
    progress('age', 2, 2);
    if (many === null || one === null) return { age: 'skipped: age failed to run' };
    return { age_1200_ms: round(many), age_1_ms: round(one) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchSeal(): Promise<Record<string, unknown>> {
  const codes = Array.from({ length: OFFICES }, (_, i) => `MFA.N${String(i).padStart(2, '0')}.DESK`);
  const net = await buildNetwork(p, codes, (_code, i) => `NODE${String(i).padStart(2, '0')}`, ['LIMITED']);
  const body = body4k();
  const cable = sampleCable(codes[0]!, codes.slice(1, 21), codes.slice(21), 'LIMITED', body);
  const { recipients, releaseServices } = sealInputsFor(net, cable);
  const reader = officeOf(net, codes[5]!);
  const readerNode = reader.profile.node;
  // The same 60 distinct keys the seal wraps to: 30 office epochs and 30 release services.
  const publicKeys = [...recipients.map((r) => r.publicKey), ...releaseServices.map((r) => r.publicKey)];
  const floorSeed = p.randomBytes(32);

  const sealSamples: number[] = [];
  const coldSealSamples: number[] = [];
  const coldFloorSamples: number[] = [];
  const openSamples: number[] = [];
  const releaseSamples: number[] = [];
  const floorSamples: number[] = [];
  let plaintextLength = 0;
  for (let i = 0; i < RUNS + 10; i++) {
    let bytes: Uint8Array = new Uint8Array(0);
    const sealMs = await timeOnce(async () => {
      bytes = (await sealCable(p, { cable, recipients, releaseServices, signers: net.signers })).bytes;
    });
    plaintextLength = decodeEnvelope(bytes).content.length - 16;
    let share: Uint8Array | undefined;
    const releaseMs = await timeOnce(async () => {
      const verified = await verifyEnvelope(p, decodeEnvelope(bytes), net.resolveSigner);
      share = (await openReleaseShares(p, verified, readerNode, net.releaseKeys.get(readerNode)!.secretKey)).get(reader.profile.code);
    });
    const openMs = await timeOnce(async () => {
      const verified = await verifyEnvelope(p, decodeEnvelope(bytes), net.resolveSigner);
      await openCable(p, verified, { office: reader.profile.code, epoch: 1, secretKey: reader.keys.get('LIMITED')!.secretKey, releaseShare: share! });
    });
    // Interleaved with the seals so both see the same machine load.
    const floorMs = await floorOnce(publicKeys, paddedLength(plaintextLength), floorSeed);
    // Cold: a sender's first seal to these office keys, before it prepared (expanded) them.
    clearPreparedKemKeys();
    const coldSealMs = await timeOnce(() => sealCable(p, { cable, recipients, releaseServices, signers: net.signers }));
    clearPreparedKemKeys();
    const coldFloorMs = await floorOnce(publicKeys, paddedLength(plaintextLength), floorSeed);
    if (i >= 10) {
      coldSealSamples.push(coldSealMs);
      coldFloorSamples.push(coldFloorMs);
      sealSamples.push(sealMs);
      openSamples.push(openMs);
      releaseSamples.push(releaseMs);
      floorSamples.push(floorMs);
    }
    progress('seal', i + 1, RUNS + 10);
  }
  const seal = median(sealSamples);
  const floor = median(floorSamples);
  const age = await ageComparison(body);
  const result: Record<string, unknown> = {
    runs: RUNS,
    offices: OFFICES,
    nodes: OFFICES,
    body_bytes: BODY_BYTES,
    padded_bytes: plaintextLength,
    seal_ms: round(seal),
    open_ms: round(median(openSamples)),
    release_service_open_ms: round(median(releaseSamples)),
    floor_ms: round(floor),
    ratio_to_floor: round(seal / floor),
    ratio_to_floor_target: 1.3,
    seal_cold_ms: round(median(coldSealSamples)),
    floor_cold_ms: round(median(coldFloorSamples)),
    ratio_to_floor_cold: round(median(coldSealSamples) / median(coldFloorSamples)),
    ...age,
  };
  if (typeof age.age_1200_ms === 'number' && typeof age.age_1_ms === 'number') {
    result.ratio_to_age = round(seal / (age.age_1200_ms - age.age_1_ms));
    result.ratio_to_age_cold = round(median(coldSealSamples) / (age.age_1200_ms - age.age_1_ms));
    result.ratio_to_age_target = 0.3;
  }
  return result;
}
