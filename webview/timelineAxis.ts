// The state timeline's axis in real time. The core draws the gantt on a compressed axis (quiet
// stretches folded, short states widened so that their names fit: drawn ms, see
// src/core/render/timeline.ts), and Mermaid can only print the drawn times. So the core writes
// `axisFormat %Q` (Mermaid prints each tick as its drawn ms) and hands over the axis as data; here,
// once Mermaid has drawn, the page reads two of Mermaid's ticks to learn its scale (drawn ms to
// pixels), removes them, and draws the core's ticks instead (timelineTicks: real round times,
// none inside a folded stretch), each a clone of Mermaid's own tick so that it keeps the theme's
// styles and grid line, plus a zigzag over each folded stretch with its real length (`+59.95s`,
// as the Ladder writes it). The exported SVG is this drawing, real times included.

import { timelineTicks, type TimelineAxis } from '../src/core/render/timeline';
import { formatDuration } from '../src/core/duration';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The x of a tick group (`translate(x,0)`, as d3's axis writes it), or NaN. */
function tickX(tick: Element): number {
  const m = /translate\(\s*([-+\d.eE]+)/.exec(tick.getAttribute('transform') ?? '');
  return m ? Number(m[1]) : Number.NaN;
}

/**
 * Replaces the ticks of a timeline Mermaid drew with `axisFormat %Q` by real times. Returns the
 * number of ticks written; 0 (and no numbers left on the axis, since they would be drawn times)
 * when Mermaid's scale could not be read.
 */
export function writeRealTimes(svg: SVGSVGElement, axis: TimelineAxis): number {
  const grid = svg.querySelector('g.grid');
  if (!grid) return 0;
  const mermaidTicks = [...grid.querySelectorAll(':scope > g.tick')];
  const read = mermaidTicks
    .map((t) => ({ x: tickX(t), value: (t.querySelector('text')?.textContent ?? '').trim() }))
    .filter((r) => Number.isFinite(r.x) && /^-?\d+$/.test(r.value))
    .map((r) => ({ x: r.x, drawn: Number(r.value) }));
  const first = read[0];
  const last = read[read.length - 1];
  const template = mermaidTicks[0];
  if (!template || !first || !last || last.drawn === first.drawn) {
    for (const t of mermaidTicks) t.querySelector('text')?.replaceChildren();
    return 0;
  }
  // Mermaid's scale is linear in drawn ms (d3's scaleTime over epoch ms).
  const pxPerDrawnMs = (last.x - first.x) / (last.drawn - first.drawn);
  const xOf = (drawn: number): number => first.x + (drawn - first.drawn) * pxPerDrawnMs;
  const { ticks, breaks } = timelineTicks(axis, pxPerDrawnMs);
  // Mermaid draws an error's or hazard's vertical line (rect.vert) on past the axis, through the
  // tick labels, where it would cross out the real time written at its own instant: it ends at
  // the axis.
  const axisY = Number(/translate\(\s*[-+\d.eE]+[ ,]+([-+\d.eE]+)/.exec(grid.getAttribute('transform') ?? '')?.[1]);
  if (Number.isFinite(axisY))
    for (const v of svg.querySelectorAll('rect.vert')) {
      const y = Number(v.getAttribute('y'));
      if (Number.isFinite(y)) v.setAttribute('height', String(Math.max(0, axisY - y)));
    }
  for (const t of mermaidTicks) t.remove();
  // The chart's own text size (Mermaid writes 10 on its ticks), the size timelineTicks spaces them for.
  template.querySelector('text')?.setAttribute('font-size', '12');
  for (const tk of ticks) {
    const g = template.cloneNode(true) as SVGGElement;
    g.setAttribute('transform', `translate(${xOf(tk.drawn)},0)`);
    g.dataset.t = String(tk.t);
    const text = g.querySelector('text');
    if (text) text.textContent = tk.label;
    grid.append(g);
  }
  for (const b of breaks) {
    // A tick group too (the theme's tick styles), without its grid line: a zigzag along the axis
    // over the folded stretch, its real length under it, and the whole in a tooltip.
    const g = template.cloneNode(true) as SVGGElement;
    g.querySelector('line')?.remove();
    g.classList.add('tcpscn-axis-break');
    const x1 = xOf(b.drawnStart);
    const x2 = xOf(b.drawnEnd);
    g.setAttribute('transform', `translate(${(x1 + x2) / 2},0)`);
    const half = (x2 - x1) / 2;
    let d = `M${-half} 0`;
    for (let x = -half, up = true; x < half; x += 6, up = !up) d += `L${Math.min(half, x + 6)} ${up ? -3 : 3}`;
    const zigzag = document.createElementNS(SVG_NS, 'path');
    zigzag.setAttribute('d', d);
    zigzag.setAttribute('fill', 'none');
    // Mermaid's `.grid path { stroke-width: 0 }` hides the axis line; this one is meant to show.
    zigzag.style.setProperty('stroke-width', '1.5px');
    g.prepend(zigzag);
    const text = g.querySelector('text');
    if (text) {
      if (b.label !== null) text.textContent = b.label;
      else text.remove();
    }
    const title = document.createElementNS(SVG_NS, 'title');
    title.textContent = `${formatDuration(b.end - b.start)} with nothing happening, from ${formatDuration(b.start)} to ${formatDuration(b.end)}, drawn short`;
    g.prepend(title);
    grid.append(g);
  }
  return ticks.length;
}
