// Rules for the free text of a cable (subject, body, attachment names): which characters may appear and how long
// a text is. Nothing is normalised: a text that breaks a rule is refused, so one cable has exactly one encoding.

/**
 * Whether a UTF-16 unit is refused in every cable text:
 * - C0 controls (U+0000–U+001F) except where `allowTabNewline` lets tab and newline through; carriage return is
 *   always refused, so a body has one line-ending convention and `a\r\nb` and `a\nb` are never two spellings
 *   of one text;
 * - DEL and the C1 controls (U+007F–U+009F): invisible, and some terminals act on them.
 * Unpaired surrogates are handled by the callers, which see the neighbouring unit.
 */
function isForbiddenControl(unit: number, allowTabNewline: boolean): boolean {
  if (unit < 0x20) return !(allowTabNewline && (unit === 0x09 || unit === 0x0a));
  return unit >= 0x7f && unit <= 0x9f;
}

/**
 * Units a one-line text (subject, attachment name) may not hold besides controls: the Unicode line and paragraph
 * separators, and the bidirectional embedding, override and isolate controls, which can make `report\u202Efdp.exe`
 * display as `reportexe.pdf` (the "Trojan Source" trick).
 */
function isLineOrBidiControl(unit: number): boolean {
  return unit === 0x2028 || unit === 0x2029 || (unit >= 0x202a && unit <= 0x202e) || (unit >= 0x2066 && unit <= 0x2069);
}

/**
 * Index of the first refused unit, or -1. Unpaired surrogates are refused everywhere: UTF-8 cannot carry them, so
 * an encoder would silently write U+FFFD and the decoded cable would differ from the one that was signed.
 */
function firstRefused(text: string, oneLine: boolean): number {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (isHighSurrogate(unit)) {
      if (i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
        i++;
        continue;
      }
      return i;
    }
    if (isLowSurrogate(unit) || isForbiddenControl(unit, !oneLine)) return i;
    if (oneLine && isLineOrBidiControl(unit)) return i;
  }
  return -1;
}

/** Why a text was refused, or `undefined` when it is fine. */
export type TextProblem = string | undefined;

/**
 * Checks a one-line text such as a subject: no line breaks or controls, no leading or trailing white space.
 *
 * @example
 * checkOneLine('Meeting with the Foreign Minister'); // undefined
 * checkOneLine('two\nlines'); // 'contains a line break, control or bidirectional-control character'
 */
export function checkOneLine(text: string): TextProblem {
  if (firstRefused(text, true) >= 0) return 'contains a line break, control or bidirectional-control character';
  if (text.trim() !== text) return 'has leading or trailing white space';
  return undefined;
}

/**
 * Checks body text: tab and newline are the only controls allowed; carriage return is refused.
 *
 * @example
 * checkBody('1. First.\n\n2. Second.'); // undefined
 * checkBody('a\r\nb'); // 'contains a carriage return: use \n line endings'
 */
export function checkBody(text: string): TextProblem {
  if (text.includes('\r')) return 'contains a carriage return: use \\n line endings';
  if (firstRefused(text, false) >= 0) {
    return 'contains a control character (only tab and newline are allowed) or an unpaired surrogate';
  }
  return undefined;
}

/**
 * Number of Unicode code points, the unit of every "chars" limit in `CableLimits`.
 *
 * @example
 * countChars('日本'); // 2
 * countChars('😀'); // 1 (two UTF-16 units)
 */
export function countChars(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is a single code point: skip the low half.
    if (isHighSurrogate(unit) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) i++;
    n++;
  }
  return n;
}

/**
 * Length of the UTF-8 encoding of a well-formed string, computed without allocating it (a hostile body may be
 * large). Lone surrogates count as the 3 bytes of U+FFFD, as TextEncoder would write them.
 *
 * @example
 * utf8Length('é'); // 2
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (isHighSurrogate(unit) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
