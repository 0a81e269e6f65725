// The document outline: title, options, endpoints, links, variants, then the events grouped
// by when they happen (consecutive lines with the same time, the same trigger, or "at the
// end"), all with ranges from the parser's AST.

import type { EventStmt, Scenario, When } from '../ast';
import type { Position, Range } from '../types';
import { splitLines } from '../lexer';
import { formatDuration } from '../duration';

export type OutlineKind =
  'title' | 'options' | 'option' | 'endpoint' | 'link' | 'variant' | 'when' | 'call' | 'net' | 'expect';

export interface OutlineSymbol {
  name: string;
  detail: string;
  kind: OutlineKind;
  range: Range;
  selectionRange: Range;
  children: OutlineSymbol[];
}

export function outline(scenario: Scenario, text: string): OutlineSymbol[] {
  const lines = splitLines(text);
  const slice = (r: Range): string =>
    r.start.line === r.end.line
      ? (lines[r.start.line] ?? '').slice(r.start.character, r.end.character)
      : (lines[r.start.line] ?? '').slice(r.start.character);
  const out: OutlineSymbol[] = [];
  const leaf = (name: string, detail: string, kind: OutlineKind, r: Range, sel: Range = r): OutlineSymbol => ({
    name,
    detail,
    kind,
    range: r,
    selectionRange: within(sel, r),
    children: [],
  });

  if (scenario.title) out.push(leaf(scenario.title.value || '(untitled)', 'title', 'title', scenario.title.range));
  if (scenario.settings.length) {
    const children = scenario.settings.map((s) =>
      leaf(s.name.value, slice(s.value.range), 'option', s.range, s.name.range),
    );
    out.push(group('options', `${children.length} set`, 'options', children));
  }
  for (const e of scenario.endpoints) {
    const where = e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
    const extra = [
      e.isn !== null ? `isn=${e.isn}` : '',
      e.window !== null ? `window=${e.window}` : '',
      e.reuse ? 'reuse' : '',
    ]
      .filter(Boolean)
      .join(' ');
    out.push(leaf(e.name.value, extra ? `${where} ${extra}` : where, 'endpoint', e.range, e.name.range));
  }
  for (const l of scenario.links) {
    out.push(leaf(`${l.a.value} ↔ ${l.b.value}`, `latency ${formatDuration(l.latency)}`, 'link', l.range, l.a.range));
  }
  for (const v of scenario.variants) {
    const overrides = v.overrides.map((o) => `${o.name.value} = ${slice(o.value.range)}`).join(', ');
    out.push(leaf(`variant "${v.label.value}"`, overrides, 'variant', v.range, v.label.range));
  }

  // Events: consecutive lines with the same WHEN form one group.
  let current: { key: string; name: string; children: OutlineSymbol[] } | null = null;
  const flush = (): void => {
    if (current)
      out.push(
        group(
          current.name,
          `${current.children.length} event${current.children.length === 1 ? '' : 's'}`,
          'when',
          current.children,
        ),
      );
    current = null;
  };
  for (const ev of scenario.events) {
    const { key, name } = whenLabel(ev.when);
    const child = eventSymbol(ev, slice);
    if (!current || current.key !== key) {
      flush();
      current = { key, name, children: [] };
    }
    current.children.push(child);
  }
  flush();
  return out;
}

function eventSymbol(ev: EventStmt, slice: (r: Range) => string): OutlineSymbol {
  const whole = slice(ev.range);
  let name = whole;
  if (ev.when.kind !== 'end' && ev.when.range.start.line === ev.range.start.line) {
    // The statement's text after its WHEN, e.g. `client connect server`.
    const offset = ev.when.range.end.character - ev.range.start.character;
    if (offset > 0 && offset <= whole.length) name = whole.slice(offset);
  }
  name = name.replace(/\s+#.*$/, '').trim() || whole.trim();
  const sel: Range = ev.kind === 'call' ? ev.actor.range : ev.range;
  const detail =
    ev.kind === 'expect'
      ? ev.variant
        ? `in "${ev.variant.value}"`
        : 'expectation'
      : ev.kind === 'net'
        ? 'network'
        : ev.verb.value;
  return { name, detail, kind: ev.kind, range: ev.range, selectionRange: within(sel, ev.range), children: [] };
}

function whenLabel(when: When): { key: string; name: string } {
  switch (when.kind) {
    case 'at':
      return { key: `at:${when.t}`, name: `at ${formatDuration(when.t)}` };
    case 'on': {
      const delay = when.delay ? ` +${formatDuration(when.delay)}` : '';
      return {
        key: `on:${when.endpoint.value}:${when.state.value}:${when.delay}`,
        name: `on ${when.endpoint.value} ${when.state.value}${delay}`,
      };
    }
    case 'end':
      return { key: 'end', name: 'at the end of the run' };
  }
}

function group(name: string, detail: string, kind: OutlineKind, children: OutlineSymbol[]): OutlineSymbol {
  const start = children.reduce<Position>(
    (p, c) => (before(c.range.start, p) ? c.range.start : p),
    children[0].range.start,
  );
  const end = children.reduce<Position>((p, c) => (before(p, c.range.end) ? c.range.end : p), children[0].range.end);
  const r: Range = { start, end };
  return { name, detail, kind, range: r, selectionRange: children[0].selectionRange, children };
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** VS Code requires a symbol's selection range to lie inside its range. */
function within(sel: Range, outer: Range): Range {
  const inside = !before(sel.start, outer.start) && !before(outer.end, sel.end);
  return inside ? sel : outer;
}

/**
 * At most this many symbols (children included), the first ones in file order. A 1 MB file
 * has about 24 000; building and sending them to the editor after each edit blocked the
 * extension host for 70–200 ms (with the garbage they leave). 5 000 (VS Code's own JSON
 * outline stops there, `json.maxItemsComputed`) still cost 8–14 ms per analysis in VS Code's
 * extension host (bench/hostTyping.ts), often in the same task as a garbage collection of the
 * analysis just received (together up to 40 ms); 2 000 (the first thousand or so statements)
 * keeps that well apart from the 50 ms limit. Files under 64 KB rarely come near it.
 */
export const MAX_OUTLINE_SYMBOLS = 2000;

/**
 * The outline as the editor shows it: of the file's first MAX_OUTLINE_SYMBOLS events only
 * (reading only their lines of `text`), cut to MAX_OUTLINE_SYMBOLS symbols in all. For a large
 * document the analysis worker makes it (src/extension/analysisWorker.ts), so the extension
 * host receives these few thousand objects instead of the whole analysis.
 */
export function outlineHead(scenario: Scenario, text: string, max = MAX_OUTLINE_SYMBOLS): OutlineSymbol[] {
  if (scenario.events.length <= max) return limited(outline(scenario, text), max);
  const events = scenario.events.slice(0, max);
  let last = 0;
  for (const r of [...scenario.settings, ...scenario.variants, ...events]) last = Math.max(last, r.range.end.line);
  // The text up to the end of line `last` (line breaks as splitLines counts them).
  let end = 0;
  for (let line = 0; line <= last && end < text.length; line++) {
    const lf = text.indexOf('\n', end);
    end = lf < 0 ? text.length : lf + 1;
  }
  return limited(outline({ ...scenario, events }, text.slice(0, end)), max);
}

function limited(symbols: OutlineSymbol[], max: number): OutlineSymbol[] {
  let budget = max;
  const out: OutlineSymbol[] = [];
  for (const s of symbols) {
    if (budget <= 0) break;
    budget--;
    const children = s.children.length > budget ? s.children.slice(0, budget) : s.children;
    budget -= children.length;
    out.push(children === s.children ? s : { ...s, children });
  }
  return out;
}
