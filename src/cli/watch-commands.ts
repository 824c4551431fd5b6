// `chancery watch`: the ghost-device and ghost-member check of src/client/key-watch.ts, for a person or a cron job.
// Exits 1 when it finds a ghost (a device of yours approved at the node but not on the audit log), so a scheduled
// run can raise an alarm; news a person must confirm (a new device, member or epoch) is printed, exit 0.
import type { Command } from 'commander';
import { watchKeys, type KeyWatchResult } from '../client/key-watch.ts';
import { deviceCommand, examples, ExitCodes, print, withSession, type DeviceOptions } from './io.ts';

function render(r: KeyWatchResult): string {
  const lines = r.warnings.map((w) => `${w.severity === 'high' ? 'WARNING' : 'notice '} ${w.message}`);
  if (r.baseline) lines.push(`first check: recorded ${r.known.devices.length} device(s) and ${Object.keys(r.known.members).length} office(s); later checks report changes`);
  else if (r.warnings.length === 0) lines.push('nothing unexpected: your devices and your offices\' members and key epochs are as last seen');
  return lines.join('\n');
}

export function registerWatchCommands(program: Command): void {
  examples(
    deviceCommand(program, 'watch', "check your devices and your offices' members and key epochs against the audit log and what this device saw before")
      .action((f: DeviceOptions) =>
        withSession(f, async (s) => {
          if (!f.key) return;
          const result = await watchKeys(s, f.key);
          print(f, result, render);
          if (result.warnings.some((w) => w.severity === 'high')) process.exitCode = ExitCodes.failure;
        }),
      ),
    ['chancery watch --key data/keys/joao.almeida.key', 'chancery watch --key data/keys/joao.almeida.key --json'],
  );
}
