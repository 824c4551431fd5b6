// The keeper process that `chancery serve` spawns (supervisor.ts): `node --import tsx main.ts --data DIR --socket
// PATH`. Logs are pino JSON lines on stderr, which the parent joins to its own log; a start-up failure is one fatal
// line with the error's code, then exit 1. Its stdin is the parent's pipe: when that closes, the parent is gone
// (however it ended) and the keeper exits too. Operators running a keeper of their own use `chancery node keeper`.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { nodeProvider } from '../../crypto/node-provider.ts';
import { ChanceryError } from '../../errors.ts';
import { runKeeper } from './server.ts';

const log = pino({ level: process.env.CHANCERY_LOG_LEVEL ?? 'info' }, pino.destination({ dest: 2, sync: true }));

try {
  const { values } = parseArgs({ options: { data: { type: 'string' }, socket: { type: 'string' } }, strict: true });
  if (values.data === undefined || values.socket === undefined) throw new RangeError('usage: main.ts --data DIR --socket PATH');
  const running = await runKeeper(nodeProvider, values.data, { socketPath: values.socket, log });
  const stop = () => void running.close().then(() => process.exit(0));
  process.stdin.once('end', stop);
  process.stdin.once('error', stop);
  process.stdin.resume();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  log.fatal({ code: error instanceof ChanceryError ? error.code : 'internal' }, error instanceof Error ? error.message : String(error));
  process.exit(1);
}
