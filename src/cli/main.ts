// The `chancery` command: a thin shell over the client library (STYLE.md "The CLI and the web app are shells"):
// each command maps its flags to one library call and prints the result as text or, with --json, as JSON.
// Exit codes: 0 ok, 1 a failure (the error's stable code is printed), 2 a usage error.
import { Command, CommanderError } from 'commander';
import { ChanceryError } from '../errors.ts';
import { RemoteError } from '../client/http.ts';
import { PolicyDeniedError } from '../policy/decision.ts';
import { registerAdminCommands } from './admin-commands.ts';
import { registerAlertCommands } from './alert-commands.ts';
import { registerAuditCommands } from './audit-commands.ts';
import { registerCableCommands } from './cable-commands.ts';
import { registerCanaryCommands } from './canary-commands.ts';
import { registerDetectCommands } from './detect-commands.ts';
import { ExitCodes, UsageError } from './io.ts';
import { registerFederationCommands } from './federation-commands.ts';
import { registerPeerCommands } from './peer-commands.ts';
import { registerNodeCommands } from './node-commands.ts';
import { registerSimulateCommands } from './simulate-commands.ts';
import { registerWatchCommands } from './watch-commands.ts';
import { registerWebCommands } from './web-commands.ts';

const EXAMPLES = `
Examples:
  npm start                                            # demo network in ./data, served on :8080
  chancery demo --data ./data && chancery serve --data ./data --port 8080
  export CHANCERY_PASSPHRASE=demo                      # demo keys only
  chancery inbox --key data/keys/joao.almeida.key
  chancery cable read EEAS.DEL.WASHINGTON/2026/000001 --key data/keys/joao.almeida.key
  chancery cable demo --level SECRET --json
  chancery demo --nodes 3 --data ./federation          # EEAS, MFA.CY, MFA.FR peered, on :8080-8082`;

export function buildProgram(): Command {
  const program = new Command('chancery')
    .description('Chancery: a secure cable network for diplomatic services.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText('after', EXAMPLES);
  registerNodeCommands(program);
  registerAdminCommands(program);
  registerCableCommands(program);
  registerAuditCommands(program);
  registerWatchCommands(program);
  registerDetectCommands(program);
  registerAlertCommands(program);
  registerCanaryCommands(program);
  registerSimulateCommands(program);
  registerPeerCommands(program);
  registerFederationCommands(program);
  registerWebCommands(program);
  // Subcommands inherit the parent's error handling, so usage errors anywhere end with exit code 2.
  const inherit = (c: Command): void => {
    for (const sub of c.commands) inherit(sub.exitOverride().showHelpAfterError());
  };
  inherit(program);
  return program;
}

function report(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCodes.ok : ExitCodes.usage; // already printed
  if (error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\n`);
    return ExitCodes.usage;
  }
  if (error instanceof ChanceryError) {
    const status = error instanceof RemoteError && error.status > 0 ? ` (node answered HTTP ${error.status})` : '';
    process.stderr.write(`error [${error.code}]: ${error.message}${status}\n`);
    const reasons = error instanceof RemoteError || error instanceof PolicyDeniedError ? error.reasons : [];
    for (const r of reasons) process.stderr.write(`  - ${r.code}: ${r.message}\n`);
    return ExitCodes.failure;
  }
  // Not one of ours (a port in use, a file system error): say what it was, without a stack trace.
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return ExitCodes.failure;
}

async function main(): Promise<void> {
  // `chancery inbox | head` closes the pipe early: that is the reader's choice, not a failure worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? ExitCodes.ok);
    throw error;
  });
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    process.exitCode = report(error);
  }
}

await main();
