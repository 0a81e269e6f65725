// Completion that knows where the cursor is: the text of the line before the cursor is
// walked through the statement grammar (lineGrammar.ts) and the slot that comes next decides
// what to offer. Pure: the editor adapter only maps these items onto VS Code's.

import {
  ENDPOINT_OPTION_DOCS,
  ERROR_DOCS,
  FLAG_DOCS,
  HAZARD_DOCS,
  KEYWORD_DOCS,
  MATCH_DOCS,
  OPTION_DOCS,
  STATE_DOCS,
  UNITS,
  VALUE_DOCS,
  VERB_DOCS,
  DURATION_OPTIONS,
  optionValueWords,
  toMarkdown,
  type DocEntry,
} from '../docs';
import {
  ERROR_CODES,
  FLAGS,
  HAZARD_KINDS,
  OPTION_NAMES,
  TCP_STATES,
  VERBS,
  type OptionName,
  type Position,
} from '../types';
import {
  ENDPOINT_OPTIONS,
  ENDPOINT_VALUE_OPTIONS,
  INJECT_FIELDS,
  MATCH_FIELDS,
  MATCH_PROPERTIES,
  NET_CLAUSES,
  NET_RULES,
  STATEMENT_KEYWORDS,
} from '../vocabulary';
import { collectDeclarations, endpointNames, lazyDeclarations, type Declarations } from './declarations';
import { analyzeLine, isNumeric, type LineAnalysis, type Slot } from './lineGrammar';
import { lexLine, splitLines, type Token } from '../lexer';
import { formatDuration } from '../duration';

export type CompletionKind =
  | 'keyword'
  | 'time'
  | 'unit'
  | 'endpoint'
  | 'direction'
  | 'verb'
  | 'state'
  | 'option'
  | 'value'
  | 'flag'
  | 'match'
  | 'error-code'
  | 'hazard'
  | 'variant'
  | 'punct';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  /** One line shown beside the label. */
  detail?: string;
  /** Markdown shown in the details pane. */
  documentation?: string;
  /** Text that replaces the columns [replaceStart, replaceEnd) of the cursor's line. */
  insertText: string;
  /** Text the editor filters on (defaults to the label). */
  filterText?: string;
  /** Keeps the order this module chose. */
  sortText: string;
  replaceStart: number;
  replaceEnd: number;
}

export interface CompletionResult {
  items: CompletionItem[];
  /** The slots that were completed (for tests and debugging). */
  slots: Slot[];
}

/** Normalized for matching: any case, `-` or `_` (the spec's rule for states and flags). */
const norm = (s: string): string => s.toLowerCase().replace(/-/g, '_');

/** The completion items for the cursor at `position` in `text`. */
export function complete(text: string, position: Position, declarations?: Declarations): CompletionResult {
  const lineText = splitLines(text)[position.line] ?? '';
  return completeLine(lineText, position, () => declarations ?? collectDeclarations(text));
}

/**
 * The same, from the cursor's line alone and the document's declarations, asked for only when
 * the slot needs them: what the editor calls on every keystroke, so it never reads the whole
 * document (a 1 MB file would cost tens of milliseconds per request).
 */
export function completeLine(lineText: string, position: Position, declarations: () => Declarations): CompletionResult {
  const cursor = Math.min(position.character, lineText.length);
  const allTokens = lexLine(lineText, position.line);
  const startOf = (t: Token): number => t.range.start.character;
  const endOf = (t: Token): number => t.range.end.character;

  // Nothing to offer inside a comment.
  const comment = allTokens.find((t) => t.kind === 'comment');
  if (comment && cursor > startOf(comment)) return { items: [], slots: [] };

  const before = allTokens.filter((t) => t.kind !== 'comment' && startOf(t) < cursor);
  let prefixToken: Token | undefined;
  let prefixStart = cursor;
  const last = before[before.length - 1];
  if (last && endOf(last) >= cursor && (last.kind === 'word' || isNumeric(last) || last.kind === 'string')) {
    prefixToken = last;
    prefixStart = startOf(last);
    before.pop();
    // `+5`: the sign written against the number is part of what is being typed, so the
    // units offered keep it (`+5ms`); the line before it is what the grammar walks.
    const sign = before[before.length - 1];
    if (isNumeric(last) && sign?.kind === 'plus' && endOf(sign) === prefixStart) {
      prefixStart = startOf(sign);
      before.pop();
    }
  } else if (last && endOf(last) > cursor) {
    // Inside an address or another token that cannot be completed.
    return { items: [], slots: [] };
  } else if (last?.kind === 'address' && last.port === null && endOf(last) === cursor) {
    // An address still being typed (`10.0.0.`, `10.0.0.1` before its `:PORT`): nothing else
    // may follow it yet.
    return { items: [], slots: [] };
  }
  // Inside a closed string, only a variant label (`in "de|"`) can be completed.
  const analysis = analyzeLine(before);
  const prefix = prefixToken ? lineText.slice(prefixStart, cursor) : '';
  const replaceStart = prefixStart;
  const replaceEnd = prefixToken ? endOf(prefixToken) : cursor;

  if (prefixToken?.kind === 'string' && !analysis.next.includes('variant-label')) return { items: [], slots: [] };

  const builder = new ItemBuilder(replaceStart, replaceEnd);
  if (isNumeric(prefixToken)) {
    if (wantsDuration(analysis)) unitItems(builder, prefix);
    return { items: builder.filtered(prefix), slots: analysis.next };
  }
  const decls = lazyDeclarations(declarations);
  for (const slot of analysis.next) slotItems(builder, slot, analysis, decls, prefix);
  return { items: builder.filtered(prefix), slots: analysis.next };
}

/** Whether a number typed here is a time or a duration, so units make sense. */
function wantsDuration(a: LineAnalysis): boolean {
  return a.next.some(
    (s) =>
      s === 'line-start' ||
      s === 'duration' ||
      s === 'trigger-delay' ||
      (s === 'value' && a.context.option !== undefined && DURATION_OPTIONS.has(a.context.option)),
  );
}

/** `100` → `100ms`, `100s`, `100min`, `100us` (and `+100` → `+100ms` ...). */
function unitItems(b: ItemBuilder, typed: string): void {
  const m = /^(\+?\d*(?:\.\d*)?)/.exec(typed);
  const digits = m ? m[1] : typed;
  if (!/\d/.test(digits)) return;
  const value = Number(digits.replace('+', ''));
  for (const u of UNITS) {
    const ms = value * u.ms;
    b.add({
      label: digits + u.unit,
      kind: 'unit',
      detail: u.summary,
      documentation: Number.isFinite(ms) ? `${digits}${u.unit} = ${formatDuration(ms)}` : undefined,
      insertText: digits + u.unit,
    });
  }
}

function docItem(b: ItemBuilder, entry: DocEntry, kind: CompletionKind, insertText = entry.name): void {
  b.add({ label: insertText.trim(), kind, detail: entry.summary, documentation: toMarkdown(entry), insertText });
}

function keyword(b: ItemBuilder, word: string): void {
  const entry = KEYWORD_DOCS[word] ?? MATCH_DOCS[word];
  if (entry) docItem(b, entry, 'keyword', word);
  else b.add({ label: word, kind: 'keyword', insertText: word });
}

function endpoints(b: ItemBuilder, decls: Declarations, exclude?: string): void {
  for (const e of decls.endpoints) {
    if (e.name === exclude || b.has(e.name)) continue;
    b.add({
      label: e.name,
      kind: 'endpoint',
      detail: `endpoint ${e.address}${e.options ? ' ' + e.options : ''}`.trim(),
      documentation: `Declared on line ${e.line + 1}.`,
      insertText: e.name,
    });
  }
}

function slotItems(b: ItemBuilder, slot: Slot, a: LineAnalysis, decls: Declarations, prefix: string): void {
  switch (slot) {
    case 'line-start':
      for (const w of STATEMENT_KEYWORDS) keyword(b, w);
      for (const t of ['0ms', '+100ms', '1s']) {
        b.add({
          label: t,
          kind: 'time',
          detail: t.startsWith('+') ? 'time relative to the previous timed line' : 'absolute simulated time',
          insertText: t,
        });
      }
      return;
    case 'action':
      endpoints(b, decls);
      keyword(b, 'net');
      keyword(b, 'expect');
      return;
    case 'trigger-delay':
      b.add({ label: '+10ms', kind: 'time', detail: 'fire this long after the state is entered', insertText: '+10ms' });
      return;
    case 'endpoint':
      endpoints(b, decls, a.context.self);
      return;
    case 'verb':
      for (const v of VERBS) docItem(b, VERB_DOCS[v], 'verb');
      return;
    case 'state':
      stateItems(b, prefix);
      return;
    case 'state-or-error':
      stateItems(b, prefix);
      keyword(b, 'error');
      return;
    case 'option':
      for (const o of OPTION_NAMES) docItem(b, OPTION_DOCS[o], 'option');
      return;
    case 'equals':
      b.add({ label: '=', kind: 'punct', insertText: '=' });
      return;
    case 'value':
      valueItems(b, a.context.option);
      return;
    case 'comma':
      b.add({ label: ',', kind: 'punct', detail: 'another override', insertText: ', ' });
      return;
    case 'endpoint-option':
      for (const name of ENDPOINT_OPTIONS) {
        const entry = ENDPOINT_OPTION_DOCS[name];
        const withValue = ENDPOINT_VALUE_OPTIONS.includes(name);
        b.add({
          label: withValue ? `${name}=` : name,
          kind: 'option',
          detail: entry.summary,
          documentation: toMarkdown(entry),
          insertText: withValue ? `${name}=` : name,
        });
      }
      return;
    case 'net-kind':
      for (const w of NET_RULES) keyword(b, w);
      return;
    case 'direction':
      directionItems(b, decls, a.context.rule !== 'inject');
      return;
    case 'segment-keyword':
      keyword(b, NET_CLAUSES.drop);
      return;
    case 'match':
      flagItems(b, prefix);
      for (const w of MATCH_PROPERTIES) docItem(b, MATCH_DOCS[w], 'match');
      for (const w of MATCH_FIELDS) docItem(b, MATCH_DOCS[w], 'match', `${w}=`);
      if (a.context.rule === 'delay') docItem(b, MATCH_DOCS[NET_CLAUSES.delay], 'match', `${NET_CLAUSES.delay} `);
      if (a.context.rule === 'duplicate')
        docItem(b, MATCH_DOCS[NET_CLAUSES.duplicate], 'match', `${NET_CLAUSES.duplicate} `);
      docItem(b, MATCH_DOCS.count, 'match', 'count ');
      docItem(b, MATCH_DOCS.all, 'match');
      return;
    case 'inject-field':
      flagItems(b, prefix);
      for (const w of INJECT_FIELDS) docItem(b, MATCH_DOCS[w], 'match', `${w}=`);
      return;
    case 'expect-subject':
      endpoints(b, decls);
      keyword(b, 'hazard');
      keyword(b, 'no');
      return;
    case 'error-code':
      for (const c of ERROR_CODES) docItem(b, ERROR_DOCS[c], 'error-code');
      return;
    case 'hazard':
      for (const h of HAZARD_KINDS) docItem(b, HAZARD_DOCS[h], 'hazard');
      return;
    case 'no-what':
      keyword(b, 'hazards');
      keyword(b, 'hazard');
      return;
    case 'in':
      keyword(b, 'in');
      return;
    case 'variant-label': {
      const labels = ['default', ...decls.variants.map((v) => v.label)];
      for (const label of new Set(labels)) {
        const v = decls.variants.find((x) => x.label === label);
        const quoted = `"${label.replace(/(["\\])/g, '\\$1')}"`;
        b.add({
          label: quoted,
          kind: 'variant',
          detail: v ? `variant: ${v.overrides}` : 'the scenario without overrides',
          insertText: quoted,
          filterText: quoted,
        });
      }
      return;
    }
    case 'latency-keyword':
      keyword(b, 'latency');
      return;
    case 'duration':
    case 'number':
    case 'send-arg':
    case 'string':
      return;
  }
}

function stateItems(b: ItemBuilder, prefix: string): void {
  // Written as the user writes: `fin-w` is offered `fin-wait-1`-style spellings' canonical form.
  for (const s of TCP_STATES) {
    const entry = STATE_DOCS[s];
    b.add({
      label: s,
      kind: 'state',
      detail: entry.summary,
      documentation: toMarkdown(entry),
      insertText: s,
      filterText: prefix.includes('-')
        ? s.toLowerCase().replace(/_/g, '-')
        : prefix && prefix === prefix.toLowerCase()
          ? s.toLowerCase()
          : s,
    });
  }
}

function flagItems(b: ItemBuilder, prefix: string): void {
  for (const f of FLAGS) {
    const entry = FLAG_DOCS[f];
    b.add({
      label: f,
      kind: 'flag',
      detail: entry.summary,
      documentation: toMarkdown(entry),
      insertText: f,
      filterText: prefix && prefix === prefix.toLowerCase() ? f.toLowerCase() : f,
    });
  }
}

function valueItems(b: ItemBuilder, option: OptionName | undefined): void {
  if (!option) return;
  const words = optionValueWords(option);
  for (const w of words) {
    const entry = VALUE_DOCS[w];
    const isDefault = OPTION_DOCS[option].default === w;
    b.add({
      label: w,
      kind: 'value',
      detail: entry.summary + (isDefault ? ' (default)' : ''),
      documentation: toMarkdown(entry),
      insertText: w,
    });
  }
  const def = OPTION_DOCS[option].default;
  if (words.length === 0 && def !== undefined && def !== 'none') {
    b.add({
      label: def,
      kind: 'value',
      detail: `default of ${option}`,
      documentation: toMarkdown(OPTION_DOCS[option]),
      insertText: def,
    });
  }
}

/** Beyond this many endpoints the pairs would swamp the list: offer the names, `A->` completes the rest. */
const MAX_DIRECTION_PAIRS = 400;

function directionItems(b: ItemBuilder, decls: Declarations, allowAny: boolean): void {
  if (allowAny) b.add({ label: '*', kind: 'direction', detail: 'segments in any direction', insertText: '*' });
  const names = endpointNames(decls);
  if (names.length * (names.length - 1) > MAX_DIRECTION_PAIRS) {
    endpoints(b, decls);
    return;
  }
  for (const from of names) {
    for (const to of names) {
      if (from === to) continue;
      b.add({
        label: `${from}->${to}`,
        kind: 'direction',
        detail: `segments from ${from} to ${to}`,
        insertText: `${from}->${to}`,
      });
    }
  }
}

class ItemBuilder {
  private readonly items: CompletionItem[] = [];
  private readonly labels = new Set<string>();
  constructor(
    private readonly replaceStart: number,
    private readonly replaceEnd: number,
  ) {}

  add(item: Omit<CompletionItem, 'sortText' | 'replaceStart' | 'replaceEnd'>): void {
    if (this.labels.has(item.label)) return;
    this.labels.add(item.label);
    const sortText = String(this.items.length).padStart(4, '0');
    this.items.push({ ...item, sortText, replaceStart: this.replaceStart, replaceEnd: this.replaceEnd });
  }

  has(label: string): boolean {
    return this.labels.has(label);
  }

  /** Items whose label starts with what was typed (any case, `-` or `_`); all when nothing was. */
  filtered(prefix: string): CompletionItem[] {
    if (!prefix) return this.items;
    const p = norm(prefix);
    return this.items.filter(
      (i) => norm(i.label).startsWith(p) || norm(i.label).replace(/^"/, '').startsWith(p.replace(/^"/, '')),
    );
  }
}
