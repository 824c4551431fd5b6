// `chancery cable draft | release | send | list | read | demo` and `chancery inbox`: the release workflow and reading,
// each command one client-library call and a printout (text, or JSON with --json).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Classifications, type Classification, type Precedence } from '../cable/types.ts';
import { parseCableId, parseOfficeCode, parseUserId } from '../cable/ids.ts';
import { renderAcpDtg } from '../cable/dtg.ts';
import { renderMarking } from '../cable/telegram.ts';
import { FileError } from '../errors.ts';
import { nodeProvider } from '../crypto/node-provider.ts';
import { runCableDemo, type CableDemoResult } from '../demo/cable-demo.ts';
import { draftCable, listDrafts } from '../client/drafts.ts';
import { prepareRelease, releaseCandidate } from '../client/release.ts';
import { sendCable } from '../client/send.ts';
import { fetchInbox, markRead, readCable, type InboxLine } from '../client/reading.ts';
import { collect, deviceCommand, examples, ExitCodes, parseLevel, parsePrecedence, print, table, withSession, type DeviceOptions } from './io.ts';

function readBody(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8').replace(/\r\n/g, '\n').replace(/\n+$/, '');
  } catch (cause) {
    throw new FileError('file.missing', `cannot read the body from ${file}`, { cause });
  }
}

interface DraftFlags extends DeviceOptions {
  from?: string; to: string[]; info?: string[]; tags?: string[]; subject: string; bodyFile: string;
  precedence: Precedence; level: Classification; releasableTo?: string[]; caveat?: string[]; releaser?: string;
}

async function draft(f: DraftFlags): Promise<void> {
  await withSession(f, async (s) => {
    const id = await draftCable(s, {
      ...(f.from ? { from: parseOfficeCode(f.from) } : {}),
      to: f.to.map((o) => parseOfficeCode(o)),
      info: (f.info ?? []).map((o) => parseOfficeCode(o)),
      tags: (f.tags ?? []).map((t) => t.toUpperCase()),
      precedence: f.precedence,
      level: f.level,
      releasableTo: f.releasableTo ?? [],
      caveats: f.caveat ?? [],
      subject: f.subject,
      body: readBody(f.bodyFile),
      ...(f.releaser ? { releaser: parseUserId(f.releaser) } : {}),
    });
    print(f, { id, status: 'draft' }, (r) => r.id);
  });
}

async function release(idText: string, f: DeviceOptions & { yes?: boolean }): Promise<void> {
  await withSession(f, async (s) => {
    const candidate = await prepareRelease(s, parseCableId(idText));
    const released = f.yes ? await releaseCandidate(s, candidate) : null;
    print(f, { id: candidate.id, telegram: candidate.telegram, released: released !== null, dtg: candidate.cable.header.dtg }, (r) =>
      `${r.telegram}\n${r.released ? `Released ${r.id} (DTG ${r.dtg}). The drafter now sends it: chancery cable send ${r.id}` : 'Not released. Check the text above, then re-run with --yes to seal and release exactly this cable.'}`,
    );
  });
}

const marking = (e: InboxLine) => renderMarking({ classification: e.classification, caveats: e.caveats, releasableTo: e.releasableTo });

function renderInbox(entries: readonly InboxLine[]): string {
  if (entries.length === 0) return 'No cables.';
  const rows = entries.map((e) => [e.readAt === null ? '*' : ' ', e.precedence, renderAcpDtg(e.dtg), marking(e), e.id, e.office, e.tags.join(' ')]);
  return `${table(['', 'PRECEDENCE', 'DTG', 'CLASSIFICATION', 'CABLE', 'TO OFFICE', 'TAGS'], rows)}\n(* unread)`;
}

function printCableDemo(r: CableDemoResult): string {
  const lines = [r.telegram, `Sealed ${r.cableId} (${r.classification}) in ${r.sealMs.toFixed(1)} ms: ${r.envelopeBytes} bytes, content padded to ${r.paddedContentBytes} bytes.`];
  lines.push(`Wrapped to ${r.manifest.length} office keys (X-Wing, post-quantum hybrid):`, ...r.manifest.map((m) => `  ${m.office.padEnd(22)} node ${m.node.padEnd(7)} ${m.level} epoch ${m.epoch}`));
  if (r.releaseServices.length > 0) {
    lines.push(`Second shares sealed to ${r.releaseServices.length} release services (a reader's device needs its office's share from its own node):`);
    lines.push(...r.releaseServices.map((x) => `  ${x.node.padEnd(7)} ${x.offices.join(', ')}`));
  }
  lines.push('Opened by:', ...r.opened.map((o) => `  ${o.office.padEnd(22)} ${o.ms.toFixed(1).padStart(6)} ms  ${o.identical ? 'text identical' : 'TEXT DIFFERS'}`));
  return lines.join('\n');
}

export function registerCableCommands(program: Command): void {
  const cable = program.command('cable').description('seal, open and inspect cables');
  examples(
    deviceCommand(cable, 'draft', 'draft a cable, sealed to your office, for a releasing officer; prints its id')
      .requiredOption('--to <office>', 'action addressee (repeatable)', collect)
      .option('--info <office>', 'information addressee (repeatable)', collect)
      .option('--tags <tag>', 'routing tags, e.g. PREL,US (repeatable)', collect)
      .requiredOption('--subject <text>', 'subject line')
      .requiredOption('--body-file <file>', "the body text ('-' for stdin)")
      .option('--precedence <p>', 'FLASH, IMMEDIATE, PRIORITY or ROUTINE', parsePrecedence, 'ROUTINE' as Precedence)
      .requiredOption('--level <level>', `classification (${Classifications.join(', ')})`, parseLevel)
      .option('--releasable-to <community>', 'releasability, e.g. EU (repeatable)', collect)
      .option('--caveat <caveat>', 'handling caveat (repeatable)', collect)
      .option('--from <office>', 'originating office (default: your only office)')
      .option('--releaser <user>', 'the releasing officer you expect')
      .action(draft),
    ['chancery cable draft --key tomas.key --to EEAS.HQ.AMERICAS --tags PREL,US --precedence PRIORITY --level RESTRICTED \\', '  --releasable-to EU --subject "Senate hearing on transatlantic security" --body-file report.txt'],
  );
  examples(
    deviceCommand(cable, 'release', 'open a draft as releasing officer and show its telegram; --yes seals and releases it')
      .argument('<id>')
      .option('--yes', 'seal and release the cable exactly as shown')
      .action(release),
    ['chancery cable release --key helena.key EEAS.DEL.WASHINGTON/2026/000031          # read it first', 'chancery cable release --key helena.key EEAS.DEL.WASHINGTON/2026/000031 --yes    # then release'],
  );
  deviceCommand(cable, 'send', 'as drafter, check the released cable is your draft, countersign and send it')
    .argument('<id>')
    .action((id: string, f: DeviceOptions) =>
      withSession(f, async (s) => print(f, await sendCable(s, parseCableId(id)), (r) =>
        `Sent ${r.id} to ${r.deliveredTo.join(', ')}. The released cable was opened and checked against your draft.`)),
    );
  deviceCommand(cable, 'list', "drafts of your offices and where they stand (draft, released, sent)")
    .option('--office <code>', 'one office only')
    .action((f: DeviceOptions & { office?: string }) =>
      withSession(f, async (s) => print(f, await listDrafts(s, f.office ? parseOfficeCode(f.office) : undefined), (list) =>
        list.length === 0 ? 'No drafts.' : table(['CABLE', 'LEVEL', 'STATUS', 'DRAFTER', 'RELEASER', 'UPDATED'], list.map((d) => [d.id, d.level, d.status, d.drafter, d.releaser ?? '', new Date(d.updatedAt).toISOString()])))),
    );
  examples(
    deviceCommand(cable, 'read', 'verify, open and print a cable (the release service logs the read first)')
      .argument('<id>')
      .option('--no-mark-read', 'do not mark it read')
      .action((id: string, f: DeviceOptions & { markRead: boolean }) =>
        withSession(f, async (s) => {
          const opened = await readCable(s, parseCableId(id));
          if (f.markRead) await markRead(s, opened.cable.header.id);
          const { header, content } = opened.cable;
          print(f, { id: header.id, office: opened.office, header, content: { subject: content.subject, references: content.references, body: content.body }, telegram: opened.telegram }, (r) => r.telegram.trimEnd());
        }),
      ),
    ['chancery cable read --key joao.key EEAS.DEL.WASHINGTON/2026/000001', 'chancery cable read --key joao.key EEAS.DEL.WASHINGTON/2026/000001 --json'],
  );
  cable
    .command('demo')
    .description('seal a sample cable to four offices on three nodes with fresh keys, then open it as each office')
    .option('--level <level>', `classification (${Classifications.join(', ')})`, parseLevel, 'LIMITED' as Classification)
    .option('--json', 'print the result as JSON')
    .action(async (f: { level: Classification; json?: boolean }) => {
      const onProgress = f.json ? undefined : (step: string) => process.stderr.write(`… ${step}\n`);
      const result = await runCableDemo(nodeProvider, { level: f.level, ...(onProgress ? { onProgress } : {}) });
      print(f, result, printCableDemo);
      if (result.opened.some((o) => !o.identical)) process.exitCode = ExitCodes.failure;
    });

  examples(
    deviceCommand(program, 'inbox', 'cables addressed to your offices: FLASH first, newest first within a precedence')
      .option('--office <code>', 'one office only')
      .option('--limit <n>', 'at most this many (1–200)', (v) => Number.parseInt(v, 10), 50)
      .action((f: DeviceOptions & { office?: string; limit: number }) =>
        withSession(f, async (s) => {
          const page = await fetchInbox(s, { limit: f.limit, ...(f.office ? { office: parseOfficeCode(f.office) } : {}) });
          print(f, page, (p) => renderInbox(p.entries) + (p.next ? '\n(more: raise --limit)' : ''));
        }),
      ),
    ['chancery inbox --key data/keys/joao.almeida.key', 'chancery inbox --key data/keys/joao.almeida.key --json'],
  );
}
