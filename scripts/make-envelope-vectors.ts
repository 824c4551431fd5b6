// Writes test/vectors/chancery-envelope-v1.json. Run after a deliberate format change only: `npm run vectors`.
import { writeFileSync } from 'node:fs';
import { nodeProvider } from '../src/crypto/node-provider.ts';
import { buildEnvelopeVectors } from '../test/support/envelope-vectors.ts';

const out = new URL('../test/vectors/chancery-envelope-v1.json', import.meta.url);
writeFileSync(out, `${JSON.stringify(await buildEnvelopeVectors(nodeProvider), null, 2)}\n`);
console.error(`wrote ${out.pathname}`);
