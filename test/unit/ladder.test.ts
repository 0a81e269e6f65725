// The ladder view's layout and SVG (src/core/render/ladder/), on every example and on
// hand-made traces: each segment one arrow from its sending to its arrival, lost ones crossed,
// bands covering each TCB's life with no gap, folded breaks in order, labels that never
// overlap, a width that fits, and the Done-when of issue 8: in the "no TIME_WAIT" variant of
// time-wait-old-duplicate, the delayed segment crosses the other arrows and lands in the
// passerby's incarnation.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze, type Trace } from '../../src/core/index';
import {
  escapeXml,
  ladderLabel,
  ladderTimeAt,
  layoutLadder,
  niceStep,
  overlaps,
  renderLadder,
  renderLadderSvg,
  textWidth,
  type LadderBox,
  type LadderLayout,
} from '../../src/core/render/ladder/index';
import {
  decodeLadderTrace,
  decodeTraceEvents,
  encodeLadderTrace,
  LADDER_MAX_SEGMENTS,
  ladderTrace,
} from '../../src/protocol';
import { timelineChart } from '../../src/core/render/timeline';
import { handshakeTrace, seg, tr, troubleTrace } from './fixtures/traces';
import { xmlProblems } from './helpers/xmlCheck';

const ROOT = join(__dirname, '..', '..');
const DIRS = [join(ROOT, '..', 'shared', 'examples'), join(ROOT, 'examples')];
const T = { timeout: 60_000 };

function examples(): Array<{ name: string; runs: Trace[] }> {
  const out: Array<{ name: string; runs: Trace[] }> = [];
  for (const dir of DIRS) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort())
      if (f.endsWith('.tcpscn')) out.push({ name: f, runs: analyze(readFileSync(join(dir, f), 'utf8')).runs });
  }
  // And the hand-made traces with every feature (drops, delays, duplicates, injection, errors).
  out.push({ name: 'handshakeTrace', runs: [handshakeTrace()] });
  out.push({ name: 'troubleTrace', runs: [troubleTrace('default'), troubleTrace()] });
  return out;
}
const EXAMPLES = examples();
const example = (name: string): Trace[] => {
  const e = EXAMPLES.find((x) => x.name === name);
  assert.ok(e, name);
  return e.runs;
};

/** The drawn y range [first slot, last slot] of a real instant. */
function instantY(l: LadderLayout, t: number): [number, number] {
  const i = l.instants.t.indexOf(t);
  assert.ok(i >= 0, `instant ${t} is drawn`);
  return [l.instants.y[i], l.instants.end[i]];
}

function allBoxes(l: LadderLayout): LadderBox[] {
  return l.panels.flatMap((p) => [
    ...p.texts.map((t) => t.box),
    ...p.arrows.flatMap((a) => (a.label !== null ? [a.label] : [])),
  ]);
}

function crosses(a: { x1: number; y1: number; x2: number; y2: number }, b: typeof a): boolean {
  const d = (px: number, py: number, qx: number, qy: number, rx: number, ry: number): number =>
    (qx - px) * (ry - py) - (qy - py) * (rx - px);
  const d1 = d(a.x1, a.y1, a.x2, a.y2, b.x1, b.y1);
  const d2 = d(a.x1, a.y1, a.x2, a.y2, b.x2, b.y2);
  const d3 = d(b.x1, b.y1, b.x2, b.y2, a.x1, a.y1);
  const d4 = d(b.x1, b.y1, b.x2, b.y2, a.x2, a.y2);
  return d1 * d2 < 0 && d3 * d4 < 0;
}

describe('ladder layout on every example', () => {
  it('has examples to draw', () => assert.ok(EXAMPLES.length >= 20));

  for (const { name, runs } of EXAMPLES) {
    it(
      `${name}: one arrow per segment, from (sender, sentAt) to (receiver, arrivedAt); lost ones end half-way`,
      T,
      () => {
        const l = layoutLadder(runs, { width: 4000 });
        assert.equal(l.panels.length, runs.length, 'every variant side by side at 4000 px');
        for (const p of l.panels) {
          const trace = runs.find((r) => r.variant === p.variant);
          assert.ok(trace);
          assert.equal(p.arrows.length, trace.segments.length);
          const colX = (name: string) => p.columns.find((c) => c.incarnations.some((i) => i.name === name))?.x;
          trace.segments.forEach((s, i) => {
            const a = p.arrows[i];
            assert.equal(a.seg, s.n);
            assert.equal(a.x1, colX(s.from), `#${s.n} starts on its sender's line`);
            const [sy0, sy1] = instantY(l, s.sentAt);
            assert.ok(a.y1 >= sy0 && a.y1 <= sy1, `#${s.n} starts at its sending`);
            if (s.arrivedAt !== null) {
              assert.equal(a.lost, false);
              assert.equal(a.x2, colX(s.to), `#${s.n} ends on its receiver's line`);
              const [ay0, ay1] = instantY(l, s.arrivedAt);
              assert.ok(a.y2 >= ay0 && a.y2 <= ay1, `#${s.n} ends at its arrival`);
              assert.ok(a.y2 > a.y1 || s.arrivedAt === s.sentAt, `#${s.n} runs down`);
            } else {
              assert.equal(a.lost, true, `#${s.n} is lost`);
              const toX = colX(s.to) as number;
              assert.ok(Math.abs(a.x2 - (a.x1 + toX) / 2) < 1e-6, `#${s.n} is crossed half-way across`);
              assert.ok(a.y2 > a.y1, `#${s.n} runs down to its cross`);
            }
            assert.equal(a.retransmission, s.retransmission);
            assert.equal(a.duplicate, s.fate === 'duplicate');
            assert.equal(a.injected, s.injected);
          });
          // Time-true order: a later sending is drawn lower on the same line.
          for (let i = 1; i < p.arrows.length; i++) {
            const [a, b] = [p.arrows[i - 1], p.arrows[i]];
            if (a.sentAt < b.sentAt) assert.ok(a.y1 < b.y1, `#${a.seg} above #${b.seg}`);
          }
        }
      },
    );

    it(`${name}: bands cover each TCB's life with no gap`, T, () => {
      const l = layoutLadder(runs, { width: 4000 });
      for (const p of l.panels) {
        const trace = runs.find((r) => r.variant === p.variant) as Trace;
        const tcbs = new Set(trace.transitions.map((x) => x.tcb));
        for (const tcb of tcbs) {
          const xs = trace.transitions.filter((x) => x.tcb === tcb);
          const bands = p.bands.filter((b) => b.tcb === tcb);
          const lived = xs.some((x) => x.to !== 'CLOSED');
          assert.equal(bands.length > 0, lived, `TCB ${tcb} has bands iff it left CLOSED`);
          if (!lived) continue;
          assert.equal(bands[0].t1, xs[0].t, `TCB ${tcb} starts at its first transition`);
          const last = xs[xs.length - 1];
          assert.equal(bands[bands.length - 1].t2, last.to === 'CLOSED' ? last.t : trace.endedAt, `TCB ${tcb} ends`);
          for (let i = 1; i < bands.length; i++) {
            assert.equal(bands[i].t1, bands[i - 1].t2, `TCB ${tcb}: no gap in time`);
            assert.equal(bands[i].y1, bands[i - 1].y2, `TCB ${tcb}: no gap on the page`);
          }
          for (const b of bands) assert.ok(b.y2 >= b.y1);
          // The states are the trace's, in order.
          const states = xs.filter((x) => x.to !== 'CLOSED').map((x) => x.to);
          assert.deepEqual(
            bands.map((b) => b.state),
            states,
          );
        }
      }
    });

    it(`${name}: labels never overlap, and the layout fits 440 px and 1000 px`, T, () => {
      for (const width of [440, 1000]) {
        const l = layoutLadder(runs, { width });
        const boxes = allBoxes(l);
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++)
            assert.ok(!overlaps(boxes[i], boxes[j]), `${boxes[i].text} / ${boxes[j].text} at ${width} px`);
        const columns = Math.max(...l.panels.map((p) => p.columns.length));
        if (columns <= 2) assert.ok(l.width <= width, `${l.width} px wide for ${width}`);
        for (const p of l.panels) {
          assert.ok(p.x >= 0 && p.x + p.width <= l.width + 1e-6, 'the panel is inside the drawing');
          for (const c of p.columns) assert.ok(c.x > p.x && c.x < p.x + p.width);
        }
      }
    });

    it(`${name}: breaks are folded in order, ticks and instants run down`, T, () => {
      const l = layoutLadder(runs, { width: 1000 });
      const { t, y, end } = l.instants;
      for (let i = 1; i < t.length; i++) {
        assert.ok(t[i] > t[i - 1]);
        assert.ok(y[i] > end[i - 1], `instant ${t[i]} below ${t[i - 1]}`);
      }
      let lastY = -Infinity;
      let lastT = -Infinity;
      for (const b of l.breaks) {
        assert.ok(b.from < b.to && b.y1 < b.y2 && b.y1 >= lastY && b.from >= lastT, 'breaks in order');
        // Nothing happens inside a folded stretch.
        assert.ok(!t.some((x) => x > b.from && x < b.to));
        lastY = b.y2;
        lastT = b.to;
      }
      for (let i = 1; i < l.axis.ticks.length; i++) {
        assert.ok(l.axis.ticks[i].t > l.axis.ticks[i - 1].t && l.axis.ticks[i].y > l.axis.ticks[i - 1].y);
        // A tick never stands inside a break, where its time is not drawn.
        for (const b of l.breaks) assert.ok(!(l.axis.ticks[i].t > b.from && l.axis.ticks[i].t < b.to));
      }
    });

    it(`${name}: the SVG is well-formed, one clickable group per arrow`, T, () => {
      for (const theme of ['light', 'dark'] as const) {
        const svg = renderLadder(runs, { width: 1000, theme });
        assert.deepEqual(xmlProblems(svg), []);
        const l = layoutLadder(runs, { width: 1000 });
        const arrows = l.panels.reduce((a, p) => a + p.arrows.length, 0);
        assert.equal((svg.match(/<g class="seg[^"]*" data-seg="\d+">/g) ?? []).length, arrows);
        assert.equal((svg.match(/<path class="hit"/g) ?? []).length, arrows);
        const lost = l.panels.reduce((a, p) => a + p.arrows.filter((x) => x.lost).length, 0);
        assert.equal((svg.match(/<path class="cross"/g) ?? []).length, lost);
      }
    });
  }
});

describe('ladder of time-wait-old-duplicate (issue 8, Done when)', () => {
  it('in "no TIME_WAIT", the delayed segment crosses the other arrows and lands in the passerby', T, () => {
    const runs = example('time-wait-old-duplicate.tcpscn');
    const l = layoutLadder(runs, { width: 1200 });
    assert.equal(l.panels.length, 2, 'both variants side by side at 1200 px');
    const p = l.panels.find((x) => x.variant === 'no TIME_WAIT');
    assert.ok(p);
    const delayed = p.arrows.filter((a) => a.delayed);
    assert.equal(delayed.length, 1);
    const d = delayed[0];
    // Its drawn span covers the time of many other arrows, and it really crosses some of them.
    const spanned = p.arrows.filter((a) => a !== d && Math.min(a.y1, a.y2) < d.y2 && Math.max(a.y1, a.y2) > d.y1);
    assert.ok(spanned.length >= 8, `${spanned.length} arrows within its span`);
    const crossed = p.arrows.filter((a) => a !== d && crosses(a, d));
    assert.ok(crossed.length >= 5, `it crosses ${crossed.length} arrows`);
    // It lands in the client's column, in the passerby's incarnation (a later one: colour 1),
    // while the passerby's connection is ESTABLISHED there.
    const col = p.columns[d.toColumn];
    assert.deepEqual(
      col.incarnations.map((i) => i.name),
      ['client', 'passerby'],
    );
    assert.equal(d.to, 'passerby');
    assert.equal(d.toColour, col.incarnations.find((i) => i.name === 'passerby')?.colour);
    assert.notEqual(d.toColour, d.fromColour === 0 && d.from === 'server' ? -1 : d.toColour + 1);
    assert.equal(d.toColour, 1);
    const band = p.bands.find((b) => b.endpoint === 'passerby' && b.y1 <= d.y2 && b.y2 >= d.y2);
    assert.equal(band?.state, 'ESTABLISHED');
    // The hazard is marked where it lands.
    const m = p.markers.find((x) => x.kind === 'hazard');
    assert.equal(m?.endpoint, 'passerby');
    assert.equal(m?.seg, d.seg);
    // In the default variant the same segment lands in the client's TIME_WAIT instead.
    const def = l.panels.find((x) => x.variant === 'default');
    const old = def?.arrows.find((a) => a.seg === d.seg);
    assert.equal(old?.to, 'client');
    assert.equal(
      def?.bands.find((b) => b.endpoint === 'client' && b.y1 <= (old?.y2 ?? 0) && b.y2 >= (old?.y2 ?? 0))?.state,
      'TIME_WAIT',
    );
  });

  it('draws one variant when both do not fit, the one asked for', T, () => {
    const runs = example('time-wait-old-duplicate.tcpscn');
    const one = layoutLadder(runs, { width: 600, variant: 'no TIME_WAIT' });
    assert.deepEqual(
      one.panels.map((p) => p.variant),
      ['no TIME_WAIT'],
    );
    assert.equal(one.allVariants, false);
    assert.deepEqual(one.variants, ['default', 'no TIME_WAIT']);
    assert.ok(one.width <= 600);
    assert.equal(layoutLadder(runs, { width: 600 }).panels[0].variant, 'default');
    assert.equal(layoutLadder(runs, { width: 2000, sideBySide: false }).panels.length, 1);
  });
});

describe('ladder scale', () => {
  it('folds a 60 s TIME_WAIT into a break that says how long it was', T, () => {
    const runs = [handshakeTrace()];
    const l = layoutLadder(runs, { width: 800 });
    const long = l.breaks.find((b) => b.to - b.from >= 50_000);
    assert.ok(long, 'a break of the TIME_WAIT');
    assert.ok(l.height < 2000, `${l.height} px tall`);
    const svg = renderLadderSvg(l);
    assert.match(svg, new RegExp(`>\\+${(long.to - long.from) / 1000}s</text>`));
    // The TIME_WAIT band spans the break and its name says how long it lasted.
    const tw = l.panels[0].bands.find((b) => b.state === 'TIME_WAIT');
    assert.ok(tw && tw.y1 <= long.y1 && tw.y2 >= long.y2);
    assert.ok(l.panels[0].texts.some((t) => t.box.text === 'TIME_WAIT'));
    assert.ok(l.panels[0].texts.some((t) => t.box.text === `${(tw.t2 - tw.t1) / 1000}s`));
  });

  it('keeps the busy part proportional', T, () => {
    const l = layoutLadder([handshakeTrace()], { width: 800 });
    const arrows = l.panels[0].arrows.slice(0, 3);
    const heights = new Set(arrows.map((a) => Math.round(a.y2 - a.y1)));
    assert.equal(heights.size, 1, 'the handshake arrows are equally tall');
    // A 50 ms trip is as tall as the 50 ms between two sendings.
    assert.equal(Math.round(arrows[1].y1 - arrows[0].y1), Math.round(arrows[0].y2 - arrows[0].y1));
  });

  it('niceStep rounds up to 1, 2 or 5 times a power of ten', () => {
    assert.equal(niceStep(3), 5);
    assert.equal(niceStep(40), 50);
    assert.equal(niceStep(101), 200);
    assert.equal(niceStep(0.3), 0.5);
  });

  it('ladderTimeAt turns a drawn y back into time', T, () => {
    const l = layoutLadder(example('lost-fin.tcpscn'), { width: 800 });
    for (let i = 0; i < l.instants.t.length; i++) assert.equal(ladderTimeAt(l, l.instants.y[i]), l.instants.t[i]);
  });
});

describe('ladder on hand-made traces', () => {
  const base = (): Trace => ({
    version: 1,
    title: 't',
    variant: 'default',
    endpoints: [
      { name: 'a', address: '10.0.0.1', port: 1 },
      { name: 'b', address: '10.0.0.2', port: 2 },
    ],
    segments: [],
    transitions: [],
    errors: [],
    hazards: [],
    expectations: [],
    endedAt: 1000,
    truncated: null,
  });

  it('short labels: flags without ACK (but SYN,ACK), seq, ack, len, and marks', () => {
    assert.equal(ladderLabel(seg(1, 'a', 'b', 0, ['SYN'])), 'SYN 0');
    assert.equal(ladderLabel(seg(1, 'a', 'b', 0, ['SYN', 'ACK'])), 'SYN,ACK 0 ack 1');
    assert.equal(ladderLabel(seg(1, 'a', 'b', 0, ['FIN', 'ACK'], { seq: 513, ack: 16 })), 'FIN 513 ack 16');
    assert.equal(ladderLabel(seg(1, 'a', 'b', 0, ['ACK'], { seq: 2, ack: 102 })), 'ACK 2 ack 102');
    assert.equal(ladderLabel(seg(1, 'a', 'b', 0, ['PSH', 'ACK'], { seq: 1, len: 100 })), 'PSH 1 ack 1 len 100');
    assert.equal(ladderLabel(seg(1, 'a', 'b', 0, ['RST'], { injected: true, seq: 9 })), 'inj RST 9');
    assert.equal(ladderLabel(seg(1, 'a', 'b', 0, ['ACK'], { fate: 'duplicate', duplicateOf: 1 })), 'ACK 0 ack 1 dup');
    assert.equal(ladderLabel(seg(1, 'a', 'b', 0, ['ACK'], { delayedBy: 3000 })), 'ACK 0 ack 1 +3s');
  });

  it('many segments sent at one instant get their own arrows, drawn apart, labels apart', T, () => {
    const t = base();
    for (let i = 1; i <= 6; i++) t.segments.push(seg(i, 'a', 'b', 100, ['ACK'], { seq: i * 100, len: 100 }));
    const l = layoutLadder([t], { width: 600 });
    const ys = l.panels[0].arrows.map((a) => a.y1);
    assert.equal(new Set(ys).size, 6);
    for (let i = 1; i < ys.length; i++) assert.ok(ys[i] > ys[i - 1], 'in sending order');
    assert.equal(l.panels[0].hiddenLabels, 0);
  });

  it('a segment between two incarnations of one column bends out of the line', T, () => {
    const t = base();
    t.endpoints.push({ name: 'c', address: '10.0.0.1', port: 1 });
    t.segments.push(seg(1, 'a', 'c', 0, ['SYN']));
    const l = layoutLadder([t], { width: 600 });
    const a = l.panels[0].arrows[0];
    assert.equal(a.fromColumn, a.toColumn);
    assert.ok(a.via && a.via.x > a.x1);
    assert.equal(l.panels[0].columns.length, 2);
  });

  it('with a viewport, lays out only what is in it, on the same scale', T, () => {
    const t = base();
    for (let i = 1; i <= 400; i++) t.segments.push(seg(i, i % 2 ? 'a' : 'b', i % 2 ? 'b' : 'a', i * 60, ['ACK']));
    t.endedAt = 401 * 60;
    const whole = layoutLadder([t], { width: 600 });
    const part = layoutLadder([t], { width: 600, viewport: { from: 6000, to: 9000 } });
    assert.equal(whole.panels[0].arrows.length, 400);
    const shown = part.panels[0].arrows;
    assert.ok(shown.length > 40 && shown.length < 60, `${shown.length} arrows in view`);
    for (const a of shown) {
      assert.ok(a.endAt >= 6000 && a.sentAt <= 9000);
      const same = whole.panels[0].arrows.find((x) => x.seg === a.seg);
      assert.equal(a.y1, same?.y1, 'the same place as in the whole drawing');
    }
    assert.equal(part.height, whole.height);
  });

  it('with visibleY, lays out only what is drawn in those pixels, even within one instant', T, () => {
    const t = base();
    // One big send: 300 segments leave at one instant, drawn one under the other.
    for (let i = 1; i <= 300; i++) t.segments.push(seg(i, 'a', 'b', 100, ['ACK'], { seq: i * 10, len: 10 }));
    const whole = layoutLadder([t], { width: 600 });
    const all = whole.panels[0].arrows;
    const top = all[100].y1;
    const bottom = all[150].y1;
    const part = layoutLadder([t], { width: 600, visibleY: { top, bottom } });
    const shown = part.panels[0].arrows;
    // Exactly the arrows that pass through those pixels (each runs from its slot at the sending
    // to its slot at the arrival, so they are long), at their places in the whole drawing.
    const crossing = all.filter((a) => Math.max(a.y1, a.y2) >= top && Math.min(a.y1, a.y2) <= bottom);
    assert.ok(crossing.length < 300 && crossing.length > 50);
    assert.deepEqual(
      shown.map((a) => a.seg),
      crossing.map((a) => a.seg),
    );
    for (const a of shown) assert.equal(a.y1, all[a.seg - 1].y1);
  });

  it('errors and hazards are marked on their line with their explanation', T, () => {
    const t = base();
    t.segments.push(seg(1, 'a', 'b', 0, ['SYN']));
    t.transitions.push(tr(0, 'a', 'b', 'CLOSED', 'SYN_SENT', 'connect', 1));
    t.errors.push({ t: 500, endpoint: 'a', call: 'connect', code: 'ECONNREFUSED', line: 3 });
    t.hazards.push({ t: 50, kind: 'old-duplicate', endpoint: 'b', segment: 1, message: 'it took data, so bad.' });
    const l = layoutLadder([t], { width: 600 });
    const p = l.panels[0];
    assert.equal(p.markers.length, 2);
    const err = p.markers.find((m) => m.kind === 'error');
    assert.equal(err?.x, p.columns[0].x);
    assert.match(err?.title ?? '', /ECONNREFUSED.*Why/);
    assert.ok(p.texts.some((x) => x.kind === 'error' && x.box.text.includes('ECONNREFUSED')));
    const svg = renderLadderSvg(l);
    assert.match(svg, /<g class="mk hazard" data-seg="1"><title>hazard old-duplicate/);
  });

  it('text widths follow the font: capitals wider than small letters', () => {
    assert.ok(textWidth('ESTABLISHED', 12) > textWidth('established', 12));
    assert.equal(textWidth('abc', 24), 2 * textWidth('abc', 12));
  });
});

describe('ladder SVG parts', () => {
  it('part "header" holds the variant titles and column headers only', T, () => {
    const l = layoutLadder(example('time-wait-old-duplicate.tcpscn'), { width: 1200 });
    const svg = renderLadderSvg(l, { part: 'header', theme: 'inherit' });
    assert.deepEqual(xmlProblems(svg), []);
    assert.match(svg, new RegExp(`height="${l.headerHeight + 4}"`));
    assert.equal((svg.match(/<g class="hdr">/g) ?? []).length, 4);
    assert.match(svg, />variant: no TIME_WAIT</);
    assert.doesNotMatch(svg, /class="seg|class="band|--ladder-bg:#/);
  });
});

describe('ladder SVG escaping', () => {
  it('escapes markup and drops controls in every text and attribute', () => {
    assert.equal(escapeXml(`<b onload="x">&'`), '&lt;b onload=&quot;x&quot;&gt;&amp;&#39;');
    assert.equal(escapeXml('a\u0000b\u202Ec'), 'abc');
  });

  it('hostile fixtures draw well-formed SVG with their names escaped', T, () => {
    const dir = join(ROOT, 'test', 'fixtures', 'hostile');
    let drawn = 0;
    for (const f of readdirSync(dir).sort()) {
      const a = analyze(readFileSync(join(dir, f), 'utf8'));
      if (a.runs.length === 0) continue;
      drawn++;
      for (const theme of ['light', 'dark'] as const) {
        const svg = renderLadder(a.runs, { width: 900, theme });
        assert.deepEqual(xmlProblems(svg), [], f);
        // No element or attribute that runs code (attribute values, escaped, are left out).
        const tags = svg.replace(/"[^"]*"/g, '""');
        assert.ok(!/<script|<foreignObject|<[^>]*\son\w+=|<[^>]*javascript:/i.test(tags), `${f}: no active content`);
        assert.ok(!/[\u202A-\u202E\u2066-\u2069]/.test(svg), `${f}: no bidi control`);
        // Each endpoint name is written escaped (whole or fitted with an ellipsis) in a header title.
        for (const e of a.runs[0].endpoints)
          assert.ok(svg.includes(`<title>${escapeXml(e.name)}</title>`), `${f}: ${e.name}`);
      }
    }
    assert.ok(drawn >= 4, `${drawn} hostile fixtures run`);
  });
});

describe('ladder data across postMessage (src/protocol/ladder.ts)', () => {
  it('round-trips a trace, and refuses malformed ones', () => {
    const t = troubleTrace();
    const encoded = encodeLadderTrace(t);
    const back = decodeLadderTrace(encoded);
    assert.ok(back);
    assert.deepEqual(back.segments, t.segments);
    assert.deepEqual(back.transitions, t.transitions);
    assert.deepEqual(back.expectations, [], 'the ladder does not need the expectations');
    // The Timeline's part: everything but the segments, which it never reads.
    const events = decodeTraceEvents(encoded.traceEvents);
    assert.ok(events);
    assert.deepEqual(events.transitions, t.transitions);
    assert.deepEqual(events.hazards, t.hazards);
    assert.equal(events.endedAt, t.endedAt);
    assert.ok(!('segments' in events));
    assert.equal(timelineChart(events).text, timelineChart(t).text, 'the same chart without the segments');
    assert.equal(decodeLadderTrace({ ...encoded, traceEvents: 'not json' }), null);
    assert.equal(decodeLadderTrace({ ...encoded, traceEvents: '{}' }), null);
    assert.equal(decodeTraceEvents('{}'), null);
    assert.equal(decodeLadderTrace({ ...encoded, ladderSegments: '{}' }), null, 'segments that are no array');
    // Each segment is the list of its values (n, from, to, sentAt, arrivedAt, flags, ...).
    const bad = JSON.parse(encoded.ladderSegments) as unknown[][];
    const s0 = t.segments[0]!;
    assert.deepEqual(bad[0]!.slice(0, 4), [s0.n, s0.from, s0.to, s0.sentAt]);
    assert.ok(encoded.ladderSegments.length < 0.6 * JSON.stringify(t.segments).length, 'shorter than the objects');
    const refused = (why: string): void =>
      assert.equal(decodeLadderTrace({ ...encoded, ladderSegments: JSON.stringify(bad) }), null, why);
    bad[0]![5] = ['<img>'];
    refused('an unknown flag');
    bad[0]![5] = ['SYN'];
    bad[0]![3] = 'soon';
    refused('a time that is no number');
    bad[0]![3] = 0;
    bad[0]!.push('one too many');
    refused('a value too many');
    bad[0]!.splice(-2, 2);
    refused('a value missing');
    const badEvents = JSON.parse(encoded.traceEvents) as { transitions: Array<Record<string, unknown>> };
    badEvents.transitions[0].t = 'soon';
    assert.equal(decodeTraceEvents(JSON.stringify(badEvents)), null, 'a transition at no time');
  });

  it('cuts a long run at LADDER_MAX_SEGMENTS and says so', () => {
    const t = troubleTrace();
    const cut = ladderTrace(t, 5);
    assert.equal(cut.segments.length, 5);
    assert.ok(cut.transitions.every((x) => x.t <= cut.endedAt));
    assert.ok(cut.hazards.every((h) => h.segment <= 5));
    assert.match(cut.truncated ?? '', /first 5 of \d+ segments/);
    assert.equal(ladderTrace(t).segments.length, t.segments.length);
    assert.ok(LADDER_MAX_SEGMENTS >= 10_000);
  });
});
