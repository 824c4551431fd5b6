// A provider whose randomness is a SHAKE256 stream of a fixed seed: sealing becomes reproducible, so published
// envelope vectors can be regenerated and checked byte for byte. For tests and vectors only — never for real keys.
import { concatBytes, i2osp, utf8 } from '../../src/bytes.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';

export function deterministicProvider(base: CryptoProvider, seed: string): CryptoProvider {
  let counter = 0;
  const seedBytes = utf8(seed);
  return {
    ...base,
    name: `${base.name}+deterministic`,
    randomBytes(length: number): Uint8Array {
      counter++;
      return base.shake256(concatBytes(seedBytes, i2osp(counter, 8)), length);
    },
  };
}
