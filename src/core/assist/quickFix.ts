// Quick fixes, as pure data the editor applies (issue 11): every diagnostic that names its fix
// gets it as an edit (a did-you-mean word, `250` -> `250ms`, a keyword in the wrong case, an
// endpoint one edit away), state names in lower case can be written as the language prints
// them, and an event line can get an `expect` for what the run shows after it. A fix is kept
// only when the text it makes no longer has that diagnostic there, so no fix ever proposes an
// edit that does not fix what it says.

import type { Scenario } from '../ast';
import { formatDuration } from '../duration';
import { analyze, type Analysis } from '../index';
import { parse } from '../parser';
import type { Trace } from '../trace';
import { TCP_STATES, type Diagnostic, type Range, type TcpState } from '../types';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  /** The diagnostic it fixes (by code and range), or null for a fix that no diagnostic asked for. */
  fixes: { code: string; range: Range } | null;
  /** The one VS Code should offer first. */
  preferred: boolean;
}

/** Texts longer than this are not re-parsed to check a fix (the check would cost a full parse per fix). */
const VERIFY_LIMIT = 200_000;

/** Applies edits (non-overlapping, any order) to a text whose lines are split on `\n`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const offset = (p: { line: number; character: number }): number =>
    Math.min(text.length, (starts[p.line] ?? text.length) + p.character);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/** Whether the text still reports a diagnostic of that code starting where this one did. */
function stillThere(text: string, d: Diagnostic): boolean {
  return parseDiagnostics(text).some(
    (x) =>
      x.code === d.code &&
      x.range.start.line === d.range.start.line &&
      x.range.start.character === d.range.start.character,
  );
}

/** The diagnostics of parsing and checking (no run: a fix of the text does not need one). */
function parseDiagnostics(text: string): Diagnostic[] {
  return parse(text).diagnostics;
}

/**
 * The words a diagnostic proposes: `did you mean \`X\`?`, `write \`X\` or \`Y\``. Only the first
 * `did you mean`, and of `write ...` only whole replacements of the word the diagnostic covers.
 */
function proposedWords(d: Diagnostic, word: string): string[] {
  const mean = /did you mean `([^`]+)`\?/.exec(d.message);
  if (mean) return [mean[1]];
  if (d.code === 'missing-unit') {
    // `250` -> `250ms` or `250s`: the message names both; ms first (the unit the language uses most).
    return [...d.message.matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter((w) => w.startsWith(word) && w !== word);
  }
  return [];
}

/** The word of the text a diagnostic covers (its range, on one line). */
function coveredText(lines: readonly string[], r: Range): string {
  if (r.start.line !== r.end.line) return '';
  return (lines[r.start.line] ?? '').slice(r.start.character, r.end.character);
}

/** Fixes for the diagnostics that name their fix. */
export function diagnosticFixes(text: string, diagnostics: readonly Diagnostic[]): QuickFix[] {
  const lines = text.split('\n');
  const verify = text.length <= VERIFY_LIMIT;
  const out: QuickFix[] = [];
  for (const d of diagnostics) {
    const word = coveredText(lines, d.range);
    if (word === '') continue;
    const words = proposedWords(d, word);
    words.forEach((w, i) => {
      const edit: TextEdit = { range: d.range, newText: w };
      if (verify && stillThere(applyEdits(text, [edit]), d)) return;
      out.push({
        title: `Change \`${word}\` to \`${w}\``,
        edits: [edit],
        fixes: { code: d.code, range: d.range },
        preferred: i === 0,
      });
    });
  }
  return out;
}

/**
 * State names written in another case or with `-` (`established`, `fin-wait-1`): the language
 * accepts them, and a fix writes them as every view prints them (`ESTABLISHED`, `FIN_WAIT_1`),
 * so that the file reads like the diagram. Only those that intersect `within` (the lines asked for).
 */
export function stateNameFixes(text: string, scenario: Scenario, within: Range): QuickFix[] {
  const lines = text.split('\n');
  const out: QuickFix[] = [];
  const consider = (loc: { value: TcpState; range: Range }): void => {
    if (loc.range.end.line < within.start.line || loc.range.start.line > within.end.line) return;
    const written = coveredText(lines, loc.range);
    if (written === '' || written === loc.value || !(TCP_STATES as readonly string[]).includes(loc.value)) return;
    out.push({
      title: `Write \`${written}\` as \`${loc.value}\``,
      edits: [{ range: loc.range, newText: loc.value }],
      fixes: null,
      preferred: false,
    });
  };
  for (const e of scenario.events) {
    if (e.when.kind === 'on') consider(e.when.state);
    if (e.kind === 'expect' && e.assertion.kind === 'state') consider(e.assertion.state);
  }
  return out;
}

/**
 * The state of `endpoint` after everything at `t` (spec: an endpoint's state is its latest
 * connection's, LISTEN with only a listener, CLOSED before any): from the trace's transitions.
 */
export function stateAfter(trace: Trace, endpoint: string, t: number): TcpState {
  const listeners = new Set<number>();
  let state: TcpState = 'CLOSED';
  let connection = false;
  for (const x of trace.transitions) {
    if (x.t > t) break;
    if (x.endpoint !== endpoint) continue;
    if (x.to === 'LISTEN') listeners.add(x.tcb);
    if (listeners.has(x.tcb)) {
      if (!connection) state = x.to;
    } else {
      connection = true;
      state = x.to;
    }
  }
  return state;
}

/**
 * "Add an expect for what happened here" on a timed call line: a line after it that expects
 * what the run shows at that instant (after everything at it): the call's error when it failed,
 * else the endpoint's state. When variants disagree, one line per variant, each `in "LABEL"`.
 */
export function expectFixes(text: string, analysis: Analysis, line: number): QuickFix[] {
  if (analysis.hasErrors || analysis.runs.length === 0) return [];
  const stmt = analysis.scenario.events.find((e) => e.range.start.line === line);
  if (!stmt || stmt.kind !== 'call' || stmt.when.kind !== 'at') return [];
  const t = stmt.when.t;
  const actor = stmt.actor.value;
  const said = (trace: Trace): string => {
    const err = trace.errors.find((e) => e.line === line + 1 && e.endpoint === actor);
    return err ? `${actor} error ${err.code}` : `${actor} ${stateAfter(trace, actor, t)}`;
  };
  const perVariant = analysis.runs.map((r) => ({ label: r.variant, what: said(r) }));
  const all = new Set(perVariant.map((p) => p.what));
  const at = formatDuration(t);
  const newLines =
    all.size === 1
      ? [`${at} expect ${perVariant[0].what}`]
      : perVariant.map((p) => `${at} expect ${p.what} in "${p.label.replace(/["\\]/g, '')}"`);
  const lineText = text.split('\n')[line] ?? '';
  const indent = /^\s*/.exec(lineText)?.[0] ?? '';
  const end = { line, character: lineText.length };
  return [
    {
      title: `Add an expect for what happened here: ${newLines.map((l) => l.slice(at.length + 1)).join('; ')}`,
      edits: [{ range: { start: end, end }, newText: newLines.map((l) => `\n${indent}${l}`).join('') }],
      fixes: null,
      preferred: false,
    },
  ];
}

/**
 * Every quick fix for `range` (0-based lines) of `text`: the fixes of the diagnostics there, the
 * state names written in another case, and an expect for the event line. `analysis` is the text's
 * (the extension has it cached); it is computed when not given.
 */
export function quickFixes(text: string, range: Range, analysis: Analysis = analyze(text)): QuickFix[] {
  const here = analysis.diagnostics.filter(
    (d) => d.range.start.line <= range.end.line && d.range.end.line >= range.start.line,
  );
  return [
    ...diagnosticFixes(text, here),
    ...stateNameFixes(text, analysis.scenario, range),
    ...(range.start.line === range.end.line ? expectFixes(text, analysis, range.start.line) : []),
  ];
}
