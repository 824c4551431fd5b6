// The compose form's state and its live checks: the cable model's own validation (issues with their codes, placed at
// the field they concern) and the policy's own decisions (may this user draft it, may each addressee receive it) —
// nothing here re-states a rule; it only asks src/cable and src/policy and files the answers by field.
import type { Attachment, CableId, Classification, Marking, OfficeCode, Precedence, RoutingHeader } from '../../../src/cable/types.ts';
import { dtgFromDate } from '../../../src/cable/dtg.ts';
import { validateCable } from '../../../src/cable/validate.ts';
import { policyUserOf, type Office, type UserView } from '../../../src/client/directory.ts';
import type { DraftInput } from '../../../src/client/drafts.ts';
import { DenialCodes, type DenialReason } from '../../../src/policy/decision.ts';
import { mayDraft } from '../../../src/policy/release.ts';
import { mayReceive } from '../../../src/policy/receive.ts';

export interface DraftForm {
  readonly from: string;
  readonly level: Classification;
  /** Comma-separated: a caveat may hold a space (`EYES ONLY`). */
  readonly caveats: string;
  readonly releasableTo: string;
  readonly precedence: Precedence;
  readonly to: readonly string[];
  readonly info: readonly string[];
  readonly tags: string;
  readonly references: string;
  readonly subject: string;
  readonly body: string;
  readonly attachments: readonly Attachment[];
}

export type FieldKey = 'from' | 'level' | 'caveats' | 'releasableTo' | 'precedence' | 'to' | 'info' | 'tags' | 'references' | 'subject' | 'body' | 'attachments' | 'general';

/** One problem to show beside a field: its stable code and words. */
export interface Finding {
  readonly code: string;
  readonly message: string;
}

export interface FormCheck {
  readonly byField: ReadonlyMap<FieldKey, readonly Finding[]>;
  /** Why an addressed office may not receive the cable at this marking (mayReceive), by office code. */
  readonly byOffice: ReadonlyMap<string, readonly DenialReason[]>;
  /** Every finding and office reason together. */
  readonly count: number;
}

export function emptyForm(from: string): DraftForm {
  return { from, level: 'RESTRICTED', caveats: '', releasableTo: '', precedence: 'ROUTINE', to: [], info: [], tags: '', references: '', subject: '', body: '', attachments: [] };
}

function words(text: string, separator: RegExp): string[] {
  return text.split(separator).map((w) => w.trim()).filter((w) => w !== '');
}

export function markingOf(form: DraftForm): Marking {
  return { classification: form.level, caveats: words(form.caveats, /,/), releasableTo: words(form.releasableTo, /[\s,]+/) };
}

/** What draftCable takes. Values are passed as typed: draftCable validates them again before sealing. */
export function draftInputOf(form: DraftForm): DraftInput {
  const m = markingOf(form);
  return {
    from: form.from as OfficeCode,
    to: form.to as OfficeCode[],
    info: form.info as OfficeCode[],
    tags: words(form.tags, /[\s,]+/),
    precedence: form.precedence,
    level: m.classification,
    caveats: m.caveats,
    releasableTo: m.releasableTo,
    subject: form.subject,
    body: form.body,
    references: words(form.references, /[\s,]+/) as CableId[],
    attachments: form.attachments,
  };
}

// Validation paths (`header.to[2]`, `content.subject`) to the form's fields; the id is ours to make, so its
// problems belong to the originating office it is built from.
const PATHS: readonly (readonly [RegExp, FieldKey])[] = [
  [/^header\.(id|from)/, 'from'],
  [/^header\.marking\.classification/, 'level'],
  [/^header\.marking\.caveats/, 'caveats'],
  [/^header\.marking\.releasableTo/, 'releasableTo'],
  [/^header\.precedence/, 'precedence'],
  [/^header\.to/, 'to'],
  [/^header\.info/, 'info'],
  [/^header\.tags/, 'tags'],
  [/^content\.references/, 'references'],
  [/^content\.subject/, 'subject'],
  [/^content\.body/, 'body'],
  [/^content\.attachments/, 'attachments'],
];

function fieldOfPath(path: string): FieldKey {
  return PATHS.find(([re]) => re.test(path))?.[1] ?? 'general';
}

// The drafter's own denials, by the field that would fix them.
function fieldOfDenial(code: string): FieldKey {
  switch (code) {
    case DenialCodes.clearanceInsufficient:
      return 'level';
    case DenialCodes.caveatMissing:
      return 'caveats';
    case DenialCodes.releasabilityExcluded:
      return 'releasableTo';
    case DenialCodes.needToKnowNotMember:
      return 'from';
    default:
      return 'general';
  }
}

/**
 * Every problem the form has now: validation issues of the cable it would build (DTG now, serial 1 as a stand-in)
 * and the policy's answers for this drafter and for each addressed office known to this device.
 */
export function checkForm(form: DraftForm, me: UserView | null, offices: readonly Office[], now: Date): FormCheck {
  const byField = new Map<FieldKey, Finding[]>();
  const add = (key: FieldKey, f: Finding) => byField.set(key, [...(byField.get(key) ?? []), f]);
  const input = draftInputOf(form);
  const marking = markingOf(form);
  const header = {
    id: `${form.from}/${now.getUTCFullYear()}/000001`,
    dtg: dtgFromDate(now),
    precedence: form.precedence,
    marking,
    from: form.from,
    to: input.to,
    info: input.info ?? [],
    tags: input.tags ?? [],
    drafter: me?.id ?? 'unknown',
    releaser: me?.id ?? 'unknown',
  };
  const content = { subject: form.subject, references: input.references ?? [], body: form.body, attachments: form.attachments };
  for (const issue of validateCable({ header, content })) add(fieldOfPath(issue.path), { code: issue.code, message: `${issue.path}: ${issue.message}` });

  if (me) {
    const decision = mayDraft(policyUserOf(me), header as unknown as RoutingHeader);
    if (!decision.allowed) for (const r of decision.reasons) add(fieldOfDenial(r.code), r);
  }
  const known = new Map(offices.map((o) => [o.code as string, o]));
  const byOffice = new Map<string, DenialReason[]>();
  for (const [key, codes] of [['to', form.to], ['info', form.info]] as const) {
    for (const code of codes) {
      const office = known.get(code);
      if (!office) {
        add(key, { code: 'office.unknown', message: `${code} is not an office this node or its peers list` });
        continue;
      }
      const d = mayReceive(office, marking);
      if (!d.allowed) byOffice.set(code, [...d.reasons]);
    }
  }
  const origin = known.get(form.from);
  if (origin) {
    const d = mayReceive(origin, marking);
    // The originating office keeps a copy, so it must be able to hold the cable too.
    if (!d.allowed) for (const r of d.reasons) add(r.code === DenialCodes.officeNotReleasable ? 'releasableTo' : 'level', r);
  }
  const count = [...byField.values(), ...byOffice.values()].reduce((n, l) => n + l.length, 0);
  return { byField, byOffice, count };
}

/** The user's own offices (where they may draft), in the order the node lists their memberships. */
export function draftingOffices(me: UserView | null): string[] {
  return [...new Set((me?.memberships ?? []).map((m) => m.office as string))];
}
