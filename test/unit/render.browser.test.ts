// A real Mermaid render in Chromium (skipped where Chromium is not installed): it proves what the
// webview relies on. The i-th `[data-et="message"]` element of the SVG, in document order, is
// segment `arrowSegments[i]`; notes are `data-et="note"` and do not count; Mermaid's `data-id`
// counts notes and blocks too, so it must not be used. It also proves that hostile strings end up
// as text in the SVG (entity codes decoded, no element injected).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../src/core/index';
import { renderSequence, renderTimeline } from '../../src/core/render/index';
import type { Trace } from '../../src/core/trace';
import { handshakeTrace, hostileTrace, troubleTrace } from './fixtures/traces';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MERMAID = join(__dirname, '..', '..', 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`;

interface Rendered {
  messages: Array<{ id: string | null; text: string }>;
  notes: string[];
  actors: string[];
  injected: number;
  svg: string;
}

const IN_PAGE = `async (source) => {
  const m = window.mermaid;
  m.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' });
  const { svg } = await m.render('d' + Math.random().toString(36).slice(2), source);
  const div = document.createElement('div');
  div.innerHTML = svg;
  document.body.appendChild(div);
  const texts = (sel) => [...div.querySelectorAll(sel)].map((e) => e.textContent || '');
  const messageTexts = texts('.messageText');
  return {
    messages: [...div.querySelectorAll('[data-et="message"]')].map((e, i) => ({ id: e.getAttribute('data-id'), text: messageTexts[i] || '' })),
    notes: [...div.querySelectorAll('[data-et="note"]')].map((e) => e.textContent || ''),
    actors: texts('text.actor'),
    injected: div.querySelectorAll('img, script').length,
    svg,
  };
}`;

/** Renders a gantt chart and reports labels outside their bars and labels whose boxes overlap. */
const TIMELINE_IN_PAGE = `async (source, gantt) => {
  const m = window.mermaid;
  m.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default', gantt });
  const { svg } = await m.render('g' + Math.random().toString(36).slice(2), source);
  const div = document.createElement('div');
  div.innerHTML = svg;
  document.body.appendChild(div);
  const texts = [...div.querySelectorAll('text')].filter((t) => /taskText/.test(t.getAttribute('class') || '') && (t.textContent || '').replace(/[\\s\u200B]/g, '') !== '');
  // Errors and hazards (crit milestones) have rows of their own: their labels may lie outside.
  const rowLabels = texts.filter((t) => !/crit/.test(t.getAttribute('class') || '') && !/vert/.test(t.getAttribute('class') || ''));
  const outside = rowLabels.filter((t) => /taskTextOutside/.test(t.getAttribute('class') || '')).map((t) => t.textContent);
  // A vert marker's own label lies below the last row, out of the drawing in compact mode.
  const boxes = texts.filter((t) => !/vertText/.test(t.getAttribute('class') || '')).map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].r, b = boxes[j].r;
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) overlaps.push(boxes[i].text + ' / ' + boxes[j].text);
  }
  div.remove();
  return { outside, overlaps };
}`;

/** Runs the named examples (examples/ first, then ../shared/examples when present) and returns their traces. */
function exampleTraces(names: string[]): Trace[] {
  const out: Trace[] = [];
  for (const n of names) {
    for (const dir of [
      join(__dirname, '..', '..', 'examples'),
      join(__dirname, '..', '..', '..', 'shared', 'examples'),
    ]) {
      const f = join(dir, n);
      if (existsSync(f)) out.push(...analyze(readFileSync(f, 'utf8')).runs);
    }
  }
  return out;
}

describe('a real Mermaid render', { skip }, () => {
  it('maps [data-et="message"] elements to arrowSegments, and keeps hostile text as text', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.setContent('<!doctype html><html><body></body></html>');
      await page.addScriptTag({ path: MERMAID });
      // The page function is a string: tsx would wrap named functions in a `__name` helper the
      // page does not have.
      const render = (text: string): Promise<Rendered> => page.evaluate(`(${IN_PAGE})(${JSON.stringify(text)})`);

      const trace = troubleTrace();
      const seq = renderSequence(trace);
      const r = await render(seq.text);
      assert.equal(r.messages.length, trace.segments.length, 'one data-et="message" per segment');
      assert.deepEqual(
        r.messages.map((m) => Number(/^#(\d+) /.exec(m.text)?.[1])),
        seq.arrowSegments,
        'the i-th message element is segment arrowSegments[i]',
      );
      assert.notDeepEqual(
        r.messages.map((m) => m.id),
        seq.arrowSegments.map((_, i) => `i${i}`),
        'data-id counts notes too',
      );
      const lateArrivals = trace.segments.filter(
        (x) => x.arrivedAt !== null && (x.delayedBy > 0 || x.fate === 'duplicate'),
      ).length;
      assert.equal(
        r.notes.length,
        trace.transitions.length + trace.errors.length + trace.hazards.length + lateArrivals,
        'notes are not messages',
      );

      const h = await render(renderSequence(hostileTrace()).text);
      assert.equal(h.injected, 0, 'no element injected');
      assert.ok(
        h.notes.some((n) => n.includes('<img src=x onerror=alert(1)>')),
        'the markup shows as text',
      );
      assert.ok(
        h.notes.some((n) => n.includes('%%{init: {"theme":"dark"}}%%')),
        'the directive shows as text',
      );
      assert.ok(
        h.notes.some((n) => n.includes('a # comment; b')),
        '# and ; survive',
      );
      assert.ok(h.actors.includes('%%{init}%% #b;'));

      const g = await render(renderTimeline(handshakeTrace()));
      assert.ok(g.svg.includes('TIME_WAIT 410ms +60s'));
    } finally {
      await browser.close();
    }
  });

  it('draws every timeline label inside its bar, none over another, in a narrow page too', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 600, height: 800 } });
      await page.setContent('<!doctype html><html><body style="width:560px"></body></html>');
      await page.addScriptTag({ path: MERMAID });
      const crowded = troubleTrace();
      crowded.errors = Array.from({ length: 40 }, (_, i) => ({
        t: i < 30 ? 100 + 7 * i : 200 * i,
        endpoint: 'passerby',
        call: 'connect',
        code: 'ECONNREFUSED' as const,
        line: null,
      }));
      const traces = [
        handshakeTrace(),
        troubleTrace(),
        crowded,
        ...exampleTraces(['handshake-and-close.tcpscn', 'time-wait-old-duplicate.tcpscn']),
      ];
      assert.ok(traces.length >= 5, 'the examples ran');
      // As the preview draws it (webview/renderer.ts: the pane's width but at least 1000 px, 12 px
      // text, no scaling), and as a standalone chart (Markdown, CLI) with Mermaid's defaults.
      const preview = {
        useWidth: 1000,
        useMaxWidth: false,
        fontSize: 12,
        sectionFontSize: 12,
        barHeight: 22,
        barGap: 6,
        topPadding: 40,
      };
      for (const trace of traces) {
        for (const [how, text, gantt] of [
          ['preview', renderTimeline(trace), preview],
          ['standalone', renderTimeline(trace, { fixedWidth: true }), {}],
        ] as const) {
          const found: { outside: string[]; overlaps: string[] } = await page.evaluate(
            `(${TIMELINE_IN_PAGE})(${JSON.stringify(text)}, ${JSON.stringify(gantt)})`,
          );
          assert.deepEqual(
            found.outside,
            [],
            `${how} ${trace.title} / ${trace.variant}: labels drawn outside their bars`,
          );
          assert.deepEqual(found.overlaps, [], `${how} ${trace.title} / ${trace.variant}: labels over each other`);
        }
      }
    } finally {
      await browser.close();
    }
  });
});
