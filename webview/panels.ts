// The banner (errors of the text, clickable to their line) and the summary bar (expectations,
// hazards, errors of the run). Every string from the file goes in with textContent.

import { formatDuration } from '../src/core/duration';
import type { ProblemRow, VariantView } from '../src/protocol';

export type Reveal = (line: number, column: number) => void;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function linkTo(text: string, line: number | null, column: number, reveal: Reveal, className: string): HTMLElement {
  if (line === null) return el('span', className, text);
  const b = el('button', `${className} line-link`, text);
  b.type = 'button';
  b.dataset.line = String(line);
  b.title = `Go to line ${line}`;
  b.addEventListener('click', () => reveal(line, column));
  return b;
}

/**
 * What each panel last showed, as a key of its inputs: an update whose banner or summary says
 * the same as before leaves that panel's DOM alone (rebuilding it on every keystroke made the
 * browser lay the page out again while Mermaid measured its text).
 */
const shown = new WeakMap<HTMLElement, string>();

/** True when `key` is what `panel` already shows; otherwise records it and returns false. */
function unchanged(panel: HTMLElement, key: string): boolean {
  if (shown.get(panel) === key) return true;
  shown.set(panel, key);
  return false;
}

/**
 * Fills the banner. `problems` are the text's errors; `renderErrors` are diagrams that could
 * not be drawn; `haveDiagram` says whether an older good diagram is still on screen.
 */
export function fillBanner(
  banner: HTMLElement,
  problems: ProblemRow[],
  renderErrors: string[],
  haveDiagram: boolean,
  reveal: Reveal,
): void {
  const errors = problems.filter((p) => p.severity === 'error');
  if (unchanged(banner, JSON.stringify([errors, renderErrors, haveDiagram]))) return;
  banner.replaceChildren();
  if (errors.length === 0 && renderErrors.length === 0) {
    banner.hidden = true;
    return;
  }
  banner.hidden = false;
  if (errors.length > 0) {
    const head =
      `The scenario has ${errors.length} error${errors.length === 1 ? '' : 's'}` +
      (haveDiagram
        ? '; the diagrams below are from the last version that ran.'
        : '; the diagrams appear once it runs.');
    banner.append(el('div', 'banner-head', head));
    const list = el('ul', 'banner-list');
    for (const p of errors) {
      const li = el('li', 'banner-item');
      li.append(linkTo(`Line ${p.line}, column ${p.column}: ${p.message}`, p.line, p.column, reveal, 'banner-error'));
      list.append(li);
    }
    banner.append(list);
  }
  for (const r of renderErrors) banner.append(el('div', 'banner-render-error', r));
}

export function fillSummary(
  summary: HTMLElement,
  variants: VariantView[],
  reveal: Reveal,
  causeLineOf: (variant: string, segment: number) => number | null,
  /** Shows a variant's diagram at a segment (a hazard's link: its variant, scrolled to its segment). */
  showSegment?: (variant: string, segment: number) => void,
): void {
  // The hazards' links depend on causeLineOf, which is read from the same variants.
  const key = JSON.stringify(
    variants.map((v) => [
      v.label,
      v.expectations,
      v.hazards,
      v.errors,
      v.truncated,
      v.endedAt,
      v.hazards.map((h) => causeLineOf(v.label, h.segment)),
    ]),
  );
  if (unchanged(summary, key)) return;
  summary.replaceChildren();
  for (const v of variants) {
    const box = el('div', 'summary-variant');
    box.dataset.variant = v.label;
    if (variants.length > 1) box.append(el('span', 'summary-label', v.label));
    const passed = v.expectations.filter((x) => x.ok).length;
    const failed = v.expectations.length - passed;
    const expected = v.errors.filter((e) => e.expectedBy !== undefined).length;
    const unexpected = v.errors.length - expected;
    const counts = el('span', 'summary-counts');
    counts.append(
      el('span', 'summary-passed', `\u2713 ${passed} passed`),
      el('span', failed ? 'summary-failed has-failures' : 'summary-failed', `\u2717 ${failed} failed`),
      el(
        'span',
        v.hazards.length ? 'summary-hazards has-hazards' : 'summary-hazards',
        `\u26a0 ${v.hazards.length} hazard${v.hazards.length === 1 ? '' : 's'}`,
      ),
      // Errors an `expect ... error` asked for are what the scenario set out to show: counted
      // apart, and never in the red of a failure.
      el(
        'span',
        unexpected ? 'summary-errors has-errors' : 'summary-errors',
        `${unexpected} call error${unexpected === 1 ? '' : 's'}`,
      ),
      ...(expected > 0
        ? [el('span', 'summary-expected-errors', `\u2713 ${expected} expected error${expected === 1 ? '' : 's'}`)]
        : []),
      el('span', 'summary-ended', `ended at ${formatDuration(v.endedAt)}`),
    );
    box.append(counts);
    const details = el('ul', 'summary-details');
    for (const x of v.expectations.filter((e) => !e.ok)) {
      const li = el('li', 'summary-failure');
      li.append(linkTo(`Line ${x.line}: ${x.text} \u2014 ${x.message}`, x.line, 0, reveal, 'failure-link'));
      details.append(li);
    }
    for (const h of v.hazards) {
      const li = el('li', 'summary-hazard');
      const link = linkTo(
        `${h.kind} at ${formatDuration(h.t)} (${h.endpoint}, segment #${h.segment}): ${h.message}`,
        causeLineOf(v.label, h.segment),
        0,
        reveal,
        'hazard-link',
      );
      // Besides the line, the diagram: the hazard's variant, scrolled to its segment.
      if (showSegment) link.addEventListener('click', () => showSegment(v.label, h.segment));
      li.append(link);
      details.append(li);
    }
    for (const e of v.errors) {
      const expectedNote = e.expectedBy !== undefined ? `, as line ${e.expectedBy} expects` : '';
      const li = el('li', e.expectedBy !== undefined ? 'summary-error summary-error-expected' : 'summary-error');
      li.append(
        linkTo(
          `${e.endpoint}: ${e.call} failed with ${e.code}${e.response ? ` (${e.response})` : ''} at ${formatDuration(e.t)}${expectedNote}`,
          e.line,
          0,
          reveal,
          'error-link',
        ),
      );
      details.append(li);
    }
    if (v.truncated) details.append(el('li', 'summary-truncated', `The run stopped early: ${v.truncated}`));
    if (details.childElementCount) {
      // One line per variant; the details on demand, so that the diagram keeps the pane's
      // height (in a side pane two variants' details took half of it). Open by itself when
      // something went wrong that the user did not expect: a failure, an unexpected error, a
      // run stopped early.
      const more = el('details', 'summary-more');
      more.open = failed > 0 || unexpected > 0 || v.truncated !== null;
      const n = details.childElementCount;
      more.append(el('summary', 'summary-toggle', `${n} detail${n === 1 ? '' : 's'}`), details);
      counts.append(more);
    }
    summary.append(box);
  }
}
