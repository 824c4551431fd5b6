// A node in its own process, as an operator runs it (`chancery serve`), for tests and benchmarks that must kill it
// (SIGKILL: no shutdown hook runs) or measure its CPU time apart from the clients'.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

const bin = new URL('../../bin/chancery.js', import.meta.url).pathname;

export interface NodeProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  /** Resolves when the process has exited, with its exit code or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote to stderr so far (its URL line, warnings, a crash's stack). */
  stderr(): string;
  /** Sends `signal` and waits for the process to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `chancery serve --data DIR --port 0` and resolves with the URL it prints once listening (port 0: the
 * system picks a free port, so runs never collide). Logs below `logLevel` are dropped so the pipe never fills;
 * `nodeArgs` go to the node binary (`--cpu-prof` to profile the server alone), `serveArgs` to `chancery serve`.
 */
export function spawnNode(dataDir: string, options: { logLevel?: string; nodeArgs?: readonly string[]; serveArgs?: readonly string[] } = {}): Promise<NodeProcess> {
  const env = { ...process.env, CHANCERY_LOG_LEVEL: options.logLevel ?? 'warn' };
  const args = [...(options.nodeArgs ?? []), bin, 'serve', '--data', dataDir, '--port', '0', ...(options.serveArgs ?? [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const url = /listening at (http:\/\/(?:127\.0\.0\.1|localhost):\d+)/.exec(err)?.[1];
      if (url && child.pid !== undefined) {
        const pid = child.pid;
        resolve({
          child,
          pid,
          url,
          exited,
          stderr: () => err,
          async kill(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            await exited;
          },
        });
      }
    });
    void exited.then(({ code, signal }) => reject(new Error(`chancery serve exited (${code ?? signal}) before listening: ${err}`)));
  });
}

/** CPU seconds (user + system) a live process has used so far, from /proc (Linux); null elsewhere. */
export function processCpuSeconds(pid: number): number | null {
  try {
    // /proc/<pid>/stat: the command name (field 2) may hold spaces, so count fields after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime and stime: fields 14 and 15 of the whole line
    return ticks / 100; // USER_HZ is 100 on every Linux ABI Node supports
  } catch {
    return null;
  }
}
