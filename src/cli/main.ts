// The `chancery` command: a thin shell that maps flags to library calls and prints the result (text or --json).
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { Classifications, type Classification } from '../cable/types.ts';
import { ChanceryError } from '../errors.ts';
import { nodeProvider } from '../crypto/node-provider.ts';
import { runCableDemo, type CableDemoResult } from '../demo/cable-demo.ts';

const ExitCodes = { ok: 0, failure: 1, usage: 2 } as const;

function parseLevel(value: string): Classification {
  const level = value.toUpperCase();
  if (!(Classifications as readonly string[]).includes(level)) {
    throw new InvalidArgumentError(`expected one of ${Classifications.join(', ')}`);
  }
  return level as Classification;
}

function printDemo(r: CableDemoResult): void {
  const out = process.stdout;
  out.write(`${r.telegram}\n\n`);
  out.write(`Sealed ${r.cableId} (${r.classification}) in ${r.sealMs.toFixed(1)} ms: ${r.envelopeBytes} bytes, `);
  out.write(`content padded to ${r.paddedContentBytes} bytes.\n`);
  out.write(`Wrapped to ${r.manifest.length} office keys (X-Wing, post-quantum hybrid):\n`);
  for (const m of r.manifest) out.write(`  ${m.office.padEnd(22)} node ${m.node.padEnd(7)} ${m.level} epoch ${m.epoch}\n`);
  if (r.releaseServices.length > 0) {
    out.write(`Second shares sealed to ${r.releaseServices.length} release services (a reader's device needs its office's share from its own node; logging each first opening comes with the audit-log milestone):\n`);
    for (const s of r.releaseServices) out.write(`  ${s.node.padEnd(7)} ${s.offices.join(', ')}\n`);
  }
  out.write('Opened by:\n');
  for (const o of r.opened) out.write(`  ${o.office.padEnd(22)} ${o.ms.toFixed(1).padStart(6)} ms  ${o.identical ? 'text identical' : 'TEXT DIFFERS'}\n`);
}

async function cableDemo(options: { level: Classification; json?: boolean }): Promise<void> {
  const onProgress = options.json ? undefined : (step: string) => process.stderr.write(`… ${step}\n`);
  const result = await runCableDemo(nodeProvider, { level: options.level, ...(onProgress ? { onProgress } : {}) });
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else printDemo(result);
  if (result.opened.some((o) => !o.identical)) process.exitCode = ExitCodes.failure;
}

export function buildProgram(): Command {
  const program = new Command('chancery')
    .description('Chancery: a secure cable network for diplomatic services.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText('after', '\nExamples:\n  chancery cable demo\n  chancery cable demo --level SECRET --json');

  const cable = program.command('cable').description('seal, open and inspect cables');
  cable
    .command('demo')
    .description('seal a sample cable to four offices on three nodes with fresh keys, then open it as each office')
    .option('--level <level>', `classification (${Classifications.join(', ')})`, parseLevel, 'LIMITED' as Classification)
    .option('--json', 'print the result as JSON')
    .action(cableDemo);

  program
    .command('start')
    .description('what `npm start` runs: for now the sealing demo (a node comes with the next milestone)')
    .action(async () => {
      process.stderr.write('Chancery core milestone: no node server yet. Running the sealing demo (chancery cable demo).\n\n');
      await cableDemo({ level: 'LIMITED' });
      process.stderr.write('\nNext: `npx chancery --help` lists commands; `npm test` runs the suite; `npm run bench -- seal` measures sealing.\n');
    });
  return program;
}

async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with code 0; every other parse failure is a usage error.
      process.exitCode = error.exitCode === 0 ? ExitCodes.ok : ExitCodes.usage;
      return;
    }
    if (error instanceof ChanceryError) {
      process.stderr.write(`error [${error.code}]: ${error.message}\n`);
      process.exitCode = ExitCodes.failure;
      return;
    }
    throw error;
  }
}

await main();
