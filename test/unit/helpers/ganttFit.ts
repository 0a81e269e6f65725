// Checks that every label of a rendered state timeline fits inside its bar, on the axis as it
// is drawn: Mermaid puts a label that does not fit beside its bar, where in compact mode it lies
// over the neighbouring state's label.

import { CHART_WIDTH, textPx } from '../../../src/core/render/index';
import type { GanttDb } from './mermaidParse';

/** Labels that would be drawn outside their bar: `section: label (needs N px, has M px)`. */
export function labelsOutside(text: string, db: GanttDb): string[] {
  const num = (key: string): number => Number(new RegExp(`\\n {4}${key}: (\\d+)\\n`).exec(text)?.[1]);
  // Laid out at CHART_WIDTH (or wider, in the preview) unless the text fixes another width.
  const width = /\n {4}useWidth: /.test(text) ? num('useWidth') : CHART_WIDTH;
  const barArea = width - num('leftPadding') - num('rightPadding');
  const tasks = db.getTasks().filter((t) => !t.vert);
  if (tasks.length === 0) return [];
  const min = Math.min(...tasks.map((t) => t.startTime.getTime()));
  const max = Math.max(...tasks.map((t) => t.endTime.getTime()));
  const pxPerMs = barArea / Math.max(1, max - min);
  const out: string[] = [];
  for (const t of tasks) {
    const label = t.task.trim();
    // Errors and hazards have rows of their own, with nothing beside them to overlap.
    if (label === '\u200B' || t.section.startsWith('\u26A0 ')) continue;
    const has = (t.endTime.getTime() - t.startTime.getTime()) * pxPerMs;
    const needs = textPx(label);
    if (t.milestone || needs > has)
      out.push(`${t.section}: ${label} (needs ${needs.toFixed(0)} px, has ${has.toFixed(0)} px)`);
  }
  if (!Number.isFinite(barArea)) out.push('the chart does not say its paddings (leftPadding, rightPadding)');
  return out;
}
