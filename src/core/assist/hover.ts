// Hover: what the word under the cursor means in TCP's terms. The line is classified with
// the same grammar walk completion uses, so `listen` after an actor is the passive OPEN call
// while `listen` after `on server` is the LISTEN state.

import {
  ENDPOINT_OPTION_DOCS,
  ERROR_DOCS,
  FLAG_DOCS,
  HAZARD_DOCS,
  KEYWORD_DOCS,
  MATCH_DOCS,
  OPTION_DOCS,
  STATE_DOCS,
  VALUE_DOCS,
  VERB_DOCS,
  toMarkdown,
  type DocEntry,
} from '../docs';
import {
  ERROR_CODES,
  HAZARD_KINDS,
  OPTION_NAMES,
  VERBS,
  parseFlag,
  parseTcpState,
  range,
  type ErrorCode,
  type HazardKind,
  type OptionName,
  type Position,
  type Range,
  type Verb,
} from '../types';
import { collectDeclarations, lazyDeclarations, type Declarations } from './declarations';
import { analyzeLine, isNumeric, type Role } from './lineGrammar';
import { lexLine, splitLines, type Token } from '../lexer';
import { formatDuration } from '../duration';
import { EXPECT_WORDS, NET_RULES, referenceLink, type ReferenceSection } from '../vocabulary';

export interface HoverResult {
  /** Markdown. */
  markdown: string;
  range: Range;
}

/** The hover for the word at `position`, or null when there is nothing to say. */
export function hover(text: string, position: Position, declarations?: Declarations): HoverResult | null {
  const lineText = splitLines(text)[position.line];
  if (lineText === undefined) return null;
  return hoverLine(lineText, position, () => declarations ?? collectDeclarations(text));
}

/** The same, from the line under the cursor and the document's declarations (asked for only when needed). */
export function hoverLine(lineText: string, position: Position, declarations: () => Declarations): HoverResult | null {
  const tokens = lexLine(lineText, position.line).filter((t) => t.kind !== 'comment');
  const ch = position.character;
  let index = tokens.findIndex((t) => t.range.start.character <= ch && ch < t.range.end.character);
  if (index < 0) index = tokens.findIndex((t) => t.range.end.character === ch);
  if (index < 0) return null;
  const { roles, options } = analyzeLine(tokens);
  // A relative time or trigger delay (`+10ms`) is two tokens, `+` and the duration, with one
  // role: either one under the cursor explains the whole.
  let sign: Token | undefined;
  const timed = (k: number): boolean => roles[k] === 'time' || roles[k] === 'duration';
  if (
    tokens[index].kind === 'plus' &&
    timed(index) &&
    isNumeric(tokens[index + 1]) &&
    roles[index + 1] === roles[index]
  ) {
    sign = tokens[index];
    index++;
  } else if (tokens[index - 1]?.kind === 'plus' && timed(index) && roles[index - 1] === roles[index]) {
    sign = tokens[index - 1];
  }
  const token = tokens[index];
  const start = (sign ?? token).range.start.character;
  const end = token.range.end.character;
  const decls = lazyDeclarations(declarations);
  const w = lineText.slice(start, end);
  const markdown = describe(token, w, sign !== undefined, roles[index], options[index], decls);
  if (!markdown) return null;
  const section = sectionOf(roles[index], w);
  return {
    markdown: section ? `${markdown}\n\n${referenceLink(section)}` : markdown,
    range: range(position.line, start, end),
  };
}

/** Where the reference page explains a word of this role (none for names, labels and text). */
function sectionOf(role: Role, w: string): ReferenceSection | null {
  switch (role) {
    case 'keyword':
      if ((NET_RULES as readonly string[]).includes(w) || w === 'net' || w === 'segment') return 'net';
      if ((EXPECT_WORDS as readonly string[]).includes(w) || w === 'expect') return 'expect';
      if (w === 'on') return 'time';
      if (w === 'variant') return 'variant';
      if (w === 'endpoint') return 'endpoint';
      return 'statement';
    case 'time':
    case 'duration':
      return 'time';
    case 'endpoint-option':
      return 'endpoint';
    case 'verb':
      return 'call';
    case 'state':
      return 'state';
    case 'option':
    case 'option-value':
      return 'option';
    case 'flag':
      return 'flag';
    case 'match':
      return 'net';
    case 'error-code':
      return 'error';
    case 'hazard':
      return 'hazard';
    default:
      return null;
  }
}

/** A time or duration token's value in milliseconds; a plain `0` counts, other bare numbers do not. */
function durationMs(token: Token): number | null {
  if (token.error || typeof token.value !== 'number') return null;
  if (token.kind === 'duration') return token.value;
  return token.kind === 'number' && token.value === 0 ? 0 : null;
}

/** `w` is the text shown (with the `+` of a relative time), `relative` whether it has one. */
function describe(
  token: Token,
  w: string,
  relative: boolean,
  role: Role,
  option: OptionName | undefined,
  decls: Declarations,
): string | null {
  switch (role) {
    case 'keyword': {
      const entry = KEYWORD_DOCS[w];
      return entry ? toMarkdown(entry) : null;
    }
    case 'time': {
      const value = durationMs(token);
      if (value === null) return null;
      return relative
        ? `**${w}** — ${fmt(value)} after the previous timed line (the first is relative to 0)`
        : `**${w}** — at simulated time ${fmt(value)}`;
    }
    case 'duration': {
      const value = durationMs(token);
      return value === null ? null : `**${w}** = ${inMs(value)}`;
    }
    case 'endpoint-decl':
    case 'endpoint-ref':
      return endpointHover(w, decls);
    case 'address': {
      // Without its port (half-typed) it is not yet an address to explain; the parser says what is missing.
      if (token.port === null) return null;
      const sharing = decls.endpoints.filter((e) => e.address === w);
      if (sharing.length < 2) return `**${w}** — address and port`;
      return (
        `**${w}** — address and port shared by ${sharing.map((e) => '`' + e.name + '`').join(', ')}: ` +
        'each later endpoint is a new incarnation of that socket, and while an earlier one holds a TCB (TIME_WAIT included) ' +
        'a `connect` or `listen` fails with `EADDRINUSE` unless the newcomer has `reuse`.'
      );
    }
    case 'endpoint-option':
      return w in ENDPOINT_OPTION_DOCS
        ? toMarkdown(ENDPOINT_OPTION_DOCS[w as keyof typeof ENDPOINT_OPTION_DOCS])
        : null;
    case 'verb':
      return toMarkdown(VERB_DOCS[w as Verb]);
    case 'state': {
      const s = parseTcpState(w);
      return s ? toMarkdown(STATE_DOCS[s], s) : null;
    }
    case 'option':
      return toMarkdown(OPTION_DOCS[w as OptionName]);
    case 'option-value': {
      const value = durationMs(token);
      const of = option ? ` (for \`${option}\`)` : '';
      if (VALUE_DOCS[w]) return toMarkdown(VALUE_DOCS[w]) + of;
      if (value !== null && token.kind === 'duration') return `**${w}** = ${inMs(value)}${of}`;
      return null;
    }
    case 'flag': {
      const f = parseFlag(w);
      return f ? toMarkdown(FLAG_DOCS[f], f) : null;
    }
    case 'match': {
      const entry = MATCH_DOCS[w];
      return entry ? toMarkdown(entry) : null;
    }
    case 'error-code':
      return (ERROR_CODES as readonly string[]).includes(w) ? toMarkdown(ERROR_DOCS[w as ErrorCode]) : null;
    case 'hazard':
      return (HAZARD_KINDS as readonly string[]).includes(w) ? toMarkdown(HAZARD_DOCS[w as HazardKind]) : null;
    case 'variant-decl':
    case 'variant-ref':
      return variantHover(token, decls);
    case 'title':
    case 'number':
    case 'string':
    case 'punct':
      return null;
    case 'unknown':
      return fallback(token, decls);
  }
}

/** A word on a line that went wrong: say what it would mean anywhere, so hover still teaches. */
function fallback(token: Token, decls: Declarations): string | null {
  if (token.kind !== 'word') return null;
  const w = token.text;
  if (decls.endpoints.some((e) => e.name === w)) return endpointHover(w, decls);
  const s = parseTcpState(w);
  if (s) return toMarkdown(STATE_DOCS[s], s);
  if ((VERBS as readonly string[]).includes(w)) return toMarkdown(VERB_DOCS[w as Verb]);
  const f = parseFlag(w);
  if (f) return toMarkdown(FLAG_DOCS[f], f);
  if ((ERROR_CODES as readonly string[]).includes(w)) return toMarkdown(ERROR_DOCS[w as ErrorCode]);
  if ((HAZARD_KINDS as readonly string[]).includes(w)) return toMarkdown(HAZARD_DOCS[w as HazardKind]);
  if ((OPTION_NAMES as readonly string[]).includes(w)) return toMarkdown(OPTION_DOCS[w as OptionName]);
  const entry: DocEntry | undefined = KEYWORD_DOCS[w] ?? MATCH_DOCS[w];
  return entry ? toMarkdown(entry) : null;
}

function endpointHover(name: string, decls: Declarations): string {
  const all = decls.endpoints.filter((e) => e.name === name);
  if (all.length === 0) return `**${name}** — not declared: add \`endpoint ${name} ADDRESS:PORT\``;
  const e = all[0];
  const lines = [
    `**${name}** — endpoint \`${e.address}\`${e.options ? ` (${e.options})` : ''}, declared on line ${e.line + 1}`,
  ];
  const earlier = decls.endpoints.filter((o) => o.address === e.address && o.line < e.line);
  const later = decls.endpoints.filter((o) => o.address === e.address && o.line > e.line && o.name !== name);
  if (earlier.length)
    lines.push(`A new incarnation of ${earlier.map((o) => '`' + o.name + '`').join(', ')}'s address and port.`);
  if (later.length)
    lines.push(`Later incarnations of this address and port: ${later.map((o) => '`' + o.name + '`').join(', ')}.`);
  if (all.length > 1) lines.push(`Declared ${all.length} times (lines ${all.map((o) => o.line + 1).join(', ')}).`);
  return lines.join('\n\n');
}

function variantHover(token: Token, decls: Declarations): string | null {
  if (token.kind !== 'string' || typeof token.value !== 'string') return null;
  const label = token.value;
  if (label === 'default') return '**"default"** — the scenario without overrides';
  const v = decls.variants.find((x) => x.label === label);
  if (!v) return `**"${label}"** — no such variant: declare it with \`variant "${label}" OPTION = VALUE\``;
  return `**variant "${label}"** — a run with ${v.overrides ? '`' + v.overrides + '`' : 'no overrides'}, declared on line ${v.line + 1}`;
}

/** A duration in milliseconds, written as the language writes it (`2000ms`). */
function inMs(ms: number): string {
  return `${Number(ms.toFixed(3))}ms`;
}

/** A duration in the one style (`1.5s`), with its milliseconds when that reads differently. */
function fmt(ms: number): string {
  const shown = formatDuration(ms);
  return shown === inMs(ms) ? shown : `${shown} (${inMs(ms)})`;
}
