// Every string that comes from a `.tcpscn` file (title, endpoint names, sent text, messages
// built from them) passes through one of these functions before it reaches Mermaid text.
// Mermaid reads `#` as the start of a comment, `;` as the end of a statement, a newline as
// the end of a line and `%%` as a comment or directive (see shared/notes/mermaid.md), so
// a title such as `a # b; %%{init: ...}%%` would silently lose text or reconfigure the
// diagram. The approach: first reduce the string to what a reader should see (displayText),
// then write every character that is not plainly harmless as a Mermaid entity code.

/** Bidirectional formatting characters: they reorder what follows them (Trojan Source). */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** C0 and C1 controls and DEL except tab, newline and carriage return; NUL included. */
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
/** A UTF-16 surrogate that is not part of a pair cannot be written as text. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g;
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

/**
 * What a reader sees of a string once it is drawn: controls, NUL and bidi overrides removed,
 * lone surrogates replaced by U+FFFD, tabs as spaces; line breaks are kept as `\n` (the
 * Mermaid escape draws them as `<br/>`). The tests compare Mermaid's parsed text with this.
 */
export function displayText(s: string): string {
  if (PRINTABLE_ASCII.test(s)) return s;
  return s
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(LINE_BREAK, '\n')
    .replace(/\t/g, ' ')
    .replace(CONTROLS, '')
    .replace(BIDI_CONTROLS, '');
}

/** Characters written as they are: letters, digits, space and punctuation Mermaid ignores. */
const PLAIN_LINE = /^[A-Za-z0-9 .,\-_()[\]/'!?+=*@~^$|]*$/;
/** Everything else, one code point at a time (the `u` flag keeps surrogate pairs whole). */
const UNSAFE = /[^A-Za-z0-9 .,\-_()[\]/'!?+=*@~^$|]/gu;

const NAMED: Readonly<Record<string, string>> = {
  '<': '#lt;',
  '>': '#gt;',
  '&': '#amp;',
  '"': '#quot;',
};

/**
 * Escapes a string for any text position of a Mermaid sequence diagram (message, note,
 * participant alias, title). Entity codes (`#35;`, `#lt;`, ...) are turned back into the
 * characters by Mermaid itself when it draws, so the reader sees the original text.
 *
 * - `#` `;` `:` `%` `` ` `` `\` `{` `}` and every non-ASCII character become numeric codes
 *   (non-ASCII too, so nothing can forge the private markers Mermaid uses for entities);
 * - `<` `>` `&` `"` become `#lt;` `#gt;` `#amp;` `#quot;`;
 * - a line break becomes `<br/>`; controls, NUL and bidi overrides are removed;
 * - the words `style` and `classDef` get their first letter encoded, because Mermaid's entity
 *   pre-pass strips the last `;` of any line matching `style.*:\S*#.*;` (and the same for
 *   `classDef`), which would break the entity code before it.
 */
export function escapeMermaid(s: string): string {
  const lines = displayText(s).split('\n');
  return lines.map(escapeLine).join('<br/>');
}

function escapeLine(line: string): string {
  // Fast path: most labels are plain ASCII (flags, numbers, state names).
  const escaped = PLAIN_LINE.test(line) ? line : line.replace(UNSAFE, (ch) => NAMED[ch] ?? `#${ch.codePointAt(0)};`);
  return escaped.includes('style') || escaped.includes('classDef')
    ? escaped.replace(/style/g, '#115;tyle').replace(/classDef/g, '#99;lassDef')
    : escaped;
}

/** How many characters a line of a note may hold before it is wrapped. */
export const NOTE_WIDTH = 60;

/**
 * Breaks text into lines of at most `width` characters (code points) at spaces, a word longer
 * than that being cut; existing line breaks are kept. It works on the text a reader sees, before
 * escaping, so a break can never fall inside an entity code (`#35;`) that escaping writes later:
 * escapeMermaid then turns each break into `<br/>`. Mermaid's own wrapping is off (`nowrap:` is
 * what keeps parsing fast), so without this a long hazard message made one note thousands of
 * pixels wide.
 */
export function wrapText(s: string, width = NOTE_WIDTH): string {
  // Fast path: most notes (state changes) are one short ASCII line.
  if (s.length <= width && PRINTABLE_ASCII.test(s)) return s;
  const out: string[] = [];
  for (const paragraph of displayText(s).split('\n')) {
    let line = '';
    let lineLen = 0;
    for (const word of paragraph.split(' ')) {
      let w = [...word];
      if (lineLen > 0 && lineLen + 1 + w.length > width) {
        out.push(line);
        line = '';
        lineLen = 0;
      }
      while (lineLen === 0 && w.length > width) {
        out.push(w.slice(0, width).join(''));
        w = w.slice(width);
      }
      line += (lineLen > 0 ? ' ' : '') + w.join('');
      lineLen += (lineLen > 0 ? 1 : 0) + w.length;
    }
    out.push(line);
  }
  return out.join('\n');
}

/**
 * A gantt-safe form: gantt task names end at `:`, and `#` and `;` end the task's data, a `%`
 * at the start of a token starts a comment; a line break ends the line. So these characters
 * are replaced by look-alikes (fullwidth `＃` `；` `％`, ratio `∶`) instead of entity codes,
 * and line breaks become spaces; `<` `>` become `‹` `›` so that no markup appears anywhere in
 * Mermaid text. The result never contains `:`, `#`, `;`, `%`, `<`, `>` or a newline.
 */
export function escapeGantt(s: string): string {
  return displayText(s)
    .replace(/\n/g, ' ')
    .replace(/:/g, '\u2236')
    .replace(/#/g, '\uFF03')
    .replace(/;/g, '\uFF1B')
    .replace(/%/g, '\uFF05')
    .replace(/</g, '\u2039')
    .replace(/>/g, '\u203A')
    .trim();
}

/**
 * Makes Mermaid ids (`[A-Za-z0-9_]`, starting with a letter) that stay unique: each distinct
 * name gets its own id, the same name always the same id. Readable names are given with `as`.
 */
export class MermaidIds {
  private readonly byName = new Map<string, string>();
  private readonly taken = new Set<string>();

  constructor(private readonly prefix: string) {}

  id(name: string): string {
    const known = this.byName.get(name);
    if (known !== undefined) return known;
    const base = sanitizeId(this.prefix, name);
    let id = base;
    for (let i = 2; this.taken.has(id); i++) id = `${base}_${i}`;
    this.taken.add(id);
    this.byName.set(name, id);
    return id;
  }
}

/** `[A-Za-z0-9_]` only, never `style`/`classDef`/`end` as a word (see escapeMermaid). */
export function sanitizeId(prefix: string, name: string): string {
  const body = name
    .replace(/[^A-Za-z0-9_]/g, '_')
    .replace(/style/gi, 'styl_e')
    .replace(/classdef/gi, 'class_def')
    .slice(0, 40);
  return `${prefix}_${body}`;
}
