// A line the byte scanner took (trace-bytes.ts), as the TraceEvent the rules and the scorer read: one object
// refilled for every line, so the replay's fast path makes no event per line.
import { Classifications, type Classification } from '../cable/types.ts';
import { TraceEventKinds, type TraceEvent, type TraceEventKind } from './trace.ts';
import { F_CABLE, F_DEVICE, F_IP, F_OFFICE, ScannedLine } from './scanned-line.ts';

/**
 * A scanned line as the TraceEvent the rules and the scorer read (they only read it during the call): the numbers
 * and constants as fields, the text fields decoded only if something asks for them. Filled again for every line.
 */
export class ScannedEvent {
  at = Number.NaN;
  kind: TraceEventKind = 'read';
  user = '';
  level: Classification | undefined = undefined;
  ageDays: number | undefined = undefined;
  canary: boolean | undefined = undefined;
  private line = new ScannedLine();

  fill(line: ScannedLine, user: string): void {
    this.line = line;
    this.at = line.at;
    this.kind = TraceEventKinds[line.kind]!;
    this.user = user;
    this.level = line.level < 0 ? undefined : Classifications[line.level];
    this.ageDays = line.ageDays < 0 ? undefined : line.ageDays;
    this.canary = line.canary < 0 ? undefined : line.canary === 1;
  }

  get device(): string | undefined {
    return this.line.text(F_DEVICE);
  }
  get ip(): string | undefined {
    return this.line.text(F_IP);
  }
  get cable(): string | undefined {
    return this.line.text(F_CABLE);
  }
  get office(): string | undefined {
    return this.line.text(F_OFFICE);
  }
  get tags(): readonly string[] | undefined {
    return this.line.tags();
  }

  /** As a TraceEvent: an absent field reads as undefined, as on a parsed event. */
  asEvent(): TraceEvent {
    return this as unknown as TraceEvent;
  }
}
