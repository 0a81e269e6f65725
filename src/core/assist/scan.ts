// A forgiving one-line scanner for editor assistance. Unlike the parser it never rejects a
// line: completion runs on half-typed lines (an open string, `client-` before the `>`), so
// every character lands in some token and each token keeps its columns.

export type TokenKind =
  /** A name or keyword: `[A-Za-z_][A-Za-z0-9_-]*`, never swallowing the `-` of `->`. */
  | 'word'
  /** A number or a duration, possibly with a leading `+`: `250ms`, `1.5s`, `+100ms`, `0`. */
  | 'number'
  /** A double-quoted string; `closed` is false when the line ends first. */
  | 'string'
  | 'arrow'
  /** `10.0.0.1:5000` or `[fd00::1]:80`. */
  | 'address'
  | 'comment'
  /** Any other single character: `=`, `,`, `*`, a lone `+`, ... */
  | 'punct';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Zero-based UTF-16 columns, half-open. */
  start: number;
  end: number;
  /** For strings: whether the closing quote is there. */
  closed?: boolean;
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isWordStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isWordPart = (c: string): boolean => isWordStart(c) || isDigit(c) || c === '-';

/** Splits one line into tokens; comments come last as one token. */
export function scanLine(line: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
      continue;
    }
    const start = i;
    if (c === '#') {
      out.push({ kind: 'comment', text: line.slice(i), start, end: n });
      break;
    }
    if (c === '"') {
      i++;
      let closed = false;
      while (i < n) {
        if (line[i] === '\\' && i + 1 < n) {
          i += 2;
          continue;
        }
        if (line[i] === '"') {
          i++;
          closed = true;
          break;
        }
        i++;
      }
      out.push({ kind: 'string', text: line.slice(start, i), start, end: i, closed });
      continue;
    }
    if (c === '-' && line[i + 1] === '>') {
      out.push({ kind: 'arrow', text: '->', start, end: i + 2 });
      i += 2;
      continue;
    }
    if (c === '[') {
      // An IPv6 address in brackets, then an optional `:PORT`.
      while (i < n && line[i] !== ']' && line[i] !== ' ' && line[i] !== '\t') i++;
      if (line[i] === ']') i++;
      if (line[i] === ':') {
        i++;
        while (i < n && isDigit(line[i])) i++;
      }
      out.push({ kind: 'address', text: line.slice(start, i), start, end: i });
      continue;
    }
    if (isDigit(c) || (c === '+' && isDigit(line[i + 1] ?? '')) || (c === '.' && isDigit(line[i + 1] ?? ''))) {
      if (c === '+') i++;
      while (i < n && (isDigit(line[i]) || line[i] === '.')) i++;
      if (line[i] === ':' && c !== '+') {
        i++;
        while (i < n && isDigit(line[i])) i++;
        out.push({ kind: 'address', text: line.slice(start, i), start, end: i });
        continue;
      }
      while (i < n && /[A-Za-z]/.test(line[i])) i++;
      out.push({ kind: 'number', text: line.slice(start, i), start, end: i });
      continue;
    }
    if (isWordStart(c)) {
      i++;
      while (i < n && isWordPart(line[i]) && !(line[i] === '-' && line[i + 1] === '>')) i++;
      out.push({ kind: 'word', text: line.slice(start, i), start, end: i });
      continue;
    }
    out.push({ kind: 'punct', text: c, start, end: i + 1 });
    i++;
  }
  return out;
}

/** Splits a text into lines the way the language does (`\n` or `\r\n`). */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** The value of a string token without its quotes, with `\"` and `\\` undone. */
export function stringValue(token: Token): string {
  const inner = token.text.slice(1, token.closed ? -1 : undefined);
  return inner.replace(/\\(["\\])/g, '$1');
}

const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, min: 60_000 };

/** A duration token's value in milliseconds (`+` ignored), or null when it is not one. `0` alone is a duration. */
export function durationMs(text: string): number | null {
  const m = /^\+?(\d+(?:\.\d+)?)(us|ms|s|min)?$/.exec(text);
  if (!m) return null;
  const value = Number(m[1]);
  if (m[2] === undefined) return value === 0 ? 0 : null;
  return value * UNIT_MS[m[2]];
}
