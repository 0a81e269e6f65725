// The parser of the `.tcpscn` language (spec, "Statements"). One pass over the lines: each
// line is lexed (lexer.ts) and parsed by recursive descent into a statement of ast.ts; then
// check.ts resolves names across the file (endpoints and variants may be declared after
// their use) and adds the semantic errors and warnings. Every problem of the file is
// reported in that one pass: a syntax error ends only its own line, and a statement with
// an error is left out of the Scenario, so what the simulator gets is always valid.
//
// `parse` never throws: all scanning is linear, values are range-checked, and a last-resort
// guard turns an unexpected exception into a diagnostic.

import type {
  Assertion,
  CallStmt,
  Direction,
  EndpointDecl,
  EventStmt,
  ExpectStmt,
  LinkDecl,
  Located,
  NetRule,
  NetStmt,
  OptionSetting,
  OptionValue,
  Scenario,
  SegmentMatch,
  Statement,
  TitleStmt,
  VariantDecl,
  When,
} from './ast';
import { checkScenario, type LineResult, type NameRef } from './check';
import { lexLine, splitLines, type Token } from './lexer';
import { clipQuotes, closest, didYouMean } from './suggest';
import {
  ERROR_CODES,
  FLAGS,
  HAZARD_KINDS,
  OPTION_NAMES,
  TCP_STATES,
  VERBS,
  parseFlag,
  parseTcpState,
  type Diagnostic,
  type ErrorCode,
  type Flag,
  type HazardKind,
  type OptionName,
  type Range,
  type TcpState,
  type Verb,
} from './types';
import {
  ENDPOINT_OPTIONS,
  ENDPOINT_VALUE_OPTIONS,
  INJECT_FIELDS,
  KEYWORDS,
  MATCH_COUNTS,
  MATCH_FIELDS,
  MATCH_PROPERTIES,
  MAX_DURATION_MS,
  MAX_U32,
  NET_RULES,
  STATEMENT_KEYWORDS,
  optionSpec,
} from './vocabulary';

export interface ParseResult {
  scenario: Scenario;
  diagnostics: Diagnostic[];
}

/**
 * Every diagnostic code `parse` can report, with what it means (for documentation, hover and
 * tests). Warnings are marked; everything else is an error that leaves its statement out.
 */
export const PARSER_DIAGNOSTIC_CODES: Readonly<Record<string, string>> = {
  'invalid-character': 'a character that starts no token',
  'invalid-escape': 'a backslash escape other than \\" or \\\\ in a string',
  'unterminated-string': 'a string without its closing quote on the same line',
  'invalid-number': 'a malformed number',
  'invalid-duration': 'a number with an unknown time unit',
  'invalid-address': 'a malformed IPv4 or IPv6 address or port',
  'unknown-statement': 'a line that starts with no statement keyword or time',
  'unknown-keyword': 'a keyword in the wrong case',
  'missing-time': 'an event line without its time or trigger',
  'missing-token': 'a statement that ends before a required part',
  'unexpected-token': 'a word or symbol where the statement expects something else',
  'duplicate-title': 'a second `title`',
  'set-after-event': 'a `set` after the first event line',
  'duplicate-setting': 'warning: an option set twice (the later value wins)',
  'unknown-option': 'an option name that does not exist',
  'invalid-value':
    'an option value of the wrong kind (e.g. `on`/`off` expected), or a fraction where a whole number is meant',
  'value-out-of-range': 'a number outside its allowed range',
  'missing-unit': 'a bare non-zero number where a duration is meant',
  'reserved-name': 'a keyword used as an endpoint name',
  'missing-port': 'an endpoint address without a port',
  'unknown-endpoint-option': 'an endpoint option other than isn=, window=, reuse',
  'duplicate-option': 'the same option twice in one statement',
  'duplicate-endpoint': 'a second endpoint with the same name',
  'duplicate-variant': 'a second variant with the same label, or a variant labelled "default"',
  'duplicate-link': 'a second link between the same two endpoints',
  'link-to-self': 'a link from an endpoint to itself',
  'connect-to-self': 'an endpoint connecting to itself',
  'self-direction': 'a direction `A->A`',
  'unknown-endpoint': 'a name that no `endpoint` declares',
  'unknown-variant': '`in "LABEL"` naming no variant',
  'unknown-verb': 'an application call that does not exist',
  'unknown-state': 'a state name that does not exist',
  'unknown-rule': 'a network rule that does not exist',
  'unknown-match': 'a word in a network rule that is no flag, property or clause',
  'unknown-flag': 'a flag name in `inject` that does not exist',
  'unknown-error-code': 'an error code that does not exist',
  'unknown-hazard': 'a hazard kind that does not exist',
  'empty-variant': 'warning: a variant without overrides (it runs like "default")',
  'never-matches': 'warning: a network rule whose match words contradict each other',
  'unused-endpoint': 'warning: an endpoint that nothing uses',
  'trigger-never-fires': 'warning: an `on` trigger whose state the endpoint can never enter',
  'internal-error': 'a bug in tcpscn itself, in the parser or the simulator (reported as a diagnostic, never thrown)',
};

export { MATCH_WORDS, MAX_DURATION_MS, MAX_U32, NET_RULES, ENDPOINT_OPTIONS } from './vocabulary';
/** Most lexical diagnostics reported for one line (a line of junk is one problem, not thousands). */
const MAX_LEXICAL_DIAGNOSTICS_PER_LINE = 5;
/** Most grammar diagnostics reported for one line. */
const MAX_DIAGNOSTICS_PER_LINE = 20;

/** An endpoint option as written: `isn=N` (or `isn=` with no value), `reuse`. */
function endpointOptionForm(option: string, value: string): string {
  return (ENDPOINT_VALUE_OPTIONS as readonly string[]).includes(option) ? `${option}=${value}` : option;
}

type WordToken = Token & { kind: 'word' };

/** Thrown to abandon the rest of a line after its syntax error has been reported. */
class Bail {}
const BAIL = new Bail();

function show(text: string): string {
  const t = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return `\`${t}\``;
}

function describe(token: Token | undefined): string {
  if (!token) return 'the end of the line';
  if (token.kind === 'string') return `string ${show(token.text)}`;
  return show(token.text);
}

function spanOf(a: Range, b: Range): Range {
  return { start: a.start, end: b.end };
}

/** UTF-8 length of a JavaScript string (lone surrogates count 3, as TextEncoder writes U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** State shared by all lines of one parse. */
interface FileState {
  diagnostics: Diagnostic[];
  refs: NameRef[];
  variantRefs: { label: Located<string>; result: LineResult }[];
  declaredEndpoints: Set<string>;
  declaredVariants: Set<string>;
  /** Time of the previous timed line, for `+DURATION`. */
  lastTime: number;
  firstEventLine: number | null;
  titleLine: number | null;
  settingLines: Map<OptionName, number>;
}

/** Recursive descent over the tokens of one line. */
class LineParser {
  private i = 0;
  readonly result: LineResult;

  constructor(
    private readonly tokens: Token[],
    private readonly line: number,
    private readonly lineLength: number,
    private readonly file: FileState,
  ) {
    this.result = { line, stmt: null, failed: false };
  }

  // ---- token access -------------------------------------------------------------------

  private peek(k = 0): Token | undefined {
    return this.tokens[this.i + k];
  }
  private next(): Token | undefined {
    return this.tokens[this.i++];
  }
  private atEnd(): boolean {
    return this.i >= this.tokens.length;
  }
  private isWord(token: Token | undefined, text?: string): token is WordToken {
    return token !== undefined && token.kind === 'word' && (text === undefined || token.text === text);
  }
  /** Where a "missing X" problem is shown: the last token of the line, else its end. */
  private endRange(): Range {
    const last = this.tokens[this.tokens.length - 1];
    if (last) return last.range;
    return {
      start: { line: this.line, character: this.lineLength },
      end: { line: this.line, character: this.lineLength },
    };
  }

  // ---- diagnostics ----------------------------------------------------------------------

  error(range: Range, code: string, message: string): void {
    this.result.failed = true;
    this.report({ severity: 'error', code, message, range });
  }
  warn(range: Range, code: string, message: string): void {
    this.report({ severity: 'warning', code, message, range });
  }
  /** At most MAX_DIAGNOSTICS_PER_LINE per line: a line repeating one slip 10 000 times is not 10 000 messages. */
  private report(d: Diagnostic): void {
    if (this.reported++ >= MAX_DIAGNOSTICS_PER_LINE) return;
    d.message = clipQuotes(d.message);
    this.file.diagnostics.push(d);
  }
  private reported = 0;
  private fail(range: Range, code: string, message: string): never {
    this.error(range, code, message);
    throw BAIL;
  }
  /** A token that the lexer already reported: the line fails without a second message. */
  private lexicalFailure(): never {
    this.result.failed = true;
    throw BAIL;
  }
  /** Report that `token` is not what the grammar wants here, and abandon the line. */
  private unexpected(token: Token | undefined, expected: string): never {
    if (token?.kind === 'invalid') this.lexicalFailure();
    if (!token) this.fail(this.endRange(), 'missing-token', `expected ${expected}, but the line ends here`);
    if (token.error) this.lexicalFailure();
    this.fail(token.range, 'unexpected-token', `expected ${expected}, found ${describe(token)}`);
  }
  /** A token with a lexical error marks the statement failed (the lexer's message stands). */
  private accept(token: Token): Token {
    if (token.error) this.result.failed = true;
    return token;
  }
  private expectEnd(what: string): void {
    const t = this.peek();
    if (!t) return;
    if (t.kind === 'invalid') this.lexicalFailure();
    this.fail(
      spanOf(t.range, this.tokens[this.tokens.length - 1]!.range),
      'unexpected-token',
      `unexpected ${describe(t)} after ${what}; the statement ends there (a comment starts with \`#\`)`,
    );
  }

  // ---- values ---------------------------------------------------------------------------

  private name(what: string): Located<string> {
    const t = this.next();
    if (!this.isWord(t)) this.unexpected(t, what);
    if ((KEYWORDS as readonly string[]).includes(t.text)) {
      this.fail(
        t.range,
        'reserved-name',
        `\`${t.text}\` is a keyword and cannot name an endpoint; choose another name`,
      );
    }
    return { value: t.text, range: t.range };
  }

  /** A duration (or `0` alone) in milliseconds. */
  private duration(what: string, opts: { positive?: boolean } = {}): Located<number> {
    const t = this.next();
    if (!t || (t.kind !== 'duration' && t.kind !== 'number'))
      this.unexpected(t, `${what} (a duration such as \`250ms\` or \`1.5s\`)`);
    this.accept(t);
    if (t.error || typeof t.value !== 'number') return { value: 0, range: t.range };
    if (t.kind === 'number' && t.value !== 0) {
      this.error(
        t.range,
        'missing-unit',
        `${what} needs a unit: write \`${t.text}ms\` or \`${t.text}s\` (only \`0\` may stand alone)`,
      );
      return { value: 0, range: t.range };
    }
    if (t.value > MAX_DURATION_MS) {
      this.error(t.range, 'value-out-of-range', `${show(t.text)} is too long for ${what}: at most 100 days`);
    } else if (opts.positive && t.value <= 0) {
      this.error(t.range, 'value-out-of-range', `${what} must be greater than 0, e.g. \`200ms\``);
    }
    return { value: t.value, range: t.range };
  }

  /** A whole number in [min, max]. */
  private integer(what: string, min: number, max: number, example = Math.max(min, 1)): Located<number> {
    const t = this.next();
    if (!t || t.kind !== 'number') {
      if (t?.kind === 'duration' && !t.error)
        this.fail(
          t.range,
          'unexpected-token',
          `${what} is a count, not a duration: write a plain number such as ${show(String(example))}`,
        );
      this.unexpected(t, `${what} (a number)`);
    }
    this.accept(t);
    if (t.error || typeof t.value !== 'number') return { value: min, range: t.range };
    if (!Number.isInteger(t.value) || t.text.includes('.')) {
      this.error(t.range, 'invalid-value', `${what} must be a whole number, not ${show(t.text)}`);
      return { value: min, range: t.range };
    }
    if (t.value < min || t.value > max) {
      this.error(
        t.range,
        'value-out-of-range',
        `${what} must be from ${min} to ${max}; ${show(t.text)} is out of range`,
      );
    }
    return { value: t.value, range: t.range };
  }

  /** `KEY = VALUE` or `KEY=VALUE` after the key word has been read. */
  private equalsSign(key: Token): void {
    const t = this.next();
    if (t?.kind !== 'equals') this.unexpected(t, `\`=\` after \`${key.text}\``);
  }

  private state(token: Token | undefined): Located<TcpState> {
    if (!this.isWord(token)) this.unexpected(token, 'a state name such as `ESTABLISHED`');
    const state = parseTcpState(token.text);
    if (!state) {
      this.error(
        token.range,
        'unknown-state',
        `unknown state \`${token.text}\`${didYouMean(token.text.toUpperCase().replace(/-/g, '_'), TCP_STATES) || `; the states are ${TCP_STATES.join(', ')}`}`,
      );
      return { value: 'CLOSED', range: token.range };
    }
    return { value: state, range: token.range };
  }

  // ---- statements -------------------------------------------------------------------------

  parseLine(): void {
    const first = this.peek()!;
    if (first.kind === 'word') {
      switch (first.text) {
        case 'title':
          return this.title();
        case 'set':
          return this.set();
        case 'endpoint':
          return this.endpoint();
        case 'link':
          return this.link();
        case 'variant':
          return this.variant();
        case 'on':
        case 'expect':
          return this.event();
        default:
          return this.unknownStatement(first);
      }
    }
    if (first.kind === 'number' || first.kind === 'duration' || first.kind === 'plus') return this.event();
    if (first.kind === 'invalid' || first.error) this.lexicalFailure();
    this.fail(
      first.range,
      'unknown-statement',
      `a line cannot start with ${describe(first)}: it starts with title, set, endpoint, link, variant, a time (\`250ms\`, \`+100ms\`), \`on\` or \`expect\``,
    );
  }

  private unknownStatement(first: Token): never {
    const keyword = closest(first.text, STATEMENT_KEYWORDS);
    if (keyword && keyword.toLowerCase() === first.text.toLowerCase()) {
      this.fail(
        first.range,
        'unknown-keyword',
        `unknown statement \`${first.text}\`; did you mean \`${keyword}\`? (keywords are lower case)`,
      );
    }
    const second = this.peek(1);
    if (
      this.isWord(second) &&
      ((VERBS as readonly string[]).includes(second.text) || second.text === 'net' || second.text === 'expect')
    ) {
      this.fail(
        first.range,
        'missing-time',
        `an event line starts with when it happens: write e.g. \`0ms ${first.text} ${second.text} …\` or \`on ENDPOINT STATE ${first.text} ${second.text} …\``,
      );
    }
    this.fail(
      first.range,
      'unknown-statement',
      `unknown statement \`${first.text}\`${keyword ? `; did you mean \`${keyword}\`?` : ''} (a line starts with title, set, endpoint, link, variant, a time such as \`250ms\` or \`+100ms\`, \`on\` or \`expect\`)`,
    );
  }

  private title(): void {
    const kw = this.next()!;
    const t = this.next();
    if (t?.kind !== 'string') {
      if (t && t.kind !== 'invalid' && !t.error)
        this.fail(t.range, 'unexpected-token', `a title is a quoted string: write \`title "${t.text}…"\``);
      this.unexpected(t, 'the title in double quotes, as in `title "Handshake"`');
    }
    this.accept(t);
    this.expectEnd('the title');
    if (this.file.titleLine !== null) {
      this.error(
        spanOf(kw.range, t.range),
        'duplicate-title',
        `a scenario has one title, already given on line ${this.file.titleLine + 1}; remove this one`,
      );
    } else if (!this.result.failed) this.file.titleLine = this.line;
    const stmt: TitleStmt = { kind: 'title', text: String(t.value ?? ''), range: spanOf(kw.range, t.range) };
    this.result.stmt = stmt;
  }

  private set(): void {
    const kw = this.next()!;
    if (this.file.firstEventLine !== null) {
      this.error(
        kw.range,
        'set-after-event',
        `\`set\` must come before the first event line (line ${this.file.firstEventLine + 1}); move it up`,
      );
    }
    const setting = this.optionAssignment();
    this.expectEnd(`the value of \`${setting.name.value}\``);
    setting.range = spanOf(kw.range, setting.range);
    if (!this.result.failed) {
      const previous = this.file.settingLines.get(setting.name.value);
      if (previous !== undefined) {
        this.warn(
          setting.name.range,
          'duplicate-setting',
          `\`${setting.name.value}\` is already set on line ${previous + 1}; this later value wins`,
        );
      }
      this.file.settingLines.set(setting.name.value, this.line);
    }
    this.result.stmt = setting;
  }

  /** `OPTION = VALUE`, for `set` and for variant overrides. */
  private optionAssignment(): OptionSetting {
    const key = this.next();
    if (!this.isWord(key)) this.unexpected(key, `an option name (${OPTION_NAMES.join(', ')})`);
    const name = key.text as OptionName;
    if (!(OPTION_NAMES as readonly string[]).includes(key.text)) {
      this.fail(
        key.range,
        'unknown-option',
        `unknown option \`${key.text}\`${didYouMean(key.text, OPTION_NAMES)} (options: ${OPTION_NAMES.join(', ')})`,
      );
    }
    this.equalsSign(key);
    const value = this.optionValue(name);
    return { kind: 'set', name: { value: name, range: key.range }, value, range: spanOf(key.range, value.range) };
  }

  /** The value of option `name`, read as its table entry (vocabulary.ts) says it is written. */
  private optionValue(name: OptionName): Located<OptionValue> {
    const spec = optionSpec(name)!;
    if (spec.kind === 'duration') return this.duration(`\`${name}\``, { positive: spec.positive });
    if (spec.kind === 'integer') return this.integer(`\`${name}\``, spec.min, spec.max);
    const choices = spec.values!;
    const onOff = spec.kind === 'on-off';
    const t = this.next();
    if (!this.isWord(t)) this.unexpected(t, `${choices.map((c) => `\`${c}\``).join(' or ')} for \`${name}\``);
    if (!choices.includes(t.text)) {
      const lower = t.text.toLowerCase();
      const hint =
        onOff && ['true', 'yes', 'enabled', 'enable', '1'].includes(lower)
          ? 'on'
          : onOff && ['false', 'no', 'disabled', 'disable', '0'].includes(lower)
            ? 'off'
            : closest(t.text, choices);
      this.error(
        t.range,
        'invalid-value',
        `\`${name}\` is ${choices.map((c) => `\`${c}\``).join(' or ')}, not ${show(t.text)}${hint ? `; did you mean \`${hint}\`?` : ''}`,
      );
      return { value: onOff ? false : choices[0]!, range: t.range };
    }
    const value: OptionValue = onOff ? t.text === 'on' : t.text;
    return { value, range: t.range };
  }

  private endpoint(): void {
    const kw = this.next()!;
    const name = this.name('an endpoint name after `endpoint`');
    this.file.declaredEndpoints.add(name.value);
    const addr = this.next();
    if (addr?.kind !== 'address') {
      if (this.isWord(addr)) {
        this.fail(
          addr.range,
          'unexpected-token',
          `expected an address and port such as \`10.0.0.1:80\` or \`[fd00::1]:80\`, found ${describe(addr)} (host names are not supported)`,
        );
      }
      if (addr?.kind === 'number' && !addr.error) {
        this.fail(
          addr.range,
          'invalid-address',
          `${show(addr.text)} is not an address: write IPv4 dotted with a port, as in \`10.0.0.1:80\``,
        );
      }
      this.unexpected(addr, 'an address and port such as `10.0.0.1:80` or `[fd00::1]:80`');
    }
    this.accept(addr);
    let port = 0;
    if (!addr.error) {
      if (addr.port === null || addr.port === undefined) {
        this.error(
          addr.range,
          'missing-port',
          `the address needs a port: write \`${addr.text}:PORT\`, e.g. \`${addr.text}:80\``,
        );
      } else if (addr.port < 1 || addr.port > 65535) {
        this.error(addr.range, 'value-out-of-range', `port ${addr.port} is out of range: ports go from 1 to 65535`);
      } else port = addr.port;
    }
    let isn: number | null = null;
    let window: number | null = null;
    let reuse = false;
    const seen = new Map<string, Token>();
    while (!this.atEnd()) {
      const t = this.next()!;
      if (!this.isWord(t) || !(ENDPOINT_OPTIONS as readonly string[]).includes(t.text)) {
        if (t.kind === 'invalid') this.lexicalFailure();
        const near = t.kind === 'word' ? closest(t.text, ENDPOINT_OPTIONS) : undefined;
        this.fail(
          t.range,
          'unknown-endpoint-option',
          `unknown endpoint option ${describe(t)}${near ? `; did you mean \`${endpointOptionForm(near, '')}\`?` : ''} (options: ${ENDPOINT_OPTIONS.map((o) => `\`${endpointOptionForm(o, 'N')}\``).join(', ')})`,
        );
      }
      if (seen.has(t.text))
        this.error(t.range, 'duplicate-option', `\`${t.text}\` is given twice for endpoint \`${name.value}\``);
      seen.set(t.text, t);
      if (t.text === 'reuse') {
        reuse = true;
        continue;
      }
      this.equalsSign(t);
      if (t.text === 'isn') isn = this.integer('`isn`', 0, MAX_U32).value;
      else window = this.integer('`window`', 0, 65535).value;
    }
    const last = this.tokens[this.i - 1]!;
    const decl: EndpointDecl = {
      kind: 'endpoint',
      name,
      address: typeof addr.value === 'string' ? addr.value : '',
      port,
      isn,
      window,
      reuse,
      index: -1,
      range: spanOf(kw.range, last.range),
    };
    this.result.stmt = decl;
  }

  private link(): void {
    const kw = this.next()!;
    const a = this.name('the first endpoint of the link');
    this.ref(a, 'link');
    const b = this.name('the second endpoint of the link');
    this.ref(b, 'link');
    const l = this.next();
    if (!this.isWord(l, 'latency')) {
      if (l && (l.kind === 'duration' || l.kind === 'number'))
        this.fail(
          l.range,
          'missing-token',
          `write \`latency\` before the duration: \`link ${a.value} ${b.value} latency ${l.text}\``,
        );
      this.unexpected(l, '`latency`');
    }
    const d = this.duration('the link latency');
    this.expectEnd('the latency');
    if (a.value === b.value)
      this.error(
        spanOf(a.range, b.range),
        'link-to-self',
        `a link joins two different endpoints; \`${a.value}\` is named twice`,
      );
    const decl: LinkDecl = { kind: 'link', a, b, latency: d.value, range: spanOf(kw.range, d.range) };
    this.result.stmt = decl;
  }

  private variant(): void {
    const kw = this.next()!;
    const t = this.next();
    if (t?.kind !== 'string') {
      if (this.isWord(t))
        this.fail(t.range, 'unexpected-token', `a variant label is a quoted string: write \`variant "${t.text}" …\``);
      this.unexpected(t, 'the variant label in double quotes, as in `variant "no TIME_WAIT" time_wait = 0`');
    }
    this.accept(t);
    const label: Located<string> = { value: String(t.value ?? ''), range: t.range };
    this.file.declaredVariants.add(label.value);
    if (label.value.trim() === '') this.error(t.range, 'invalid-value', 'a variant label cannot be empty');
    const overrides: OptionSetting[] = [];
    const names = new Set<string>();
    if (!this.atEnd()) {
      for (;;) {
        const o = this.optionAssignment();
        if (names.has(o.name.value))
          this.error(o.name.range, 'duplicate-option', `\`${o.name.value}\` is set twice in variant "${label.value}"`);
        names.add(o.name.value);
        overrides.push(o);
        const sep = this.peek();
        if (!sep) break;
        if (sep.kind !== 'comma') {
          if (sep.kind === 'word')
            this.fail(
              sep.range,
              'missing-token',
              `separate the overrides of a variant with \`,\`: \`…, ${sep.text} = …\``,
            );
          this.unexpected(sep, '`,` and another `OPTION = VALUE`');
        }
        this.next();
      }
    }
    if (overrides.length === 0 && !this.result.failed) {
      this.warn(
        t.range,
        'empty-variant',
        `variant "${label.value}" changes no option, so it runs exactly like "default"; add \`OPTION = VALUE\` after the label`,
      );
    }
    const last = this.tokens[this.i - 1]!;
    const decl: VariantDecl = { kind: 'variant', label, overrides, range: spanOf(kw.range, last.range) };
    this.result.stmt = decl;
  }

  // ---- events -------------------------------------------------------------------------------

  private event(): void {
    if (this.file.firstEventLine === null) this.file.firstEventLine = this.line;
    const when = this.when();
    const head = this.peek();
    if (this.isWord(head, 'net')) return this.net(when);
    if (this.isWord(head, 'expect')) return this.expect(when);
    return this.call(when);
  }

  private when(): When {
    const t = this.peek()!;
    if (this.isWord(t, 'expect')) return { kind: 'end', range: t.range };
    if (t.kind === 'plus') {
      this.next();
      const d = this.duration('a relative time');
      const at = this.file.lastTime + d.value;
      this.file.lastTime = at;
      return { kind: 'at', t: at, relative: true, range: spanOf(t.range, d.range) };
    }
    if (t.kind === 'number' || t.kind === 'duration') {
      const d = this.duration('a time');
      if (!t.error) this.file.lastTime = d.value;
      return { kind: 'at', t: d.value, relative: false, range: d.range };
    }
    // `on ENDPOINT STATE [+DURATION]`
    const on = this.next()!;
    const endpoint = this.name('an endpoint after `on`');
    const stateToken = this.next();
    const state = this.state(stateToken);
    const stateKnown = stateToken !== undefined && parseTcpState(stateToken.text) !== undefined;
    let delay = 0;
    let end = state.range;
    if (this.peek()?.kind === 'plus') {
      this.next();
      const d = this.duration('the delay after the trigger');
      delay = d.value;
      end = d.range;
    }
    // An unknown state was reported already; the trigger is then not analysed further.
    this.ref(endpoint, 'trigger', undefined, stateKnown ? state.value : undefined);
    return { kind: 'on', endpoint, state, delay, range: spanOf(on.range, end) };
  }

  private call(when: When): void {
    const actorToken = this.peek();
    if (
      this.isWord(actorToken) &&
      (actorToken.text.toLowerCase() === 'net' || actorToken.text.toLowerCase() === 'expect')
    ) {
      this.fail(
        actorToken.range,
        'unknown-keyword',
        `unknown word \`${actorToken.text}\`; did you mean \`${actorToken.text.toLowerCase()}\`? (keywords are lower case)`,
      );
    }
    if (this.isWord(actorToken, 'on') && when.kind === 'at') {
      this.fail(
        actorToken.range,
        'unexpected-token',
        'a line has one WHEN: either a time or `on ENDPOINT STATE [+DURATION]`, not both',
      );
    }
    if (
      this.isWord(actorToken) &&
      (VERBS as readonly string[]).includes(actorToken.text) &&
      !this.isWord(this.peek(1))
    ) {
      this.fail(
        actorToken.range,
        'missing-token',
        `\`${actorToken.text}\` needs the endpoint that does it first: \`ENDPOINT ${actorToken.text}\``,
      );
    }
    if (actorToken && actorToken.kind !== 'word')
      this.unexpected(actorToken, '`ENDPOINT VERB`, `net RULE` or `expect ASSERTION`');
    const actor = this.name('`ENDPOINT VERB`, `net RULE` or `expect ASSERTION`');
    const verbToken = this.next();
    if (!this.isWord(verbToken)) this.unexpected(verbToken, `a verb after \`${actor.value}\` (${VERBS.join(', ')})`);
    if (!(VERBS as readonly string[]).includes(verbToken.text)) {
      this.fail(
        verbToken.range,
        'unknown-verb',
        `unknown verb \`${verbToken.text}\`${didYouMean(verbToken.text, VERBS) || ` (verbs: ${VERBS.join(', ')})`}`,
      );
    }
    const verb = verbToken.text as Verb;
    this.ref(actor, 'actor', verb);
    let peer: Located<string> | null = null;
    let bytes: number | null = null;
    let text: string | null = null;
    if (verb === 'connect') {
      peer = this.name('the endpoint to connect to, as in `connect server`');
      this.ref(peer, 'peer');
      if (peer.value === actor.value)
        this.error(peer.range, 'connect-to-self', `\`${actor.value}\` cannot connect to itself; name another endpoint`);
    } else if (verb === 'send') {
      const arg = this.peek();
      if (arg?.kind === 'string') {
        this.next();
        this.accept(arg);
        text = String(arg.value ?? '');
        bytes = utf8Length(text);
        if (bytes === 0)
          this.error(
            arg.range,
            'value-out-of-range',
            '`send ""` sends nothing; write some text or a byte count such as `send 100`',
          );
      } else {
        bytes = this.integer('the number of bytes to send', 1, MAX_U32, 100).value;
      }
    }
    this.expectEnd(`\`${verb}${verb === 'connect' && peer ? ` ${peer.value}` : ''}\``);
    const last = this.tokens[this.i - 1]!;
    const stmt: CallStmt = {
      kind: 'call',
      id: -1,
      when,
      actor,
      verb: { value: verb, range: verbToken.range },
      peer,
      bytes,
      text,
      range: spanOf(when.range, last.range),
    };
    this.result.stmt = stmt;
  }

  private direction(rule: string): Direction {
    const t = this.next();
    if (t?.kind === 'star') return { kind: 'any' };
    if (!this.isWord(t)) this.unexpected(t, `a direction after \`${rule}\`: \`A->B\` or \`*\``);
    const from: Located<string> = { value: t.text, range: t.range };
    const arrow = this.next();
    if (arrow?.kind !== 'arrow') {
      if (arrow && arrow.kind !== 'invalid')
        this.fail(
          arrow.range,
          'unexpected-token',
          `expected \`->\` after \`${t.text}\`: a direction is \`${t.text}->PEER\` or \`*\``,
        );
      this.unexpected(arrow, `\`->\` after \`${t.text}\` (a direction is \`A->B\` or \`*\`)`);
    }
    const toToken = this.next();
    if (!this.isWord(toToken)) this.unexpected(toToken, `the receiving endpoint after \`${t.text}->\``);
    const to: Located<string> = { value: toToken.text, range: toToken.range };
    this.ref(from, 'rule');
    this.ref(to, 'rule');
    if (from.value === to.value)
      this.error(
        spanOf(from.range, to.range),
        'self-direction',
        `\`${from.value}->${to.value}\` names one endpoint twice; segments go between two endpoints`,
      );
    return { kind: 'between', from, to };
  }

  private net(when: When): void {
    this.next(); // net
    const ruleToken = this.next();
    if (!this.isWord(ruleToken)) this.unexpected(ruleToken, `a network rule after \`net\` (${NET_RULES.join(', ')})`);
    const ruleName = ruleToken.text;
    let rule: NetRule;
    if (ruleName === 'inject') rule = this.inject();
    else if (ruleName === 'drop' && this.isWord(this.peek(), 'segment')) {
      this.next();
      rule = { kind: 'drop-segment', n: this.integer('the segment number', 1, MAX_U32) };
    } else if (ruleName === 'drop' || ruleName === 'delay' || ruleName === 'duplicate') rule = this.matchRule(ruleName);
    else
      this.fail(
        ruleToken.range,
        'unknown-rule',
        `unknown network rule \`${ruleName}\`${didYouMean(ruleName, NET_RULES) || ` (rules: ${NET_RULES.join(', ')})`}`,
      );
    this.expectEnd('the rule');
    const last = this.tokens[this.i - 1]!;
    const stmt: NetStmt = { kind: 'net', id: -1, when, rule, range: spanOf(when.range, last.range) };
    this.result.stmt = stmt;
  }

  private matchRule(kind: 'drop' | 'delay' | 'duplicate'): NetRule {
    const dir = this.direction(kind);
    const match: SegmentMatch = { flags: [], data: false, pureAck: false, seq: null, ack: null };
    let count: number | 'all' = 1;
    let countToken: Token | null = null;
    let by: number | null = null;
    let after: number | null = null;
    const clause = kind === 'delay' ? 'by' : kind === 'duplicate' ? 'after' : null;
    const firstMatch = this.peek();
    while (!this.atEnd()) {
      const t = this.next()!;
      if (!this.isWord(t)) {
        if (t.kind === 'invalid') this.lexicalFailure();
        this.fail(t.range, 'unexpected-token', `unexpected ${describe(t)} in the \`${kind}\` rule`);
      }
      const w = t.text;
      if (w === 'count' || w === 'all') {
        if (countToken)
          this.error(t.range, 'duplicate-option', `the count is already given by ${show(countToken.text)}`);
        countToken = t;
        count = w === 'all' ? 'all' : this.integer('the number of segments after `count`', 1, MAX_U32, 2).value;
      } else if (clause && w === clause) {
        if ((clause === 'by' ? by : after) !== null) this.error(t.range, 'duplicate-option', `\`${w}\` is given twice`);
        const d = this.duration(`\`${w}\``);
        if (clause === 'by') by = d.value;
        else after = d.value;
      } else if ((w === 'seq' || w === 'ack') && this.peek()?.kind === 'equals') {
        this.next();
        const v = this.integer(`\`${w}=\``, 0, MAX_U32).value;
        if (w === 'seq') match.seq = v;
        else match.ack = v;
      } else if (w === 'data') match.data = true;
      else if (w === 'pure-ack' || w.toLowerCase().replace(/_/g, '-') === 'pure-ack') match.pureAck = true;
      else {
        const flag = parseFlag(w);
        if (flag) {
          if (!match.flags.includes(flag)) match.flags.push(flag);
        } else {
          const words = [
            ...FLAGS,
            ...MATCH_PROPERTIES,
            ...MATCH_FIELDS.map((f) => `${f}=`),
            ...MATCH_COUNTS,
            ...(clause ? [clause] : []),
          ];
          const other = kind === 'delay' ? 'after' : 'by';
          if (w === other || (kind === 'drop' && (w === 'by' || w === 'after'))) {
            this.error(
              t.range,
              'unknown-match',
              `\`${w}\` does not belong to \`${kind}\`${kind === 'drop' ? '' : clause ? `; did you mean \`${clause}\`?` : ''}`,
            );
            if (this.peek()?.kind === 'duration' || this.peek()?.kind === 'number') this.next();
          } else {
            const near = closest(w, words) ?? closest(w.replace(/=$/, ''), words);
            this.error(
              t.range,
              'unknown-match',
              `unknown match word \`${w}\`${near ? `; did you mean \`${near}\`?` : ''} (flags ${FLAGS.join(', ')}, \`data\`, \`pure-ack\`, \`seq=N\`, \`ack=N\`, \`count N\`, \`all\`)`,
            );
            // Skip what the unknown word evidently governs, so one slip is one message.
            if (this.peek()?.kind === 'equals') {
              this.next();
              this.next();
            } else if (this.peek()?.kind === 'number' || this.peek()?.kind === 'duration') this.next();
          }
        }
      }
    }
    if (match.pureAck && (match.data || match.flags.some((f) => f !== 'ACK'))) {
      this.warn(
        firstMatch?.range ?? this.endRange(),
        'never-matches',
        '`pure-ack` means ACK alone without payload, so together with `data` or another flag this rule can never match',
      );
    }
    const r = { dir, match, count };
    if (kind === 'drop') return { kind, ...r };
    if (kind === 'duplicate') return { kind, ...r, after };
    if (by === null)
      this.fail(
        this.endRange(),
        'missing-token',
        '`delay` needs `by DURATION`, e.g. `net delay client->server data by 500ms`',
      );
    return { kind, ...r, by };
  }

  private inject(): NetRule {
    const dirStart = this.peek();
    if (dirStart?.kind === 'star')
      this.fail(
        dirStart.range,
        'unexpected-token',
        '`inject` needs one sender and one receiver: `inject A->B FLAG...`, not `*`',
      );
    const dir = this.direction('inject');
    if (dir.kind !== 'between') throw BAIL;
    const flags: Flag[] = [];
    let seq: number | null = null;
    let ack: number | null = null;
    let len: number | null = null;
    while (!this.atEnd()) {
      const t = this.next()!;
      if (!this.isWord(t)) {
        if (t.kind === 'invalid') this.lexicalFailure();
        this.fail(t.range, 'unexpected-token', `unexpected ${describe(t)} in the \`inject\` rule`);
      }
      if ((t.text === 'seq' || t.text === 'ack' || t.text === 'len') && this.peek()?.kind === 'equals') {
        this.next();
        const v = this.integer(`\`${t.text}=\``, 0, t.text === 'len' ? 65535 : MAX_U32).value;
        if (t.text === 'seq') seq = v;
        else if (t.text === 'ack') ack = v;
        else len = v;
        continue;
      }
      const flag = parseFlag(t.text);
      if (!flag) {
        const near =
          closest(t.text, [...FLAGS, ...INJECT_FIELDS.map((f) => `${f}=`)]) ?? closest(t.text.toUpperCase(), FLAGS);
        this.error(
          t.range,
          'unknown-flag',
          `unknown flag \`${t.text}\`${near ? `; did you mean \`${near}\`?` : ''} (flags: ${FLAGS.join(', ')}; then ${INJECT_FIELDS.map((f) => `\`${f}=N\``).join(', ')})`,
        );
        continue;
      }
      if (!flags.includes(flag)) flags.push(flag);
    }
    if (flags.length === 0 && !this.result.failed) {
      this.fail(
        this.endRange(),
        'missing-token',
        `\`inject\` needs at least one flag after \`${dir.from.value}->${dir.to.value}\`, e.g. \`RST\` or \`ACK\``,
      );
    }
    flags.sort((a, b) => FLAGS.indexOf(a) - FLAGS.indexOf(b));
    return { kind: 'inject', from: dir.from, to: dir.to, flags, seq, ack, len };
  }

  private expect(when: When): void {
    const kwIndex = this.i;
    const kw = this.next()!;
    const assertion = this.assertion();
    const textEnd = this.i;
    let variant: Located<string> | null = null;
    if (this.isWord(this.peek(), 'in')) {
      const inToken = this.next()!;
      const label = this.next();
      if (label?.kind !== 'string') {
        if (this.isWord(label))
          this.fail(label.range, 'unexpected-token', `a variant label is quoted: write \`in "${label.text}"\``);
        this.unexpected(label, `a variant label in double quotes after \`${inToken.text}\``);
      }
      this.accept(label);
      variant = { value: String(label.value ?? ''), range: label.range };
      this.file.variantRefs.push({ label: variant, result: this.result });
    }
    this.expectEnd('the expectation');
    const text = this.tokens
      .slice(kwIndex, textEnd)
      .map((t) => t.text)
      .join(' ');
    const last = this.tokens[this.i - 1]!;
    const stmt: ExpectStmt = {
      kind: 'expect',
      id: -1,
      when,
      assertion,
      variant,
      text,
      range: spanOf(when.kind === 'end' ? kw.range : when.range, last.range),
    };
    this.result.stmt = stmt;
  }

  private hazardKind(token: Token | undefined): Located<HazardKind> {
    if (!this.isWord(token)) this.unexpected(token, `a hazard kind (${HAZARD_KINDS.join(', ')})`);
    if (!(HAZARD_KINDS as readonly string[]).includes(token.text)) {
      this.error(
        token.range,
        'unknown-hazard',
        `unknown hazard \`${token.text}\`${didYouMean(token.text, HAZARD_KINDS) || ` (hazards: ${HAZARD_KINDS.join(', ')})`}`,
      );
      return { value: HAZARD_KINDS[0], range: token.range };
    }
    return { value: token.text as HazardKind, range: token.range };
  }

  private assertion(): Assertion {
    const t = this.next();
    if (!this.isWord(t))
      this.unexpected(
        t,
        'an assertion: `ENDPOINT STATE`, `ENDPOINT error CODE`, `hazard KIND`, `no hazards` or `no hazard KIND`',
      );
    if (t.text === 'hazard') return { kind: 'hazard', hazard: this.hazardKind(this.next()) };
    if (t.text === 'hazards')
      this.fail(
        t.range,
        'unexpected-token',
        '`hazards` only follows `no`: write `expect no hazards` or `expect hazard KIND`',
      );
    if (t.text === 'no') {
      const u = this.next();
      if (this.isWord(u, 'hazards')) return { kind: 'no-hazards' };
      if (this.isWord(u, 'hazard')) return { kind: 'no-hazard', hazard: this.hazardKind(this.next()) };
      if (this.isWord(u) && (HAZARD_KINDS as readonly string[]).includes(u.text)) {
        this.fail(u.range, 'missing-token', `write \`expect no hazard ${u.text}\``);
      }
      this.unexpected(u, '`hazards` or `hazard KIND` after `no`');
    }
    const endpoint: Located<string> = { value: t.text, range: t.range };
    this.ref(endpoint, 'expect');
    const u = this.next();
    if (this.isWord(u, 'error')) {
      const c = this.next();
      if (!this.isWord(c)) this.unexpected(c, `an error code (${ERROR_CODES.join(', ')})`);
      if (!(ERROR_CODES as readonly string[]).includes(c.text)) {
        this.error(
          c.range,
          'unknown-error-code',
          `unknown error code \`${c.text}\`${didYouMean(c.text, ERROR_CODES) || ` (codes: ${ERROR_CODES.join(', ')})`}`,
        );
        return { kind: 'error', endpoint, code: { value: ERROR_CODES[0], range: c.range } };
      }
      return { kind: 'error', endpoint, code: { value: c.text as ErrorCode, range: c.range } };
    }
    if (!this.isWord(u)) this.unexpected(u, `a state or \`error CODE\` after \`${t.text}\``);
    return { kind: 'state', endpoint, state: this.state(u) };
  }

  private ref(name: Located<string>, role: NameRef['role'], verb?: Verb, state?: TcpState): void {
    this.file.refs.push({ name, role, verb, state, result: this.result });
  }
}

function emptyScenario(lineCount: number): Scenario {
  return { title: null, settings: [], endpoints: [], links: [], variants: [], events: [], statements: [], lineCount };
}

/**
 * Parses and checks a whole `.tcpscn` text. Never throws. Diagnostics come sorted by
 * position; the Scenario holds every statement without an error, in file order.
 */
export function parse(text: string): ParseResult {
  const lines = splitLines(String(text));
  try {
    return parseLines(lines);
  } catch (e) {
    // A bug, not bad input: still no throw, and the editor shows where to report it.
    const message = e instanceof Error ? e.message : String(e);
    return {
      scenario: emptyScenario(lines.length),
      diagnostics: [
        {
          severity: 'error',
          code: 'internal-error',
          message: `internal error in the parser: ${message}`,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        },
      ],
    };
  }
}

function parseLines(lines: string[]): ParseResult {
  const file: FileState = {
    diagnostics: [],
    refs: [],
    variantRefs: [],
    declaredEndpoints: new Set(),
    declaredVariants: new Set(),
    lastTime: 0,
    firstEventLine: null,
    titleLine: null,
    settingLines: new Map(),
  };
  const results: LineResult[] = [];
  for (let line = 0; line < lines.length; line++) {
    const lineText = lines[line]!;
    const all = lexLine(lineText, line);
    let lexical = 0;
    const strays: Token[] = [];
    for (const t of all) {
      if (t.kind === 'invalid') strays.push(t);
      else if (t.error && lexical < MAX_LEXICAL_DIAGNOSTICS_PER_LINE) {
        lexical++;
        file.diagnostics.push({
          severity: 'error',
          code: t.errorCode ?? 'invalid-token',
          message: clipQuotes(t.error),
          range: t.range,
        });
      }
    }
    if (strays.length > 0) {
      // Stray characters: one diagnostic per line, at the first, however many there are.
      const more =
        strays.length > 1
          ? ` (and ${strays.length - 1} more stray run${strays.length > 2 ? 's' : ''} of characters on this line)`
          : '';
      file.diagnostics.push({
        severity: 'error',
        code: 'invalid-character',
        message: clipQuotes(`${strays[0]!.error}${more}`),
        range: strays[0]!.range,
      });
      lexical++;
    }
    const tokens = all.filter((t) => t.kind !== 'comment');
    if (tokens.length === 0) continue;
    const parser = new LineParser(tokens, line, lineText.length, file);
    try {
      parser.parseLine();
    } catch (e) {
      if (!(e instanceof Bail)) throw e;
      parser.result.failed = true;
    }
    if (lexical > 0) parser.result.failed = true;
    results.push(parser.result);
  }
  const scenario = emptyScenario(lines.length);
  checkScenario(results, file.refs, file.variantRefs, file.declaredEndpoints, file.declaredVariants, file.diagnostics);
  for (const r of results) {
    const stmt = r.stmt;
    if (!stmt || r.failed) continue;
    add(scenario, stmt);
  }
  // In reading order (stable: on one spot, the order they were found).
  file.diagnostics.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  return { scenario, diagnostics: file.diagnostics };
}

function add(scenario: Scenario, stmt: Statement): void {
  scenario.statements.push(stmt);
  switch (stmt.kind) {
    case 'title':
      if (!scenario.title) scenario.title = { value: stmt.text, range: stmt.range };
      return;
    case 'set':
      scenario.settings.push(stmt);
      return;
    case 'endpoint':
      stmt.index = scenario.endpoints.length;
      scenario.endpoints.push(stmt);
      return;
    case 'link':
      scenario.links.push(stmt);
      return;
    case 'variant':
      scenario.variants.push(stmt);
      return;
    default: {
      const event: EventStmt = stmt;
      event.id = scenario.events.length;
      scenario.events.push(event);
    }
  }
}
