// What the page does to a diagram Mermaid drew: ties the sequence diagram's arrows to their
// segments (for click-to-source and the cursor's highlight), marks the highlighted arrows, and
// makes a clean copy for export.

/**
 * Ties the SVG's arrows to segments: the i-th `[data-et="message"]` is segment
 * arrowSegments[i] (Mermaid numbers notes and blocks in data-id too, so data-id is not used).
 * Adds a wider invisible line over each arrow so that it is easy to click. `arrowSegments` is
 * null for a diagram without clickable arrows (the timeline). Returns the number of arrows.
 */
export function prepareSvg(svg: SVGSVGElement, arrowSegments: readonly number[] | null): number {
  svg.classList.add('tcpscn-diagram');
  // The label of a timeline's vertical marker (an error or hazard) is drawn in the marker's
  // warning colour by a rule of Mermaid's (`#id .vertText { fill: ... !important }`), 3.1 : 1 on
  // Light+'s white: in the text colour instead, inline, the one thing that outranks that rule.
  for (const t of svg.querySelectorAll<SVGElement>('.vertText'))
    t.style.setProperty('fill', 'var(--vscode-editor-foreground)', 'important');
  const lines = [...svg.querySelectorAll<SVGElement>('[data-et="message"]')];
  if (!arrowSegments) return lines.length;
  if (lines.length !== arrowSegments.length) {
    console.warn(
      `tcpscn: ${lines.length} arrows drawn for ${arrowSegments.length} segments; click-to-source is off for this diagram`,
    );
    return lines.length;
  }
  // Mermaid draws each message as its label's lines (text.messageText) and then its line, so
  // the texts before an arrow, back to the previous arrow, are its label.
  const labelOf = new Map<Element, SVGElement[]>();
  let pending: SVGElement[] = [];
  for (const el of svg.querySelectorAll<SVGElement>('text.messageText, [data-et="message"]')) {
    if (el.matches('[data-et="message"]')) {
      labelOf.set(el, pending);
      pending = [];
    } else pending.push(el);
  }
  lines.forEach((line, i) => {
    const n = String(arrowSegments[i]);
    line.dataset.segment = n;
    const tip = `Segment #${n}: click to show the line that caused it`;
    for (const text of labelOf.get(line) ?? []) {
      // The label is a click target too, all of its box (not only the glyphs' ink).
      text.dataset.segment = n;
      clickable(text, 'bounding-box');
    }
    if (line instanceof SVGLineElement) {
      const hit = document.createElementNS('http://www.w3.org/2000/svg', 'line');
      for (const a of ['x1', 'y1', 'x2', 'y2']) hit.setAttribute(a, line.getAttribute(a) ?? '0');
      hit.setAttribute('class', 'tcpscn-hit');
      hit.dataset.segment = n;
      // Inline, because Mermaid's stylesheet (`#<diagram id> line`-level rules, more specific
      // than any class of main.css) made the target as thin as the arrow: a click had to land
      // on its 1 px line.
      clickable(hit, 'stroke');
      hit.style.stroke = 'transparent';
      hit.style.strokeWidth = `${HIT_WIDTH_PX}px`;
      const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
      title.textContent = tip;
      hit.append(title);
      line.after(hit);
    }
  });
  return lines.length;
}

/** How wide (in the diagram's pixels) the invisible click target over each arrow is. */
export const HIT_WIDTH_PX = 14;

function clickable(el: SVGElement, events: string): void {
  el.style.pointerEvents = events;
  el.style.cursor = 'pointer';
}

/** The segment number of the arrow a click landed on, or null. */
export function clickedSegment(e: MouseEvent): number | null {
  const target = e.target instanceof Element ? e.target.closest('[data-segment]') : null;
  if (!(target instanceof SVGElement) || !target.dataset.segment) return null;
  return Number(target.dataset.segment);
}

/**
 * Marks the arrows in `canvas` of segments caused by `line` (none when `causes` is null: without
 * a cursor line the rows need not be decoded).
 */
export function markHighlight(
  canvas: HTMLElement,
  causes: Map<number, number | null> | null,
  line: number | null,
): void {
  for (const el of canvas.querySelectorAll<SVGElement>('[data-segment]')) {
    const on = causes !== null && causes.get(Number(el.dataset.segment)) === line;
    el.classList.toggle('tcpscn-highlight', on);
  }
}

/** The SVG as a file holds it: without the click targets, highlight and segment marks. */
export function exportableSvg(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.querySelectorAll('.tcpscn-hit').forEach((e) => e.remove());
  copy.querySelectorAll('.tcpscn-highlight').forEach((e) => e.classList.remove('tcpscn-highlight'));
  copy.querySelectorAll('[data-segment]').forEach((e) => e.removeAttribute('data-segment'));
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return new XMLSerializer().serializeToString(copy);
}
