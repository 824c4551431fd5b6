// The demo network through the `chancery` command as a user runs it, in real processes: `chancery demo` into a
// temp dir, `chancery serve` on a free port, then `inbox` and `cable read` as demo users with --json.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CABLES } from '../../src/demo/demo-cables.ts';
import { freePort } from '../support/ports.ts';

const bin = new URL('../../bin/chancery.js', import.meta.url).pathname;

function chancery(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, CHANCERY_PASSPHRASE: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}


/** Starts `chancery serve` and resolves once it says where it listens. */
function serve(data: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--data', data, '--port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (/listening at http:\/\/127\.0\.0\.1:\d+/.test(err)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

describe('chancery demo, serve, inbox and cable read (real processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chancery-cli-'));
  const data = join(dir, 'data');
  const key = (user: string) => ['--key', join(data, 'keys', `${user}.key`), '--passphrase-file', join(data, 'keys', 'PASSPHRASE.txt')];
  let server: ChildProcess | undefined;
  let demoOutput: { stdout: string; stderr: string; status: number | null };

  before(async () => {
    const port = await freePort();
    demoOutput = chancery('demo', '--data', data, '--url', `http://127.0.0.1:${port}`);
    assert.equal(demoOutput.status, 0, demoOutput.stderr);
    server = await serve(data, port);
  });
  after(() => {
    server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('demo builds the network through the real workflow and says what it made', () => {
    assert.match(demoOutput.stderr, /… node init: organisation EEAS/);
    assert.match(demoOutput.stderr, /… cable EEAS\.DEL\.WASHINGTON\/\d{4}\/000001 FLASH SECRET: drafted by marc\.dupont, released by helena\.virtanen/);
    assert.match(demoOutput.stdout, new RegExp(`${DEMO_CABLES.length} cables sent`));
    assert.match(demoOutput.stdout, /DEMO ONLY/);
    // Running it again over the same directory refuses instead of overwriting keys.
    const again = chancery('demo', '--data', data);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /file\.exists/);
  });

  it('inbox --json lists the head of department’s cables, FLASH first; cable read --json opens the exact text', () => {
    const inbox = chancery('inbox', '--json', ...key('joao.almeida'));
    assert.equal(inbox.status, 0, inbox.stderr);
    const { entries } = JSON.parse(inbox.stdout) as { entries: { id: string; precedence: string; classification: string }[] };
    assert.equal(entries.length, DEMO_CABLES.filter((c) => c.from === 'EEAS.HQ.AMERICAS' || c.to.includes('EEAS.HQ.AMERICAS' as never) || c.info?.includes('EEAS.HQ.AMERICAS' as never)).length);
    assert.deepEqual(entries.slice(0, 3).map((e) => e.precedence), ['FLASH', 'FLASH', 'FLASH']);
    const secret = entries.find((e) => e.classification === 'SECRET' && e.precedence === 'FLASH');
    assert.ok(secret);

    const read = chancery('cable', 'read', secret.id, '--json', ...key('joao.almeida'));
    assert.equal(read.status, 0, read.stderr);
    const opened = JSON.parse(read.stdout) as { id: string; content: { subject: string; body: string }; telegram: string };
    const source = DEMO_CABLES.find((c) => c.subject === opened.content.subject);
    assert.equal(opened.id, secret.id);
    assert.equal(opened.content.body, source?.body);
    assert.match(opened.telegram, /^SECRET \/\/ EU ONLY$/m);
  });

  it('a LIMITED assistant sees less, and is refused a SECRET cable (exit 1, a stable error code)', () => {
    const inbox = chancery('inbox', '--json', ...key('jan.devries'));
    const { entries } = JSON.parse(inbox.stdout) as { entries: { id: string; classification: string }[] };
    assert.ok(entries.length > 0);
    assert.ok(entries.every((e) => ['UNCLASSIFIED', 'LIMITED'].includes(e.classification)));
    const joao = JSON.parse(chancery('inbox', '--json', ...key('joao.almeida')).stdout) as { entries: { id: string; classification: string }[] };
    const secret = joao.entries.find((e) => e.classification === 'SECRET')!;
    const refused = chancery('cable', 'read', secret.id, ...key('jan.devries'));
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /error \[request\.forbidden\]/);
    assert.equal(chancery('inbox', '--key', join(data, 'keys', 'jan.devries.key')).status, 1, 'no passphrase given: a failure, not a prompt');
  });
});
