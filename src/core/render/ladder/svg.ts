// The ladder layout as SVG text: a string builder, no DOM, so the command line, the exports
// and the webview draw the same picture.
//
// Every text from the scenario goes through escapeXml (controls and bidi overrides removed as
// everywhere else, then `& < > " '` as entities), in element text and in attributes alike.
// Colours are CSS variables (`--ladder-fg`, `--ladder-inc-0`, ...) read by class rules, so a
// page can theme the drawing: `theme: 'light'` or `'dark'` writes a palette into the SVG's own
// stylesheet (a standalone file), `'inherit'` leaves the variables to the page (the webview
// maps them to VS Code's theme colours). Each segment's group carries `data-seg` (its number)
// for clicks and highlighting, a wide transparent stroke on top of its arrow as the click
// target (`pointer-events: stroke`, which counts regardless of the stroke's colour), and a
// `<title>` tooltip with the full detail.

import { displayText } from '../escape';
import { formatDuration } from '../../duration';
import type { LadderArrow, LadderBox, LadderLayout, LadderPanel } from './layout';

export type LadderTheme = 'light' | 'dark' | 'inherit';

export interface LadderSvgOptions {
  theme?: LadderTheme;
  /**
   * `header`: only the variant titles and the column headers, as tall as they are (a webview
   * keeps this copy pinned at the top while the drawing scrolls, so the lines stay named).
   */
  part?: 'all' | 'header';
}

/** Anything displayText would change: controls, bidi controls, surrogates, line and paragraph separators. */
const NEEDS_CLEANING =
  /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029\uD800-\uDFFF]/;

/** Text for SVG (XML) element content or a quoted attribute. */
export function escapeXml(s: string): string {
  // Fast path: most texts (labels, tooltips with an arrow or a ×) have nothing to clean.
  const t = NEEDS_CLEANING.test(s) ? displayText(s) : s;
  if (!/[&<>"']/.test(t)) return t;
  return t.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

/** The palettes: GitHub's light and dark greys, and colours for up to four incarnations. */
export const LADDER_PALETTES: Readonly<Record<'light' | 'dark', Readonly<Record<string, string>>>> = {
  light: {
    bg: '#ffffff',
    fg: '#1f2328',
    muted: '#59636e',
    line: '#818b98',
    grid: '#e6eaef',
    break: '#eff2f5',
    lost: '#cf222e',
    error: '#cf222e',
    hazard: '#9a6700',
    hl: '#0969da',
    'inc-0': '#0969da',
    'inc-1': '#bf3989',
    'inc-2': '#1a7f37',
    'inc-3': '#8250df',
  },
  dark: {
    bg: '#0d1117',
    fg: '#e6edf3',
    muted: '#9198a1',
    line: '#656c76',
    grid: '#21262d',
    break: '#161b22',
    lost: '#ff7b72',
    error: '#ff7b72',
    hazard: '#d29922',
    hl: '#58a6ff',
    'inc-0': '#58a6ff',
    'inc-1': '#f778ba',
    'inc-2': '#3fb950',
    'inc-3': '#bc8cff',
  },
};

/** How many incarnation colours there are; a fifth incarnation reuses the first colour. */
export const LADDER_COLOURS = 4;

function paletteCss(theme: 'light' | 'dark'): string {
  const vars = Object.entries(LADDER_PALETTES[theme])
    .map(([k, v]) => `--ladder-${k}:${v}`)
    .join(';');
  return `.ladder{${vars}}`;
}

/** The class rules; colours only through the variables. */
export const LADDER_CSS = [
  '.ladder{background:var(--ladder-bg)}',
  '.ladder text{font-family:var(--ladder-font,system-ui,-apple-system,"Segoe UI","DejaVu Sans",sans-serif);font-size:12px;fill:var(--ladder-fg)}',
  '.ladder .bg{fill:var(--ladder-bg)}',
  '.ladder .grid{stroke:var(--ladder-grid);stroke-width:1}',
  '.ladder .tick{fill:var(--ladder-muted);font-size:11px;text-anchor:end}',
  '.ladder .brk rect{fill:var(--ladder-break)}',
  '.ladder .brk path{stroke:var(--ladder-muted);stroke-width:1;fill:none}',
  '.ladder .brk text{fill:var(--ladder-muted);font-size:11px;text-anchor:end}',
  '.ladder .variant{font-weight:600}',
  '.ladder .hdr text{text-anchor:middle}',
  '.ladder .hdr .addr{fill:var(--ladder-muted);font-size:11px}',
  '.ladder .hdr .name{font-weight:600}',
  '.ladder .life{stroke:var(--ladder-line);stroke-width:1.2}',
  '.ladder .life.folded{stroke-dasharray:2 4}',
  '.ladder .band{fill-opacity:.9}',
  '.ladder .band.tw{fill-opacity:.3;stroke-width:1}',
  '.ladder .st{font-size:11px}',
  // A halo in the background colour keeps names readable where a line or arrow passes under them.
  '.ladder .st,.ladder .mtxt,.ladder .brk text,.ladder .tick{paint-order:stroke;stroke:var(--ladder-bg);stroke-width:3px;stroke-linejoin:round}',
  '.ladder .inc-0{fill:var(--ladder-inc-0);stroke:var(--ladder-inc-0)}',
  '.ladder .inc-1{fill:var(--ladder-inc-1);stroke:var(--ladder-inc-1)}',
  '.ladder .inc-2{fill:var(--ladder-inc-2);stroke:var(--ladder-inc-2)}',
  '.ladder .inc-3{fill:var(--ladder-inc-3);stroke:var(--ladder-inc-3)}',
  '.ladder text.inc-0,.ladder text.inc-1,.ladder text.inc-2,.ladder text.inc-3{stroke:var(--ladder-bg);paint-order:stroke;stroke-width:3px}',
  '.ladder .arrow{stroke:var(--ladder-fg);stroke-width:1.4;fill:none}',
  '.ladder .head{fill:var(--ladder-fg)}',
  '.ladder .rtx .arrow{stroke-dasharray:7 4}',
  '.ladder .dup .arrow{stroke-dasharray:2 3}',
  '.ladder .delayed .arrow{stroke-width:2.2}',
  '.ladder .lost .arrow{stroke:var(--ladder-lost)}',
  '.ladder .cross{stroke:var(--ladder-lost);stroke-width:2.4}',
  '.ladder .injm{fill:var(--ladder-bg);stroke:var(--ladder-fg);stroke-width:1.5}',
  '.ladder .hit{stroke:transparent;stroke-width:14;fill:none;pointer-events:stroke;cursor:pointer}',
  '.ladder .lbl{cursor:pointer}',
  '.ladder .lbl rect{fill:var(--ladder-bg);fill-opacity:.92}',
  '.ladder .lbl text{text-anchor:middle}',
  '.ladder .seg.hl .arrow{stroke:var(--ladder-hl);stroke-width:2.8}',
  '.ladder .seg.hl .head{fill:var(--ladder-hl)}',
  '.ladder .lbl.hl rect{stroke:var(--ladder-hl);stroke-width:1.5}',
  '.ladder .lbl.hl text{font-weight:600}',
  '.ladder .mk.error .sym{fill:var(--ladder-error)}',
  '.ladder .mk.hazard .sym{fill:var(--ladder-hazard)}',
  '.ladder .mtxt{font-size:11px;font-weight:600}',
  '.ladder .mtxt.error{fill:var(--ladder-error)}',
  '.ladder .mtxt.hazard{fill:var(--ladder-hazard)}',
  '.ladder .note{fill:var(--ladder-muted);font-size:11px}',
].join('\n');

const r = (n: number): string => String(Math.round(n * 10) / 10);

/**
 * The SVG text, one element a line. Appended to one string (V8 keeps appends as a rope and
 * flattens it once): an array of pieces joined at the end made twice the garbage.
 */
class Out {
  text = '';
  push(line: string): void {
    this.text += line + '\n';
  }
}

function textAt(box: LadderBox, anchor: 'start' | 'middle' | 'end', cls: string, fontPx: number): string {
  const x = anchor === 'start' ? box.x + 2 : anchor === 'end' ? box.x + box.w - 2 : box.x + box.w / 2;
  // The baseline a font's ascent below the box's top, centred in its height.
  const y = box.y + box.h / 2 + fontPx * 0.36;
  const a = anchor === 'middle' ? '' : ` text-anchor="${anchor}"`;
  return `<text class="${cls}" x="${r(x)}" y="${r(y)}"${a}>${escapeXml(box.text)}</text>`;
}

function arrowSvg(a: LadderArrow, title: string, out: Out): void {
  const cls = ['seg'];
  if (a.lost) cls.push('lost');
  if (a.retransmission) cls.push('rtx');
  if (a.duplicate) cls.push('dup');
  if (a.delayed) cls.push('delayed');
  if (a.injected) cls.push('inj');
  // The line stops at the head's base so that it does not poke through the tip.
  const fromX = a.via ? a.via.x : a.x1;
  const fromY = a.via ? a.via.y : a.y1;
  const dx = a.x2 - fromX;
  const dy = a.y2 - fromY;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const head = a.lost ? 0 : 8;
  const ex = a.x2 - ux * head;
  const ey = a.y2 - uy * head;
  const d = a.via
    ? `M${r(a.x1)} ${r(a.y1)}L${r(a.via.x)} ${r(a.via.y)}L${r(ex)} ${r(ey)}`
    : `M${r(a.x1)} ${r(a.y1)}L${r(ex)} ${r(ey)}`;
  const full = a.via
    ? `M${r(a.x1)} ${r(a.y1)}L${r(a.via.x)} ${r(a.via.y)}L${r(a.x2)} ${r(a.y2)}`
    : `M${r(a.x1)} ${r(a.y1)}L${r(a.x2)} ${r(a.y2)}`;
  out.push(`<g class="${cls.join(' ')}" data-seg="${a.seg}"><title>${title}</title>`);
  out.push(`<path class="arrow" d="${d}"/>`);
  if (a.lost) {
    const s = 5;
    out.push(
      `<path class="cross" d="M${r(a.x2 - s)} ${r(a.y2 - s)}L${r(a.x2 + s)} ${r(a.y2 + s)}M${r(a.x2 - s)} ${r(a.y2 + s)}L${r(a.x2 + s)} ${r(a.y2 - s)}"/>`,
    );
  } else {
    const px = -uy * 4;
    const py = ux * 4;
    out.push(
      `<path class="head" d="M${r(a.x2)} ${r(a.y2)}L${r(ex + px)} ${r(ey + py)}L${r(ex - px)} ${r(ey - py)}Z"/>`,
    );
  }
  if (a.injected) out.push(`<circle class="injm" cx="${r(a.x1)}" cy="${r(a.y1)}" r="4"/>`);
  out.push(`<path class="hit" d="${full}"/></g>`);
}

/** The SVG of a ladder layout (see the file comment). */
export function renderLadderSvg(layout: LadderLayout, opts: LadderSvgOptions = {}): string {
  const theme = opts.theme ?? 'light';
  const out = new Out();
  const W = layout.width;
  const header = opts.part === 'header';
  const H = header ? layout.headerHeight + 4 : layout.height;
  const title = layout.title.trim() !== '' ? `${layout.title} \u2014 ladder` : 'TCP scenario \u2014 ladder';
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="ladder ladder-${theme}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeXml(title)}">`,
  );
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<style>${theme !== 'inherit' ? paletteCss(theme) + '\n' : ''}${LADDER_CSS}</style>`);
  out.push(`<rect class="bg" x="0" y="0" width="${W}" height="${H}"/>`);
  if (header) {
    for (const p of layout.panels) {
      out.push(`<g class="panel" data-variant="${escapeXml(p.variant)}">`);
      headerSvg(layout, p, out);
      out.push('</g>');
    }
    out.push('</svg>');
    return out.text;
  }

  // Grid lines and ticks: real times.
  out.push('<g class="axis">');
  for (const t of layout.axis.ticks) {
    out.push(`<line class="grid" x1="${layout.axis.x + 4}" y1="${r(t.y)}" x2="${W}" y2="${r(t.y)}"/>`);
    out.push(`<text class="tick" x="${layout.axis.x}" y="${r(t.y + 4)}">${escapeXml(t.label)}</text>`);
  }
  out.push('</g>');

  // Folded stretches: a band across the drawing with zigzag edges, saying how long it was.
  out.push('<g class="brks">');
  for (const b of layout.breaks) {
    const h = b.y2 - b.y1;
    out.push(
      `<g class="brk"><title>${escapeXml(`${formatDuration(b.to - b.from)} with nothing happening, from ${formatDuration(b.from)} to ${formatDuration(b.to)}, drawn short`)}</title>`,
    );
    out.push(
      `<rect x="${layout.axis.x + 4}" y="${r(b.y1 + 3)}" width="${r(W - layout.axis.x - 4)}" height="${r(Math.max(1, h - 6))}"/>`,
    );
    for (const y of [b.y1 + 3, b.y2 - 3]) {
      let d = `M${layout.axis.x + 4} ${r(y)}`;
      for (let x = layout.axis.x + 4, up = true; x < W; x += 6, up = !up) d += `L${x + 6} ${r(y + (up ? -2 : 2))}`;
      out.push(`<path d="${d}"/>`);
    }
    out.push(
      `<text x="${layout.axis.x}" y="${r(b.y1 + h / 2 + 4)}">+${escapeXml(formatDuration(b.to - b.from))}</text></g>`,
    );
  }
  out.push('</g>');

  for (const p of layout.panels) panelSvg(layout, p, out);

  const hidden = layout.panels.reduce((a, p) => a + p.hiddenLabels, 0);
  if (hidden > 0)
    out.push(
      `<text class="note" x="${layout.axis.x + 8}" y="${H - 6}">${hidden} arrow label${hidden === 1 ? '' : 's'} left out for lack of room: hover an arrow for its detail</text>`,
    );
  out.push('</svg>');
  return out.text;
}

/** A panel's variant title (when there are several) and its columns' headers. */
function headerSvg(layout: LadderLayout, p: LadderPanel, out: Out): void {
  if (layout.variants.length > 1)
    out.push(`<text class="variant" x="${r(p.x)}" y="${8 + 13}">variant: ${escapeXml(p.variant)}</text>`);
  const headerTop = layout.headerHeight - 6 - 16 * Math.max(...p.columns.map((c) => c.header.length), 1);
  for (const c of p.columns) {
    out.push('<g class="hdr">');
    c.header.forEach((h, i) => {
      const cls = h.colour === null ? 'addr' : `name inc-${h.colour % 4}`;
      out.push(
        `<text class="${cls}" x="${r(c.x)}" y="${r(headerTop + 16 * (i + 1) - 4)}"><title>${escapeXml(h.title)}</title>${escapeXml(h.text)}</text>`,
      );
    });
    out.push('</g>');
  }
}

function panelSvg(layout: LadderLayout, p: LadderPanel, out: Out): void {
  out.push(`<g class="panel" data-variant="${escapeXml(p.variant)}">`);
  headerSvg(layout, p, out);
  // Lifelines, broken where time is folded.
  for (const c of p.columns) {
    let y = layout.top - 8;
    for (const b of layout.breaks) {
      if (b.y1 > y) out.push(`<line class="life" x1="${r(c.x)}" y1="${r(y)}" x2="${r(c.x)}" y2="${r(b.y1)}"/>`);
      out.push(`<line class="life folded" x1="${r(c.x)}" y1="${r(b.y1)}" x2="${r(c.x)}" y2="${r(b.y2)}"/>`);
      y = b.y2;
    }
    out.push(`<line class="life" x1="${r(c.x)}" y1="${r(y)}" x2="${r(c.x)}" y2="${r(layout.bottom)}"/>`);
  }
  // State bands.
  out.push('<g class="bands">');
  for (const b of p.bands) {
    const tw = b.state === 'TIME_WAIT' ? ' tw' : '';
    out.push(
      `<rect class="band inc-${b.colour % 4}${tw}" x="${r(b.x)}" y="${r(b.y1)}" width="${b.w}" height="${r(Math.max(1, b.y2 - b.y1))}"><title>${escapeXml(b.title)}</title></rect>`,
    );
  }
  out.push('</g>');
  // Arrows, each in its own group with its click target on top.
  out.push('<g class="arrows">');
  // Each tooltip is escaped once: the arrow and its label carry the same.
  const titles = p.arrows.map((a) => escapeXml(a.title));
  p.arrows.forEach((a, i) => arrowSvg(a, titles[i], out));
  // Where an arrow lands in a column with several incarnations: a dot in the receiver's colour.
  for (const a of p.arrows)
    if (!a.lost && p.columns[a.toColumn]?.incarnations.length > 1)
      out.push(`<circle class="dot inc-${a.toColour % 4}" cx="${r(a.x2)}" cy="${r(a.y2)}" r="3.2"/>`);
  out.push('</g>');
  // Texts beside the lines: state names and the words of markers.
  out.push('<g class="texts">');
  for (const t of p.texts) {
    const cls = t.kind === 'state' ? `st${t.colour !== null ? ` inc-${t.colour % 4}` : ''}` : `mtxt ${t.kind}`;
    out.push(`<g><title>${escapeXml(t.title)}</title>${textAt(t.box, t.anchor, cls, layout.stateFontPx)}</g>`);
  }
  out.push('</g>');
  // Arrow labels, clickable like their arrows.
  out.push('<g class="lbls">');
  p.arrows.forEach((a, i) => {
    if (a.label === null) return;
    const b = a.label;
    out.push(
      `<g class="lbl" data-seg="${a.seg}"><title>${titles[i]}</title><rect x="${r(b.x)}" y="${r(b.y)}" width="${r(b.w)}" height="${r(b.h)}" rx="3"/>${textAt(b, 'middle', 'lt', layout.fontPx)}</g>`,
    );
  });
  out.push('</g>');
  // Errors and hazards: a red dot or an amber triangle on the line, the explanation on hover.
  out.push('<g class="mks">');
  for (const m of p.markers) {
    const sym =
      m.kind === 'error'
        ? `<circle class="sym" cx="${r(m.x)}" cy="${r(m.y)}" r="5.5"/>`
        : `<path class="sym" d="M${r(m.x)} ${r(m.y - 7)}L${r(m.x + 6.5)} ${r(m.y + 5)}L${r(m.x - 6.5)} ${r(m.y + 5)}Z"/>`;
    const seg = m.seg !== null ? ` data-seg="${m.seg}"` : '';
    out.push(`<g class="mk ${m.kind}"${seg}><title>${escapeXml(m.title)}</title>${sym}</g>`);
  }
  out.push('</g>');
  out.push('</g>');
}
