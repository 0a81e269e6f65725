// Every example scenario (the shared ones and examples/), run by the real core, through every
// renderer and Mermaid's parser: arrows match segments, crosses match drops, notes match state
// changes, the timeline has a section per TCB, and the Markdown's blocks parse.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../src/core/index';
import {
  LEGEND_SECTION,
  NOTE_WIDTH,
  hazardParts,
  repeats,
  renderMarkdown,
  renderSequence,
  renderText,
  renderTimeline,
} from '../../src/core/render/index';
import { labelsOutside } from './helpers/ganttFit';
import { EXAMPLES_DIR, EXTRA_EXAMPLES_DIR, examplePath, SHARED_EXAMPLE_NAMES, scenarioNames } from './helpers/examples';
import { decodeMermaidEntities, ganttDb, mermaidParse, sequenceDb } from './helpers/mermaidParse';

// The project's examples, then those of ../shared/examples when that folder is present.
const DIRS: Array<{ dir: string | undefined; prefix: string }> = [
  { dir: EXAMPLES_DIR, prefix: '' },
  { dir: EXTRA_EXAMPLES_DIR, prefix: 'shared/' },
];

function examples(): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  for (const { dir, prefix } of DIRS) {
    for (const f of scenarioNames(dir)) out.push({ name: `${prefix}${f}`, text: readFileSync(join(dir!, f), 'utf8') });
  }
  return out;
}

describe('renderers over every example', () => {
  const all = examples();
  it("finds the three shared examples among the project's own", () => {
    const names = new Set(all.map((e) => e.name));
    for (const f of SHARED_EXAMPLE_NAMES) assert.ok(names.has(f), f);
  });
  for (const ex of all) {
    it(ex.name, async () => {
      const a = analyze(ex.text);
      assert.equal(a.hasErrors, false, a.diagnostics.map((d) => d.message).join('; '));
      assert.ok(a.runs.length >= 1);
      for (const trace of a.runs) {
        const seq = renderSequence(trace);
        const db = await sequenceDb(seq.text);
        const L = db.LINETYPE;
        const arrowTypes = new Set([
          L.SOLID,
          L.DOTTED,
          L.SOLID_CROSS,
          L.DOTTED_CROSS,
          L.SOLID_OPEN,
          L.DOTTED_OPEN,
          L.SOLID_POINT,
          L.DOTTED_POINT,
        ]);
        const messages = db.getMessages();
        const arrows = messages.filter((m) => arrowTypes.has(m.type));
        assert.equal(arrows.length, trace.segments.length, `${trace.variant}: one arrow per segment`);
        assert.deepEqual(
          seq.arrowSegments,
          arrows.map((m) => Number(/^#(\d+) /.exec(decodeMermaidEntities(String(m.message)))?.[1])),
        );
        // Each arrow stands at one instant (its arrival for a held segment or an extra copy, else
        // its sending): the arrows appear in that order, so none is drawn before its receiver acts.
        const standsAt = (n: number): number => {
          const s = trace.segments[n - 1];
          return s.arrivedAt !== null && (s.delayedBy > 0 || s.fate === 'duplicate') ? s.arrivedAt : s.sentAt;
        };
        const times = seq.arrowSegments.map(standsAt);
        assert.deepEqual(
          times,
          [...times].sort((x, y) => x - y),
          'arrows in the order of the instants they stand for',
        );
        const crosses = arrows.filter((m) => m.type === L.SOLID_CROSS || m.type === L.DOTTED_CROSS).length;
        assert.equal(crosses, trace.segments.filter((s) => s.fate === 'dropped').length, 'crosses for drops');
        const stateNotes = messages.filter(
          (m) => m.type === L.NOTE && / → /.test(decodeMermaidEntities(String(m.message))),
        );
        assert.equal(stateNotes.length, trace.transitions.length, 'a note per transition');
        for (const m of messages.filter((x) => x.type === L.NOTE)) {
          for (const line of decodeMermaidEntities(String(m.message)).split('\n'))
            assert.ok([...line].length <= NOTE_WIDTH, `note line too wide: ${line}`);
        }
        assert.equal(
          messages.filter((m) => m.type === L.RECT_START).length,
          trace.errors.length + trace.hazards.length,
        );

        // A hazard note: headline, what happened, why it matters, each said once.
        for (const h of trace.hazards) {
          const p = hazardParts(h);
          assert.ok(
            p.message === '' || p.meaning === '' || !repeats(p.message, p.meaning),
            `${h.kind}: "${p.message}" and "${p.meaning}" say the same`,
          );
          assert.ok(!/Why it matters/.test(p.message), 'the message does not explain twice');
        }

        const ganttText = renderTimeline(trace);
        const gantt = await ganttDb(ganttText);
        assert.deepEqual(labelsOutside(ganttText, gantt), [], `${trace.variant}: every timeline label inside its bar`);
        const tcbs = new Set(trace.transitions.map((x) => x.tcb));
        const tcbSections = gantt
          .getSections()
          .filter((x) => x !== 'shortened' && x !== LEGEND_SECTION && !x.startsWith('\u26A0 '));
        assert.equal(tcbSections.length, Math.max(1, tcbs.size), 'a section per TCB');
        const problems = trace.errors.length + trace.hazards.length + (trace.truncated !== null ? 1 : 0);
        assert.equal(
          gantt.getTasks().filter((x) => x.milestone && x.section.startsWith('\u26A0 ')).length,
          problems,
          'a milestone per problem',
        );
        for (const task of gantt.getTasks())
          assert.ok(task.startTime.getTime() >= 0 && task.startTime.getTime() < 1e10, 'no "today" dates');

        const text = renderText(trace);
        for (const x of trace.expectations) assert.ok(text.includes(`${x.ok ? 'PASS' : 'FAIL'} line ${x.line}: `));
      }
      const md = renderMarkdown(a.runs);
      const blocks = [...md.matchAll(/^(`{3,})mermaid\n([\s\S]*?)^\1$/gm)].map((m) => m[2]);
      assert.equal(blocks.length, 2 * a.runs.length);
      for (const b of blocks) await mermaidParse(b);
    });
  }
});

describe('a segment held in the network', () => {
  it('reaches the new incarnation after it exists (time-wait-old-duplicate, no TIME_WAIT)', async () => {
    const file = examplePath('time-wait-old-duplicate.tcpscn');
    const trace = analyze(readFileSync(file, 'utf8')).runs.find((r) => r.variant === 'no TIME_WAIT');
    assert.ok(trace);
    const held = trace.segments.find((s) => s.delayedBy > 0 && s.arrivedAt !== null);
    assert.ok(held, 'the example holds a segment in the network');
    const db = await sequenceDb(renderSequence(trace).text);
    const texts = db.getMessages().map((m) => decodeMermaidEntities(String(m.message)));
    const arrow = texts.findIndex((t) => t.startsWith(`#${held.n} ${held.flags.join(',')}`));
    const sentNote = texts.findIndex((t) => t.startsWith(`#${held.n} sent, held in the network`));
    const receiverBorn = texts.findIndex(
      (t) => t.startsWith('CLOSED → SYN_SENT') && db.getMessages()[texts.indexOf(t)].from === 'p_passerby',
    );
    assert.ok(sentNote >= 0 && receiverBorn > sentNote, 'the sending is noted before the new incarnation exists');
    assert.ok(arrow > receiverBorn, 'the arrow is drawn after its receiver exists');
    assert.match(texts[arrow], /· sent 300ms, held 3s, arrives 3\.35s$/);
  });
});
