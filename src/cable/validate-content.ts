// Validation of the protected part (subject, references, body, attachments): the content that only ever travels
// inside the ciphertext. Every problem is reported with its path; a part is returned only when there are none.
import type { Attachment, CableId, ProtectedPart } from './types.ts';
import { IssueCodes } from './issue-codes.ts';
import { CableLimits, CablePatterns } from './limits.ts';
import { checkCableId } from './ids.ts';
import { checkBody, checkOneLine, countChars, utf8Length } from './text.ts';
import { addIssue, fieldPath, indexPath } from './issues.ts';
import type { Issues } from './issues.ts';
import { allDefined, checkCount, checkUnique, cleanly, present, readBytes, readList, readRecord, readString } from './fields.ts';

/** The fields of a protected part. */
export const ProtectedPartFields = ['subject', 'references', 'body', 'attachments'] as const;
/** The fields of an attachment. */
export const AttachmentFields = ['name', 'mediaType', 'data'] as const;

function readSubject(value: unknown, path: string, out: Issues): string | undefined {
  return cleanly(out, () => {
    const subject = readString(value, path, out);
    if (subject === undefined) return undefined;
    if (subject === '') {
      addIssue(out, IssueCodes.subjectEmpty, path, 'is empty');
      return undefined;
    }
    const chars = countChars(subject);
    if (chars > CableLimits.subjectMaxChars) {
      addIssue(out, IssueCodes.subjectTooLong, path, `has ${chars} chars; at most ${CableLimits.subjectMaxChars}`);
    }
    const problem = checkOneLine(subject);
    if (problem !== undefined) addIssue(out, IssueCodes.subjectFormat, path, problem);
    return subject;
  });
}

function readBody(value: unknown, path: string, out: Issues): string | undefined {
  return cleanly(out, () => {
    const body = readString(value, path, out);
    if (body === undefined) return undefined;
    // UTF-16 length bounds UTF-8 length from below: a string that long is too large without counting further.
    const bytes = body.length > CableLimits.bodyMaxBytes ? body.length : utf8Length(body);
    if (bytes > CableLimits.bodyMaxBytes) {
      addIssue(out, IssueCodes.bodyTooLarge, path, `exceeds ${CableLimits.bodyMaxBytes} UTF-8 bytes`);
    }
    const problem = checkBody(body);
    if (problem !== undefined) addIssue(out, IssueCodes.bodyFormat, path, problem);
    return body;
  });
}

/** References: cable ids, each cited once. */
function readReferences(value: unknown, path: string, out: Issues): readonly (CableId | undefined)[] | undefined {
  const refs = readList(value, path, out, (item, itemPath) => {
    const checked = checkCableId(item);
    if (checked.ok) return checked.value.id;
    const code = checked.issue.code === IssueCodes.idFormat ? IssueCodes.referenceFormat : checked.issue.code;
    addIssue(out, code, itemPath, checked.issue.message);
    return undefined;
  });
  checkCount(refs, CableLimits.referencesMax, IssueCodes.referencesTooMany, path, out);
  checkUnique(refs, IssueCodes.referenceDuplicate, path, out);
  return refs;
}

/**
 * An attachment name is one file name: it could become a path on a reader's disk, so no separators, no `.` or
 * `..`, and the one-line text rules (no controls, no bidi tricks, no edge white space).
 */
function readAttachmentName(value: unknown, path: string, out: Issues): string | undefined {
  return cleanly(out, () => {
    const name = readString(value, path, out);
    if (name === undefined) return undefined;
    const problem =
      name === '' || name === '.' || name === '..'
        ? 'must name a file'
        : /[/\\]/.test(name)
          ? 'contains a path separator'
          : checkOneLine(name);
    if (problem !== undefined) addIssue(out, IssueCodes.attachmentNameFormat, path, problem);
    const chars = countChars(name);
    if (chars > CableLimits.attachmentNameMaxChars) {
      addIssue(out, IssueCodes.attachmentNameTooLong, path, `has ${chars} chars; at most ${CableLimits.attachmentNameMaxChars}`);
    }
    return name;
  });
}

function readMediaType(value: unknown, path: string, out: Issues): string | undefined {
  return cleanly(out, () => {
    const mediaType = readString(value, path, out);
    if (mediaType === undefined) return undefined;
    if (mediaType.length > CableLimits.mediaTypeMaxChars || !CablePatterns.mediaType.test(mediaType)) {
      addIssue(out, IssueCodes.mediaTypeFormat, path, 'must be a lower-case type/subtype without parameters, at most 127 chars');
    }
    return mediaType;
  });
}

function readAttachment(value: unknown, path: string, out: Issues): Attachment | undefined {
  return cleanly(out, () => {
    const r = readRecord(value, path, AttachmentFields, out);
    if (r === undefined) return undefined;
    const name = readAttachmentName(r.name, fieldPath(path, 'name'), out);
    const mediaType = readMediaType(r.mediaType, fieldPath(path, 'mediaType'), out);
    const dataPath = fieldPath(path, 'data');
    const data = readBytes(r.data, dataPath, out);
    if (data !== undefined && data.length > CableLimits.attachmentMaxBytes) {
      addIssue(out, IssueCodes.attachmentTooLarge, dataPath, `has ${data.length} bytes; at most ${CableLimits.attachmentMaxBytes}`);
    }
    return allDefined({ name, mediaType, data });
  });
}

/** Attachments: at most 20, at most 50 MiB together, each name once (saving both would overwrite one). */
function readAttachments(value: unknown, path: string, out: Issues): readonly (Attachment | undefined)[] | undefined {
  const list = readList(value, path, out, (item, itemPath) => readAttachment(item, itemPath, out));
  checkCount(list, CableLimits.attachmentsMax, IssueCodes.attachmentsTooMany, path, out);
  if (list === undefined) return undefined;
  const total = list.reduce((sum, a) => sum + (a?.data.length ?? 0), 0);
  if (total > CableLimits.attachmentsTotalMaxBytes) {
    addIssue(out, IssueCodes.attachmentsTooLarge, path, `total ${total} bytes; at most ${CableLimits.attachmentsTotalMaxBytes}`);
  }
  const names = new Set<string>();
  list.forEach((a, i) => {
    if (a === undefined) return;
    const namePath = fieldPath(indexPath(path, i), 'name');
    if (names.has(a.name)) addIssue(out, IssueCodes.attachmentNameDuplicate, namePath, 'repeats an earlier name');
    names.add(a.name);
  });
  return list;
}

/** Reads and validates a protected part; `undefined` unless it is entirely valid. */
export function readProtectedPart(value: unknown, path: string, out: Issues): ProtectedPart | undefined {
  return cleanly(out, () => {
    const r = readRecord(value, path, ProtectedPartFields, out);
    if (r === undefined) return undefined;
    const subject = readSubject(r.subject, fieldPath(path, 'subject'), out);
    const references = readReferences(r.references, fieldPath(path, 'references'), out);
    const body = readBody(r.body, fieldPath(path, 'body'), out);
    const attachments = readAttachments(r.attachments, fieldPath(path, 'attachments'), out);
    const p = allDefined({ subject, references, body, attachments });
    return p && { subject: p.subject, references: present(p.references), body: p.body, attachments: present(p.attachments) };
  });
}
