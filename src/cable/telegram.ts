// Renders a cable as classic telegram text (the layout readers of diplomatic cables know: classification banners,
// precedence and DTG, FM/TO/INFO, subject, tags, lettered references, numbered paragraphs). For display, print and
// export; never parsed back, never signed. Layout documented in docs/cable.md.
import type { Attachment, Cable, Marking } from './types.ts';
import { renderAcpDtg } from './dtg.ts';
import { assertValidCable } from './validate.ts';

/**
 * The classification line of a marking: the level, then the caveats joined by `/`, then releasability, separated
 * by ` // `. One community renders as `<X> ONLY` (`EU ONLY`), several as `REL TO A, B`; none adds nothing.
 *
 * @example
 * renderMarking({ classification: 'CONFIDENTIAL', caveats: ['CRYPTO'], releasableTo: ['EU', 'NATO'] });
 * // 'CONFIDENTIAL // CRYPTO // REL TO EU, NATO'
 * renderMarking({ classification: 'LIMITED', caveats: [], releasableTo: ['EU'] }); // 'LIMITED // EU ONLY'
 */
export function renderMarking(marking: Marking): string {
  const parts: string[] = [marking.classification];
  if (marking.caveats.length > 0) parts.push(marking.caveats.join('/'));
  const [only, ...more] = marking.releasableTo;
  if (only !== undefined) parts.push(more.length === 0 ? `${only} ONLY` : `REL TO ${marking.releasableTo.join(', ')}`);
  return parts.join(' // ');
}

/** Reference letters as telegrams use them: A–Z, then AA, AB, … */
function referenceLetter(index: number): string {
  const letter = String.fromCharCode(65 + (index % 26));
  return index < 26 ? letter : referenceLetter(Math.floor(index / 26) - 1) + letter;
}

/**
 * The body as numbered paragraphs. Paragraphs are separated by blank lines (lines of only spaces and tabs count
 * as blank); a paragraph's further lines are indented under its first, so no body line can pass for a heading
 * line such as `DRAFTED BY:` or a classification banner.
 */
function renderParagraphs(body: string): string[] {
  const paragraphs: string[][] = [];
  let current: string[] = [];
  for (const line of body.split('\n')) {
    if (/^[ \t]*$/.test(line)) {
      if (current.length > 0) paragraphs.push(current);
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) paragraphs.push(current);
  return paragraphs.map((lines, i) => {
    const number = `${i + 1}. `;
    const indent = ' '.repeat(number.length);
    return lines.map((line, j) => (j === 0 ? number : indent) + line).join('\n');
  });
}

function renderAttachment(a: Attachment): string {
  const size = a.data.length === 1 ? '1 byte' : `${a.data.length} bytes`;
  return `  ${a.name} (${a.mediaType}, ${size})`;
}

/** The heading block: banner, precedence and DTG, originator and addressees. */
function renderHeading(cable: Cable, banner: string): string {
  const h = cable.header;
  return [
    banner,
    `${h.precedence} ${renderAcpDtg(h.dtg)}`,
    `FM ${h.from}`,
    ...h.to.map((office) => `TO ${office}`),
    ...h.info.map((office) => `INFO ${office}`),
  ].join('\n');
}

/** The subject block: banner again, cable id, subject, tags and lettered references. */
function renderSubjectBlock(cable: Cable, banner: string): string {
  const lines = [banner, `CABLE: ${cable.header.id}`, `SUBJECT: ${cable.content.subject}`];
  if (cable.header.tags.length > 0) lines.push(`TAGS: ${cable.header.tags.join(', ')}`);
  cable.content.references.forEach((ref, i) => {
    lines.push(`${i === 0 ? 'REF: ' : '     '}${referenceLetter(i)}. ${ref}`);
  });
  return lines.join('\n');
}

/**
 * Renders a cable as telegram text, ending in a newline. The cable is validated first (throws ValidationError), so
 * every one-line field really is one line and the banners cannot be imitated by a field.
 *
 * @example
 * renderTelegram(cable);
 * // LIMITED // EU ONLY
 * // IMMEDIATE 261430Z NOV 26
 * // FM EEAS.DEL.WASHINGTON
 * // TO EEAS.HQ.AMERICAS
 * // ...
 */
export function renderTelegram(cable: Cable): string {
  const valid = assertValidCable(cable);
  const banner = renderMarking(valid.header.marking);
  const blocks = [renderHeading(valid, banner), renderSubjectBlock(valid, banner), ...renderParagraphs(valid.content.body)];
  if (valid.content.attachments.length > 0) {
    blocks.push(['ATTACHMENTS:', ...valid.content.attachments.map(renderAttachment)].join('\n'));
  }
  blocks.push(`DRAFTED BY: ${valid.header.drafter}\nRELEASED BY: ${valid.header.releaser}`, banner);
  return blocks.join('\n\n') + '\n';
}
