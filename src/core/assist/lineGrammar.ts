// Walks the tokens of one line through the language's statement grammar (spec,
// "Statements") and says two things: what each token is (a state, a verb, an endpoint, ...),
// which hover needs, and what may come after the last token, which completion needs. It is
// deliberately lenient: a line that goes wrong stops being classified, it never throws.
// The tokens are the parser's own (lexer.ts `lexLine`), so the assistance reads a line the
// way the parser and its diagnostics do: a time is a `number` or `duration` token, and a
// relative time or trigger delay is a `plus` token followed by one (`+100ms`, `+ 100ms`).

import type { Token } from '../lexer';
import { OPTION_NAMES, parseFlag, parseTcpState, VERBS, type OptionName } from '../types';
import { ENDPOINT_OPTIONS, ENDPOINT_VALUE_OPTIONS, INJECT_FIELDS, MATCH_FIELDS, MATCH_PROPERTIES } from '../vocabulary';

export type Role =
  | 'keyword'
  | 'time'
  | 'duration'
  | 'endpoint-decl'
  | 'endpoint-ref'
  | 'address'
  | 'endpoint-option'
  | 'verb'
  | 'state'
  | 'option'
  | 'option-value'
  | 'flag'
  | 'match'
  | 'error-code'
  | 'hazard'
  | 'variant-decl'
  | 'variant-ref'
  | 'title'
  | 'number'
  | 'string'
  | 'punct'
  | 'unknown';

export type Slot =
  /** The first word of a line: statement keywords, `on`, a time, `expect`. */
  | 'line-start'
  /** After WHEN: an endpoint (actor), `net` or `expect`. */
  | 'action'
  /** `+DURATION` after `on NAME STATE`. */
  | 'trigger-delay'
  | 'endpoint'
  | 'verb'
  | 'state'
  | 'option'
  | 'equals'
  | 'value'
  | 'comma'
  | 'endpoint-option'
  | 'net-kind'
  | 'direction'
  | 'segment-keyword'
  | 'match'
  | 'inject-field'
  | 'expect-subject'
  | 'state-or-error'
  | 'error-code'
  | 'hazard'
  | 'no-what'
  | 'in'
  | 'variant-label'
  | 'latency-keyword'
  | 'duration'
  | 'number'
  | 'send-arg'
  | 'string';

export type RuleKind = 'drop' | 'delay' | 'duplicate' | 'inject';

export interface LineAnalysis {
  /**
   * One role per token given (comments excluded by the caller or marked `unknown`). The `+`
   * of a relative time or trigger delay has the role of the duration after it.
   */
  roles: Role[];
  /** For `option-value` roles and the `value` slot: which option. */
  options: (OptionName | undefined)[];
  /** What may follow the last token. Empty when nothing (or nothing known) may. */
  next: Slot[];
  /** Context for `next`. */
  context: {
    option?: OptionName;
    rule?: RuleKind;
    /** The endpoint before the cursor that is excluded from peers (`connect`, `A->`). */
    self?: string;
    /** True when the line's WHEN was present (a time or a trigger). */
    hasWhen: boolean;
  };
}

const OPTIONS: readonly string[] = OPTION_NAMES;
const VERB_WORDS: readonly string[] = VERBS;
const ENDPOINT_WORDS: readonly string[] = ENDPOINT_OPTIONS;
const ENDPOINT_VALUE_WORDS: readonly string[] = ENDPOINT_VALUE_OPTIONS;
/** Match words that stand alone: the segment properties and `all`. */
const BARE_MATCH_WORDS: readonly string[] = [...MATCH_PROPERTIES, 'all'];

/** A number or a duration, as the parser accepts where a time or duration is due. */
export function isNumeric(t: Token | undefined): boolean {
  return t?.kind === 'number' || t?.kind === 'duration';
}

/** Classifies `tokens` (one line, comments already removed) and says what may come next. */
export function analyzeLine(tokens: readonly Token[]): LineAnalysis {
  const roles: Role[] = tokens.map(() => 'unknown');
  const options: (OptionName | undefined)[] = tokens.map(() => undefined);
  const result: LineAnalysis = { roles, options, next: [], context: { hasWhen: false } };
  let i = 0;
  const at = (k: number): Token | undefined => tokens[k];
  const isWord = (k: number, w?: string): boolean => at(k)?.kind === 'word' && (w === undefined || at(k)?.text === w);
  const done = (...next: Slot[]): LineAnalysis => {
    result.next = next;
    return result;
  };
  const end = (): boolean => i >= tokens.length;

  if (end()) return done('line-start');
  const first = tokens[0];

  // `OPTION = VALUE` at i; returns false when the line ended (result.next set) or went wrong.
  const assignment = (): boolean => {
    if (end()) return !done('option');
    if (!isWord(i)) return !done();
    const name = tokens[i].text;
    const option = OPTIONS.includes(name) ? (name as OptionName) : undefined;
    roles[i] = option ? 'option' : 'unknown';
    i++;
    result.context.option = option;
    if (end()) return !done('equals');
    if (tokens[i].text !== '=') return !done();
    roles[i] = 'punct';
    i++;
    if (end()) return !done('value');
    roles[i] = 'option-value';
    options[i] = option;
    i++;
    return true;
  };

  if (first.kind === 'word') {
    switch (first.text) {
      case 'title':
        roles[0] = 'keyword';
        i = 1;
        if (end()) return done('string');
        roles[1] = tokens[1].kind === 'string' ? 'title' : 'unknown';
        return done();
      case 'set':
        roles[0] = 'keyword';
        i = 1;
        if (!assignment()) return result;
        return done();
      case 'variant':
        roles[0] = 'keyword';
        i = 1;
        if (end()) return done('string');
        if (tokens[1].kind !== 'string') return done();
        roles[1] = 'variant-decl';
        i = 2;
        for (;;) {
          if (!assignment()) return result;
          if (end()) return done('comma');
          if (tokens[i].text !== ',') return done();
          roles[i] = 'punct';
          i++;
        }
      case 'endpoint':
        roles[0] = 'keyword';
        i = 1;
        if (end()) return done();
        if (!isWord(1)) return done();
        roles[1] = 'endpoint-decl';
        i = 2;
        if (end()) return done();
        if (tokens[2].kind !== 'address') return done();
        roles[2] = 'address';
        i = 3;
        while (!end()) {
          const t = tokens[i];
          if (t.kind === 'word' && ENDPOINT_WORDS.includes(t.text)) {
            roles[i] = 'endpoint-option';
            i++;
            if (!ENDPOINT_VALUE_WORDS.includes(t.text)) continue;
            if (end()) return done('equals');
            if (tokens[i].text !== '=') return done();
            roles[i] = 'punct';
            i++;
            if (end()) return done('number');
            roles[i] = 'number';
            i++;
            continue;
          }
          return done();
        }
        return done('endpoint-option');
      case 'link':
        roles[0] = 'keyword';
        i = 1;
        for (const k of [1, 2]) {
          if (end()) return done('endpoint');
          if (!isWord(k)) return done();
          roles[k] = 'endpoint-ref';
          if (k === 1) result.context.self = tokens[1].text;
          i++;
        }
        if (end()) return done('latency-keyword');
        if (!isWord(3, 'latency')) return done();
        roles[3] = 'keyword';
        i = 4;
        if (end()) return done('duration');
        roles[4] = 'duration';
        return done();
    }
  }

  // WHEN
  if (isNumeric(first)) {
    roles[0] = 'time';
    result.context.hasWhen = true;
    i = 1;
  } else if (first.kind === 'plus') {
    // `+DURATION`: relative to the previous timed line.
    roles[0] = 'time';
    result.context.hasWhen = true;
    i = 1;
    if (end()) return done('duration');
    if (!isNumeric(tokens[1])) return done();
    roles[1] = 'time';
    i = 2;
  } else if (isWord(0, 'on')) {
    roles[0] = 'keyword';
    result.context.hasWhen = true;
    i = 1;
    if (end()) return done('endpoint');
    if (!isWord(1)) return done();
    roles[1] = 'endpoint-ref';
    i = 2;
    if (end()) return done('state');
    if (!isWord(2)) return done();
    roles[2] = parseTcpState(tokens[2].text) ? 'state' : 'unknown';
    i = 3;
    if (end()) return done('trigger-delay', 'action');
    if (tokens[3].kind === 'plus') {
      roles[3] = 'duration';
      i = 4;
      if (end()) return done('duration');
      if (!isNumeric(tokens[4])) return done();
      roles[4] = 'duration';
      i = 5;
    }
  }
  if (end()) return done('action');

  // The action: `net RULE`, `expect ASSERTION`, or `ACTOR VERB [ARGS]`.
  if (isWord(i, 'net')) {
    roles[i++] = 'keyword';
    if (end()) return done('net-kind');
    if (!isWord(i)) return done();
    const kind = tokens[i].text;
    if (kind !== 'drop' && kind !== 'delay' && kind !== 'duplicate' && kind !== 'inject') return done();
    roles[i++] = 'keyword';
    result.context.rule = kind;
    if (end()) return kind === 'drop' ? done('direction', 'segment-keyword') : done('direction');
    if (kind === 'drop' && isWord(i, 'segment')) {
      roles[i++] = 'match';
      if (end()) return done('number');
      roles[i++] = 'number';
      return done();
    }
    // DIR: `*` or `A->B`
    if (tokens[i].text === '*' && kind !== 'inject') {
      roles[i++] = 'punct';
    } else if (isWord(i)) {
      roles[i] = 'endpoint-ref';
      result.context.self = tokens[i].text;
      i++;
      if (end()) return done();
      if (tokens[i].kind !== 'arrow') return done();
      roles[i++] = 'punct';
      if (end()) return done('endpoint');
      if (!isWord(i)) return done();
      roles[i++] = 'endpoint-ref';
    } else {
      return done();
    }
    // MATCH words (or inject fields), in any order.
    const field: Slot = kind === 'inject' ? 'inject-field' : 'match';
    while (!end()) {
      const t = tokens[i];
      if (t.kind !== 'word') return done();
      const w = t.text;
      const valued: readonly string[] = kind === 'inject' ? INJECT_FIELDS : MATCH_FIELDS;
      // `ack=N` is a field; a bare `ack` (any case) is the ACK flag.
      if (valued.includes(w) && (tokens[i + 1]?.text === '=' || (w !== 'ack' && i + 1 >= tokens.length))) {
        roles[i++] = 'match';
        if (end()) return done('equals');
        if (tokens[i].text !== '=') return done();
        roles[i++] = 'punct';
        if (end()) return done('number');
        roles[i++] = 'number';
        continue;
      }
      if (parseFlag(w)) {
        roles[i++] = 'flag';
        continue;
      }
      if (kind === 'inject') return done();
      if (BARE_MATCH_WORDS.includes(w)) {
        roles[i++] = 'match';
        continue;
      }
      if (w === 'count') {
        roles[i++] = 'match';
        if (end()) return done('number');
        roles[i++] = 'number';
        continue;
      }
      if ((w === 'by' && kind === 'delay') || (w === 'after' && kind === 'duplicate')) {
        roles[i++] = 'match';
        if (end()) return done('duration');
        roles[i++] = 'duration';
        continue;
      }
      return done();
    }
    return done(field);
  }

  if (isWord(i, 'expect')) {
    roles[i++] = 'keyword';
    if (end()) return done('expect-subject');
    if (!isWord(i)) return done();
    const w = tokens[i].text;
    if (w === 'hazard') {
      roles[i++] = 'keyword';
      if (end()) return done('hazard');
      roles[i++] = 'hazard';
    } else if (w === 'no') {
      roles[i++] = 'keyword';
      if (end()) return done('no-what');
      if (isWord(i, 'hazards')) {
        roles[i++] = 'keyword';
      } else if (isWord(i, 'hazard')) {
        roles[i++] = 'keyword';
        if (end()) return done('hazard');
        roles[i++] = 'hazard';
      } else {
        return done();
      }
    } else {
      roles[i] = 'endpoint-ref';
      result.context.self = w;
      i++;
      if (end()) return done('state-or-error');
      if (isWord(i, 'error')) {
        roles[i++] = 'keyword';
        if (end()) return done('error-code');
        roles[i++] = 'error-code';
      } else if (isWord(i)) {
        roles[i] = parseTcpState(tokens[i].text) ? 'state' : 'unknown';
        i++;
      } else {
        return done();
      }
    }
    if (end()) return done('in');
    if (!isWord(i, 'in')) return done();
    roles[i++] = 'keyword';
    if (end()) return done('variant-label');
    if (tokens[i].kind === 'string') roles[i] = 'variant-ref';
    return done();
  }

  // ACTOR VERB [ARGS]
  if (!isWord(i)) return done();
  roles[i] = 'endpoint-ref';
  result.context.self = tokens[i].text;
  i++;
  if (end()) return done('verb');
  if (!isWord(i)) return done();
  const verb = tokens[i].text;
  roles[i] = VERB_WORDS.includes(verb) ? 'verb' : 'unknown';
  i++;
  if (verb === 'connect') {
    if (end()) return done('endpoint');
    if (isWord(i)) roles[i] = 'endpoint-ref';
    return done();
  }
  if (verb === 'send') {
    if (end()) return done('send-arg');
    roles[i] = tokens[i].kind === 'string' ? 'string' : 'number';
    return done();
  }
  return done();
}
