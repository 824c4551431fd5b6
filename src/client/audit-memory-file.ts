// Where a key-file device keeps its auditor's memory: `auditCheckpoint` in `<keyfile>.json` (Node only: the file
// system). The browser keeps it in IndexedDB.
import { utf8 } from '../bytes.ts';
import { parseCheckpoint } from '../log/checkpoint.ts';
import { parseNote } from '../log/note.ts';
import type { AuditMemory } from './audit.ts';
import { readClientConfig, writeClientConfig } from './config.ts';

function sizeOfNote(note: string): number {
  return parseCheckpoint(parseNote(utf8(note)).text).size;
}

/**
 * The auditor's memory of the device at `keyFile`: `auditCheckpoint` in `<keyfile>.json`, re-read before each write
 * so that two audits running at once never move it back (the larger is kept; the next audit verifies it anyway).
 */
export async function auditMemory(keyFile: string): Promise<AuditMemory> {
  const config = await readClientConfig(keyFile);
  return {
    ...(config.auditCheckpoint === undefined ? {} : { auditCheckpoint: config.auditCheckpoint }),
    async save(note: string) {
      const current = await readClientConfig(keyFile);
      if (current.auditCheckpoint !== undefined && sizeOfNote(current.auditCheckpoint) > sizeOfNote(note)) return;
      await writeClientConfig(keyFile, { ...current, auditCheckpoint: note });
    },
  };
}
