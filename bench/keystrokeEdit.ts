// The edit the VS Code keystroke bench types (bench/vscode.ts), and the check that it changes
// what the preview draws. A key that changes nothing drawn is rightly not redrawn (the page
// skips a diagram whose text is unchanged), so a bench typing it waits for an SVG that never
// comes: that is how the Sequence rows stopped measuring twice (a title the side-pane diagram
// leaves out; then an expect's time, picked by a pattern that let `400ms  expect` pass as a
// call). The edit: a `0` typed after the digits of the last call timed in ms (`300ms` ->
// `3000ms`), then deleted. Every arrow of the sequence diagram carries its time (`t=300ms`),
// and the ladder places it in time, so both tabs draw something new each key.

import { analyze } from '../src/core/index';
import { variantView } from '../src/extension/preview/payload';

/** The 1-based line and column right after the digits of the last call timed in ms (not an expect). */
export function lastCallTime(text: string): { line: number; column: number } {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    // The word after the time is matched whole: a lookahead after `\s+` would let a line with
    // two spaces (`400ms  expect ...`) through, backtracking to one space.
    const m = /^([1-9][0-9]*)ms\s+(\S+)/.exec(lines[i]!);
    if (m && m[2] !== 'expect') return { line: i + 1, column: m[1]!.length + 1 };
  }
  throw new Error('no call timed in ms');
}

/** `text` with `insert` typed at the 1-based line and column `at`. */
export function typedAt(text: string, at: { line: number; column: number }, insert: string): string {
  const lines = text.split('\n');
  const l = lines[at.line - 1]!;
  lines[at.line - 1] = l.slice(0, at.column - 1) + insert + l.slice(at.column - 1);
  return lines.join('\n');
}

/**
 * Which of the preview's tabs draw something different after the edit, judged from what the
 * extension sends the page for each variant: the Mermaid text of the sequence tab (what the
 * page compares before drawing again) and the ladder's data.
 */
export function drawnChanges(before: string, after: string): { sequence: boolean; ladder: boolean } {
  const views = (text: string) => analyze(text).runs.map((t) => variantView(t));
  const a = views(before);
  const b = views(after);
  return {
    sequence: a.length !== b.length || a.some((v, i) => v.sequence.text !== b[i]!.sequence.text),
    ladder:
      a.length !== b.length ||
      a.some((v, i) => v.traceEvents !== b[i]!.traceEvents || v.ladderSegments !== b[i]!.ladderSegments),
  };
}
