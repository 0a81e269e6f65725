// How a duration or an instant is shown to users, everywhere: in the diagrams, the trace
// text, hovers, completion, the outline and the preview. One style, the one the language
// itself uses to write times (spec, "Lexical rules": `250ms`, `1.5s`), so that a time read
// off the diagram can be typed back into a `.tcpscn` file unchanged.

/**
 * Milliseconds as the language writes them: below one second in `ms` (`0ms`, `250ms`,
 * `0.004ms`, to the microsecond), from one second on in `s` (`1s`, `1.5s`, `60s`, also to
 * the microsecond). No space before the unit; never `min` (so times along one run compare
 * at a glance: `59.5s`, `60s`, `60.05s`). Not a finite number: `String(ms)`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (Math.abs(ms) < 1000) return `${roundTo(ms, 3)}ms`;
  return `${roundTo(ms / 1000, 6)}s`;
}

/** `x` rounded to `places` decimals, without trailing zeros (and `-0` shown as `0`). */
function roundTo(x: number, places: number): string {
  const scale = 10 ** places;
  const r = Math.round(x * scale) / scale;
  return String(r === 0 ? 0 : r);
}
