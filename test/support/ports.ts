// A loopback port for a node a test starts as a process (which must know its URL before it listens).
import { createServer } from 'node:net';

/** A loopback port free right now (the node binds it moments later; the kernel does not hand it out again so soon). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
