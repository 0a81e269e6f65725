// The tokenizer of the `.tcpscn` language (spec, "Lexical rules"). A statement never spans
// lines, so the unit of lexing is one line: `lexLine(lineText, line)`. The parser uses it,
// and so do the editor's completion and hover code, which need the token under the cursor
// even in a half-typed line: lexing never fails and never throws; a malformed token is
// still a token, of its best-guess kind, with `error` saying what is wrong.
//
// Every scanner below moves forward one character at a time and never looks back, so a
// line of any length lexes in linear time (no backtracking regular expressions).
//
// Token kinds:
//   word      a name or keyword: [A-Za-z_][A-Za-z0-9_-]*, ending before a `->`
//             (`client->server` is word, arrow, word). State and flag names are words.
//   number    a decimal number without unit: `0`, `1000`, `1.5`; value = the number
//   duration  a number with a unit us|ms|s|min: `250ms`, `1.5s`; value = milliseconds,
//             unit = the unit written (a half-typed `5m` is a duration with an error)
//   string    "..." with \" and \\ escapes; value = the unescaped text
//   address   `10.0.0.1:80`, `[fd00::1]:80`; value = the host (IPv6 without brackets),
//             port = the port, or null when none is written
//   arrow `->`   equals `=`   comma `,`   plus `+`   star `*`
//   comment   `#` to the end of the line (text includes the `#`)
//   invalid   a run of characters that starts no token (error says which)

import type { Range } from './types';
import { range } from './types';
import { TIME_UNITS, type DurationUnit } from './vocabulary';

export type TokenKind =
  | 'word'
  | 'number'
  | 'duration'
  | 'string'
  | 'address'
  | 'arrow'
  | 'equals'
  | 'comma'
  | 'plus'
  | 'star'
  | 'comment'
  | 'invalid';

export type { DurationUnit } from './vocabulary';

export interface Token {
  kind: TokenKind;
  /** The source text of the token, exactly as written. */
  text: string;
  /** Where it is: one line, UTF-16 columns, end exclusive. */
  range: Range;
  /**
   * number: its value; duration: its value in milliseconds; string: the unescaped text;
   * address: the host (IPv4 dotted, or IPv6 without brackets). Absent when `error` made it
   * impossible to tell.
   */
  value?: number | string;
  /** address: the port written after the colon, or null when there is none. */
  port?: number | null;
  /** duration: the unit as written. */
  unit?: DurationUnit;
  /** Set when the token is malformed: a message for a diagnostic (what is wrong, what is right). */
  error?: string;
  /** With `error`: a stable diagnostic code (`unterminated-string`, `invalid-number`, ...). */
  errorCode?: string;
}

export { KEYWORDS } from './vocabulary';

/** Microseconds per unit; durations are computed in exact integer arithmetic where possible. */
const UNIT_MICROSECONDS: Readonly<Record<DurationUnit, number>> = Object.fromEntries(
  TIME_UNITS.map((u) => [u.unit, u.microseconds]),
) as Record<DurationUnit, number>;
export const DURATION_UNITS: readonly DurationUnit[] = TIME_UNITS.map((u) => u.unit);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isWordStart(c: number): boolean {
  return isAsciiLetter(c) || c === 95; // _
}
function isWordPart(c: number): boolean {
  return isWordStart(c) || isDigit(c) || c === 45; // -
}
/** Blanks: space, tab, and U+FEFF (a byte order mark that an editor left at the start of a file). */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 0xfeff;
}
/** Characters of a numeric run: digits, letters (units), `.` and `:` (IPv4 addresses). */
function isNumericPart(c: number): boolean {
  return isDigit(c) || isAsciiLetter(c) || c === 46 || c === 58;
}
/** Characters that start a token of their own; an invalid run stops before them. */
function startsToken(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return (
    isSpace(c) ||
    isWordStart(c) ||
    isDigit(c) ||
    c === 35 /* # */ ||
    c === 34 /* " */ ||
    c === 61 /* = */ ||
    c === 44 /* , */ ||
    c === 43 /* + */ ||
    c === 42 /* * */ ||
    c === 91 /* [ */ ||
    (c === 45 /* - */ && text.charCodeAt(i + 1) === 62) /* -> */
  );
}

/** How a character looks in a message: itself when printable, else its code point. */
export function describeCharacter(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (
    cp < 0x20 ||
    cp === 0x7f ||
    (cp >= 0x80 && cp <= 0xa0) ||
    cp === 0x2007 ||
    cp === 0x202f ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0xfeff ||
    (cp >= 0xd800 && cp <= 0xdfff)
  ) {
    return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `\`${ch}\``;
}

/**
 * The text of each line of a document, without its line terminator (`\n` or `\r\n`; a lone
 * `\r` inside a line is kept, and lexes as an invalid character). Always at least one line.
 */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  return lines;
}

/**
 * Tokens of one line. `lineText` is the line without its terminator (a trailing `\r` is
 * ignored); `line` is its zero-based number, used only for the ranges. Blanks separate
 * tokens and are not returned; a comment is the last token when present.
 */
export function lexLine(lineText: string, line: number): Token[] {
  const text = lineText.endsWith('\r') ? lineText.slice(0, -1) : lineText;
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === 35) {
      tokens.push(simple('comment', text, line, start, n));
      break;
    }
    if (c === 34) {
      i = lexString(text, i, line, tokens);
      continue;
    }
    if (c === 61) {
      tokens.push(simple('equals', text, line, start, ++i));
      continue;
    }
    if (c === 44) {
      tokens.push(simple('comma', text, line, start, ++i));
      continue;
    }
    if (c === 43) {
      tokens.push(simple('plus', text, line, start, ++i));
      continue;
    }
    if (c === 42) {
      tokens.push(simple('star', text, line, start, ++i));
      continue;
    }
    if (c === 45 && text.charCodeAt(i + 1) === 62) {
      i += 2;
      tokens.push(simple('arrow', text, line, start, i));
      continue;
    }
    if (isWordStart(c)) {
      i++;
      while (i < n && isWordPart(text.charCodeAt(i)) && !(text.charCodeAt(i) === 45 && text.charCodeAt(i + 1) === 62))
        i++;
      tokens.push(simple('word', text, line, start, i));
      continue;
    }
    if (isDigit(c)) {
      i++;
      while (i < n && isNumericPart(text.charCodeAt(i))) i++;
      tokens.push(classifyNumeric(text.slice(start, i), line, start));
      continue;
    }
    if (c === 91) {
      i = lexBracketAddress(text, i, line, tokens);
      continue;
    }
    // Anything else: one invalid token for the whole run, so a line of 100 000 stray
    // characters is one diagnostic, not 100 000.
    i++;
    if (c >= 0xd800 && c <= 0xdbff && i < n) {
      const d = text.charCodeAt(i);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    while (i < n && !startsToken(text, i)) i++;
    const first = String.fromCodePoint(text.codePointAt(start) ?? c);
    const hint =
      c === 45
        ? ' (numbers are never negative; a direction is written `A->B`)'
        : c === 46
          ? ' (write a leading zero: `0.5s`)'
          : c === 0xa0 || c === 0x2007 || c === 0x202f
            ? ' (a non-breaking space; type a normal space)'
            : c === 0x201c || c === 0x201d
              ? ' (a typographic quote; strings use the straight `"`)'
              : '';
    const stray = simple('invalid', text, line, start, i);
    stray.error = `unexpected character ${describeCharacter(first)}${hint}`;
    stray.errorCode = 'invalid-character';
    tokens.push(stray);
  }
  return tokens;
}

function simple(kind: TokenKind, text: string, line: number, start: number, end: number): Token {
  return { kind, text: text.slice(start, end), range: range(line, start, end) };
}

/** A double-quoted string starting at `start`; returns the index after it. */
function lexString(text: string, start: number, line: number, tokens: Token[]): number {
  const n = text.length;
  let i = start + 1;
  let value = '';
  let error: string | undefined;
  let errorCode: string | undefined;
  let closed = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      closed = true;
      i++;
      break;
    }
    if (c === 92 /* \ */) {
      const next = text[i + 1];
      if (next === '"' || next === '\\') {
        value += next;
        i += 2;
        continue;
      }
      if (!error) {
        error =
          next === undefined
            ? 'a string cannot end with a lone `\\`; write `\\\\` for a backslash'
            : `unknown escape \`\\${next}\` in a string; only \`\\"\` and \`\\\\\` are escapes (write \`\\\\\` for a backslash)`;
        errorCode = 'invalid-escape';
      }
      value += '\\';
      i++;
      continue;
    }
    value += text[i];
    i++;
  }
  if (!closed) {
    error = 'unterminated string: add the closing `"` (a string must end on its own line)';
    errorCode = 'unterminated-string';
  }
  const token: Token = { kind: 'string', text: text.slice(start, i), range: range(line, start, i), value };
  if (error) {
    token.error = error;
    token.errorCode = errorCode;
  }
  tokens.push(token);
  return i;
}

/** An IPv6 address in brackets, `[fd00::1]:80`, starting at `start`; returns the index after it. */
function lexBracketAddress(text: string, start: number, line: number, tokens: Token[]): number {
  const n = text.length;
  let i = start + 1;
  while (i < n && text.charCodeAt(i) !== 93 /* ] */ && !isSpace(text.charCodeAt(i))) i++;
  if (i >= n || text.charCodeAt(i) !== 93) {
    tokens.push({
      kind: 'address',
      text: text.slice(start, i),
      range: range(line, start, i),
      port: null,
      error: 'an IPv6 address in brackets needs its closing `]`, as in `[fd00::1]:80`',
      errorCode: 'invalid-address',
    });
    return i;
  }
  const host = text.slice(start + 1, i);
  i++; // past ]
  let port: number | null = null;
  let error: string | undefined;
  if (text.charCodeAt(i) === 58 /* : */) {
    const portStart = ++i;
    while (i < n && isNumericPart(text.charCodeAt(i))) i++;
    const portText = text.slice(portStart, i);
    if (isDigits(portText)) port = Number(portText);
    else error = `the port after \`[${host}]:\` must be a number from 1 to 65535`;
  }
  if (!error && !isIpv6(host)) error = `\`${host}\` is not an IPv6 address; write it like \`[fd00::1]:80\``;
  const token: Token = { kind: 'address', text: text.slice(start, i), range: range(line, start, i), value: host, port };
  if (error) {
    token.error = error;
    token.errorCode = 'invalid-address';
  }
  tokens.push(token);
  return i;
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let k = 0; k < s.length; k++) if (!isDigit(s.charCodeAt(k))) return false;
  return true;
}

function isHexGroup(s: string): boolean {
  if (s.length === 0 || s.length > 4) return false;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (!(isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => isDigits(p) && p.length <= 3 && Number(p) <= 255);
}

/** RFC 4291 section 2.2 text forms: eight groups, or fewer with one `::`, optionally ending in IPv4. */
export function isIpv6(s: string): boolean {
  if (s.length === 0 || s.length > 45) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (h: string): string[] | null => (h === '' ? [] : h.split(':'));
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return false;
  const all = [...head, ...tail];
  let count = 0;
  for (let k = 0; k < all.length; k++) {
    const g = all[k]!;
    if (k === all.length - 1 && g.includes('.')) {
      if (!isIpv4(g)) return false;
      count += 2;
    } else if (isHexGroup(g)) count += 1;
    else return false;
  }
  return halves.length === 2 ? count < 8 : count === 8;
}

/**
 * Milliseconds of `digits` (a decimal number as written) times a unit, exact whenever the
 * inputs allow (`0.1s` is 100, not 100.00000000000001). Undefined when not a plain decimal.
 */
export function durationMs(digits: string, unit: DurationUnit): number | undefined {
  const dot = digits.indexOf('.');
  const intPart = dot < 0 ? digits : digits.slice(0, dot);
  const fracPart = dot < 0 ? '' : digits.slice(dot + 1);
  if (!isDigits(intPart) || (dot >= 0 && !isDigits(fracPart))) return undefined;
  const mantissa = Number(intPart + fracPart);
  const micro = UNIT_MICROSECONDS[unit];
  if (fracPart.length > 15 || !Number.isSafeInteger(mantissa) || !Number.isSafeInteger(mantissa * micro)) {
    return Number(digits) * (micro / 1000);
  }
  return (mantissa * micro) / (10 ** fracPart.length * 1000);
}

/** A run starting with a digit: a number, a duration, or an IPv4 address with port. */
function classifyNumeric(text: string, line: number, start: number): Token {
  const r = range(line, start, start + text.length);
  const bad = (kind: TokenKind, error: string, errorCode: string, extra?: Partial<Token>): Token => ({
    kind,
    text,
    range: r,
    error,
    errorCode,
    ...extra,
  });
  if (isDigits(text)) return { kind: 'number', text, range: r, value: Number(text) };
  const colon = text.indexOf(':');
  let dots = 0;
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 46) dots++;
  if (colon >= 0 || dots >= 2) {
    const host = colon >= 0 ? text.slice(0, colon) : text;
    const portText = colon >= 0 ? text.slice(colon + 1) : null;
    if (!isIpv4(host)) {
      return bad(
        'address',
        `\`${host}\` is not an IPv4 address: write four numbers from 0 to 255 separated by dots, as in \`10.0.0.1:80\``,
        'invalid-address',
        { port: null },
      );
    }
    if (portText === null) return { kind: 'address', text, range: r, value: host, port: null };
    if (!isDigits(portText)) {
      return bad('address', `the port after \`${host}:\` must be a number from 1 to 65535`, 'invalid-address', {
        value: host,
        port: null,
      });
    }
    return { kind: 'address', text, range: r, value: host, port: Number(portText) };
  }
  // Number part: digits [. digits], then letters (the unit).
  let k = 0;
  while (k < text.length && (isDigit(text.charCodeAt(k)) || text.charCodeAt(k) === 46)) k++;
  const digits = text.slice(0, k);
  const unitText = text.slice(k);
  if (digits.endsWith('.')) {
    return bad(
      unitText ? 'duration' : 'number',
      `\`${text}\` is not a number: write digits after the \`.\`, as in \`1.5\``,
      'invalid-number',
    );
  }
  if (unitText === '') return { kind: 'number', text, range: r, value: Number(digits) };
  if (unitText in UNIT_MICROSECONDS) {
    const unit = unitText as DurationUnit;
    return { kind: 'duration', text, range: r, value: durationMs(digits, unit), unit };
  }
  let onlyLetters = true;
  for (let j = 0; j < unitText.length; j++) if (!isAsciiLetter(unitText.charCodeAt(j))) onlyLetters = false;
  if (!onlyLetters) return bad('number', `\`${text}\` is not a number or a duration`, 'invalid-number');
  const suggestion =
    unitText === 'sec' || unitText === 'secs'
      ? 's'
      : unitText === 'm' || unitText === 'mins'
        ? 'min'
        : unitText === 'msec' || unitText === 'msecs'
          ? 'ms'
          : DURATION_UNITS.find((u) => u.toLowerCase() === unitText.toLowerCase());
  const hint = suggestion ? `; did you mean \`${digits}${suggestion}\`?` : '';
  return bad(
    'duration',
    `unknown time unit \`${unitText}\` in \`${text}\`: use us, ms, s or min${hint}`,
    'invalid-duration',
  );
}

/**
 * The token under a cursor at `character` in `tokens` (from lexLine): the token containing
 * it, else the one ending exactly there (the word being typed), else undefined (in blanks).
 */
export function tokenAt(tokens: readonly Token[], character: number): Token | undefined {
  let touching: Token | undefined;
  for (const t of tokens) {
    if (t.range.start.character <= character && character < t.range.end.character) return t;
    if (t.range.end.character === character) touching = t;
  }
  return touching;
}

/** Every line of a document lexed: `lexDocument(text)[n]` is `lexLine(line n, n)`. */
export function lexDocument(text: string): Token[][] {
  return splitLines(text).map((line, n) => lexLine(line, n));
}
