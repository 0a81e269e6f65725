// Every example scenario (the shared ones and examples/), run by the real core, through every
// renderer and Mermaid's parser: arrows match segments, crosses match drops, notes match state
// changes, the timeline has a section per TCB, and the Markdown's blocks parse.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../src/core/index';
import { renderMarkdown, renderSequence, renderText, renderTimeline } from '../../src/core/render/index';
import { decodeMermaidEntities, ganttDb, mermaidParse, sequenceDb } from './helpers/mermaidParse';

const ROOT = join(__dirname, '..', '..');
const DIRS = [join(ROOT, '..', 'shared', 'examples'), join(ROOT, 'examples')];

function examples(): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  for (const dir of DIRS) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (f.endsWith('.tcpscn')) out.push({ name: `${dir.endsWith('examples') && dir.includes('shared') ? 'shared/' : ''}${f}`, text: readFileSync(join(dir, f), 'utf8') });
    }
  }
  return out;
}

describe('renderers over every example', () => {
  const all = examples();
  it('finds the three shared examples', () => {
    assert.ok(all.filter((e) => e.name.startsWith('shared/')).length >= 3);
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
        const arrowTypes = new Set([L.SOLID, L.DOTTED, L.SOLID_CROSS, L.DOTTED_CROSS, L.SOLID_OPEN, L.DOTTED_OPEN, L.SOLID_POINT, L.DOTTED_POINT]);
        const messages = db.getMessages();
        const arrows = messages.filter((m) => arrowTypes.has(m.type));
        assert.equal(arrows.length, trace.segments.length, `${trace.variant}: one arrow per segment`);
        assert.deepEqual(seq.arrowSegments, arrows.map((m) => Number(/^#(\d+) /.exec(decodeMermaidEntities(String(m.message)))?.[1])));
        const crosses = arrows.filter((m) => m.type === L.SOLID_CROSS || m.type === L.DOTTED_CROSS).length;
        assert.equal(crosses, trace.segments.filter((s) => s.fate === 'dropped').length, 'crosses for drops');
        const stateNotes = messages.filter((m) => m.type === L.NOTE && / → /.test(decodeMermaidEntities(String(m.message))));
        assert.equal(stateNotes.length, trace.transitions.length, 'a note per transition');
        assert.equal(messages.filter((m) => m.type === L.RECT_START).length, trace.errors.length + trace.hazards.length);

        const gantt = await ganttDb(renderTimeline(trace));
        const tcbs = new Set(trace.transitions.map((x) => x.tcb));
        const tcbSections = gantt.getSections().filter((x) => x !== 'shortened' && !x.startsWith('\u26A0 '));
        assert.equal(tcbSections.length, Math.max(1, tcbs.size), 'a section per TCB');
        const problems = trace.errors.length + trace.hazards.length + (trace.truncated !== null ? 1 : 0);
        assert.equal(gantt.getTasks().filter((x) => x.milestone && x.task.startsWith('\u26A0')).length, problems, 'a milestone per problem');
        for (const task of gantt.getTasks()) assert.ok(task.startTime.getTime() >= 0 && task.startTime.getTime() < 1e10, 'no "today" dates');

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
