// `npm run bench -- NAME`: runs one benchmark (or all) and prints its figures as JSON on stdout; progress goes to stderr.
import { benchDetect } from './detect.ts';
import { benchFederation } from './federation.ts';
import { benchLog } from './log.ts';
import { benchNode } from './node.ts';
import { benchSeal } from './seal.ts';
import { benchWebSearch } from './web-search.ts';

const benches: Record<string, () => Promise<Record<string, unknown>>> = {
  seal: benchSeal,
  node: benchNode,
  log: benchLog,
  detect: benchDetect,
  federation: benchFederation,
  'web-search': benchWebSearch,
};

// Names are the bare words; `--flag value` (or `--flag=value`) pairs are a benchmark's own options (bench/log.ts).
const args = process.argv.slice(2);
const requested = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--') && !args[i - 1]!.includes('=')));
const names = requested.length > 0 ? requested : Object.keys(benches);
for (const name of names) {
  const bench = benches[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  const result = await bench();
  process.stdout.write(`${JSON.stringify({ bench: name, ...result }, null, 2)}\n`);
}
