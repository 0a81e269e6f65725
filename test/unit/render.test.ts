// The renderers over hand-written traces: every output goes through Mermaid's own parser, and
// what the parser read is checked against the trace (arrows, crosses, notes, escaped text).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LEGEND_SECTION,
  NOTE_WIDTH,
  STATE_ABBREVIATIONS,
  compactLabelLines,
  compactWidth,
  renderMarkdown,
  renderSequence,
  renderText,
  renderTimeline,
  compressTime,
} from '../../src/core/render/index';
import type { Trace } from '../../src/core/trace';
import { tr } from './fixtures/traces';
import {
  HOSTILE,
  bigTrace,
  emptyTrace,
  handshakeTrace,
  hostileTrace,
  quietTrace,
  troubleTrace,
} from './fixtures/traces';
import { labelsOutside } from './helpers/ganttFit';
import { decodeMermaidEntities, ganttDb, mermaidParse, sequenceDb, type SequenceDb } from './helpers/mermaidParse';

const FIXTURES: Record<string, () => Trace> = {
  handshake: handshakeTrace,
  trouble: () => troubleTrace(),
  hostile: hostileTrace,
  quiet: quietTrace,
  empty: emptyTrace,
  big: () => bigTrace(300),
};

function arrowTypes(db: SequenceDb): Set<number> {
  const L = db.LINETYPE;
  return new Set([
    L.SOLID,
    L.DOTTED,
    L.SOLID_CROSS,
    L.DOTTED_CROSS,
    L.SOLID_OPEN,
    L.DOTTED_OPEN,
    L.SOLID_POINT,
    L.DOTTED_POINT,
  ]);
}

async function parsedSequence(trace: Trace) {
  const r = renderSequence(trace);
  const db = await sequenceDb(r.text);
  const types = arrowTypes(db);
  const messages = db.getMessages();
  const arrows = messages.filter((m) => types.has(m.type));
  const notes = messages.filter((m) => m.type === db.LINETYPE.NOTE);
  const text = (m: { message: unknown }) => decodeMermaidEntities(String(m.message));
  return { r, db, messages, arrows, notes, text };
}

/** Mermaid text of a diagram must not carry raw markup or directives from user strings. */
function assertNoInjection(mermaidText: string): void {
  assert.ok(!/%%\{/.test(mermaidText), 'no directive');
  assert.ok(!/<(?!br\/>)/.test(mermaidText.replace(/^---[\s\S]*?---\n/, '')), 'no raw < other than <br/>');
  assert.ok(!mermaidText.includes('\u0000'), 'no NUL');
  assert.ok(!/[\u202A-\u202E\u2066-\u2069]/.test(mermaidText), 'no bidi override');
}

describe('sequence diagram', () => {
  for (const [name, make] of Object.entries(FIXTURES)) {
    it(`parses with Mermaid and shows every segment of the ${name} fixture`, async () => {
      const trace = make();
      const { r, arrows, notes, db, text } = await parsedSequence(trace);
      assert.equal(arrows.length, trace.segments.length, 'one arrow per segment');
      assert.deepEqual(
        r.arrowSegments,
        arrows.map((a) => Number(/^#(\d+) /.exec(text(a))?.[1])),
        'arrowSegments follow the arrows',
      );
      assert.deepEqual(
        [...r.arrowSegments].sort((a, b) => a - b),
        trace.segments.map((s) => s.n),
      );
      const L = db.LINETYPE;
      const crosses = arrows.filter((a) => a.type === L.SOLID_CROSS || a.type === L.DOTTED_CROSS).length;
      assert.equal(crosses, trace.segments.filter((s) => s.fate === 'dropped').length, 'a cross for each lost segment');
      for (const a of arrows) assert.equal(a.wrap, false, 'nowrap: is honoured');
      const transitionNotes = notes.filter((n) => / → /.test(text(n)));
      assert.equal(transitionNotes.length, trace.transitions.length, 'a note per state change');
      assertNoInjection(r.text);
    });
  }

  it('labels arrows with flags, seq, ack, len, time and number, and says what happened to them', async () => {
    const { arrows, text } = await parsedSequence(troubleTrace());
    const labels = arrows.map(text);
    assert.equal(labels[1], '#2 SYN,ACK seq=0 ack=1 · sent 60ms');
    assert.equal(
      labels.find((l) => l.startsWith('#4 ')),
      '#4 PSH,ACK seq=1 ack=1 len=100 · sent 300ms, held 3s, arrives 3.35s',
    );
    assert.match(
      labels.find((l) => l.startsWith('#7 '))!,
      /LOST$/,
    );
    assert.match(
      labels.find((l) => l.startsWith('#8 '))!,
      /retransmission/,
    );
    assert.match(
      labels.find((l) => l.startsWith('#12 '))!,
      /duplicate of #11/,
    );
    assert.match(
      labels.find((l) => l.startsWith('#14 '))!,
      /injected/,
    );
  });

  it('draws a delayed segment and an extra copy where they arrive, with a note on the sender when they left', async () => {
    const { arrows, db, messages, notes, text } = await parsedSequence(troubleTrace());
    const order = messages.map(text);
    const at = (prefix: string): number => order.findIndex((m) => m.startsWith(prefix));
    // #4 is sent at 300 ms and held 3 s: its arrow stands at 3.35 s, after everything sent
    // before then (#14 at 2.5 s), and the server has a note at 300 ms, between #3 and #5.
    assert.ok(at('#4 PSH,ACK') > at('#14 '), 'the arrow of #4 is drawn at its arrival');
    assert.ok(
      at('#4 sent, held in the network') > at('#3 ') && at('#4 sent, held in the network') < at('#5 '),
      'the note of #4 at its sending',
    );
    const sent4 = notes.find((n) => text(n).startsWith('#4 sent'))!;
    assert.equal(sent4.from, 'p_server', 'the note is on the sender');
    // #12, the extra copy of #11 sent at 2.05 s, arrives at 2.15 s: after #13 (2.1 s).
    assert.ok(at('#12 SYN,ACK') > at('#13 '), 'the copy is drawn at its arrival');
    assert.equal(
      text(arrows.find((a) => text(a).startsWith('#12 '))!),
      '#12 SYN,ACK seq=0 ack=1 · sent 2.05s, arrives 2.15s · duplicate of #11',
    );
    assert.ok(at('#12: the network makes an extra copy of #11 (arrives 2.15s)') > at('#11 '));
    // Arrows appear in the order of the instant they stand for.
    const trace = troubleTrace();
    const standsAt = (n: number): number => {
      const s = trace.segments[n - 1];
      return s.arrivedAt !== null && (s.delayedBy > 0 || s.fate === 'duplicate') ? s.arrivedAt : s.sentAt;
    };
    const times = arrows.map((a) => standsAt(Number(/^#(\d+) /.exec(text(a))![1])));
    assert.deepEqual(
      times,
      [...times].sort((x, y) => x - y),
    );
    const L = db.LINETYPE;
    const byN = (n: number) => arrows.find((a) => text(a).startsWith(`#${n} `))!;
    assert.equal(byN(7).type, L.SOLID_CROSS, '#7 is lost');
    assert.equal(byN(12).type, L.DOTTED, '#12 is the extra copy');
    assert.equal(byN(14).type, L.SOLID_POINT, '#14 is injected: `-)`, the open async arrow');
  });

  it('puts errors and hazards in coloured blocks that say why they matter', async () => {
    const trace = troubleTrace();
    const { messages, db, text } = await parsedSequence(trace);
    const L = db.LINETYPE;
    const rects = messages.filter((m) => m.type === L.RECT_START);
    assert.equal(rects.length, trace.errors.length + trace.hazards.length);
    const blockNotes = messages.filter((m, i) => m.type === L.NOTE && messages[i - 1]?.type === L.RECT_START).map(text);
    assert.ok(
      blockNotes.some((n) => n.includes('EADDRINUSE') && n.replace(/\n/g, ' ').includes('Why: another socket')),
    );
    assert.ok(
      blockNotes.some(
        (n) =>
          n.includes('old-duplicate') &&
          n.replace(/\n/g, ' ').includes('Why it matters: the new connection acts on a segment'),
      ),
    );
    assert.ok(blockNotes.some((n) => n.includes('time-wait-assassination')));
  });

  it('says each hazard as headline, what happened, and why it matters, never the same idea twice', async () => {
    const trace = troubleTrace();
    // Messages as the simulator used to write them: what happened, then the consequence.
    trace.hazards[0].message =
      "server's connection was closing gracefully (LAST_ACK) and ended by RST segment 9 instead of the final handshake, so the close is reported as a reset.";
    trace.hazards[1].message =
      "RST segment 14 ended passerby's TIME_WAIT after 450 ms of 4000 ms, freeing the 4-tuple early so old duplicates can reach a new incarnation (RFC 1337).";
    trace.hazards[2].message =
      "passerby's connection (incarnation 2) accepted 100 bytes of data of segment 4, sent by incarnation 1 of the same 4-tuple: a segment of an earlier connection got into the new one.";
    const { messages, db, text } = await parsedSequence(trace);
    const L = db.LINETYPE;
    const hazardNotes = messages
      .filter((m, i) => m.type === L.NOTE && messages[i - 1]?.type === L.RECT_START)
      .map(text)
      .filter((n) => n.includes('hazard '));
    const flat = hazardNotes.map((n) => n.replace(/\n/g, ' '));
    assert.deepEqual(flat, [
      "⚠ server: hazard reset-close at 1.65s (segment #9) server's connection was closing gracefully (LAST_ACK) and ended by RST segment 9 instead of the final handshake. " +
        'Why it matters: the close is reported as a reset.',
      "⚠ passerby: hazard time-wait-assassination at 2.55s (segment #14) RST segment 14 ended passerby's TIME_WAIT after 450 ms of 4000 ms. " +
        'Why it matters: nothing now keeps delayed segments of the old connection out of the next one on the same 4-tuple; RFC 1337 advises ignoring RST in TIME_WAIT.',
      "⚠ passerby: hazard old-duplicate at 3.35s (segment #4) passerby's connection (incarnation 2) accepted 100 bytes of data of segment 4, sent by incarnation 1 of the same 4-tuple. " +
        'Why it matters: the new connection acts on a segment its peer never sent (reads its data, opens or resets because of it) and no check in TCP can tell; a full TIME_WAIT (2×MSL) keeps such segments out.',
    ]);
    // The simulator's wording, "<what happened>, so <why it matters>.": what happened on its
    // line, its specific consequence as the why, then the kind's general lesson.
    trace.hazards[2].message =
      "passerby's connection (incarnation 2) took 100 bytes sent by incarnation 1 of this 4-tuple into its stream, so its application reads data its peer never sent.";
    trace.hazards[1].message =
      "passerby's TIME_WAIT was ended by a RST after 450 ms of its 4 s, so the 4-tuple is free again while old duplicates may still be in flight.";
    const notes = (await parsedSequence(trace)).notes
      .map(text)
      .filter((n) => n.includes('hazard '))
      .map((n) => n.split('\n').join(' '));
    assert.equal(
      notes[2],
      "⚠ passerby: hazard old-duplicate at 3.35s (segment #4) passerby's connection (incarnation 2) took 100 bytes sent by incarnation 1 of this 4-tuple into its stream. " +
        'Why it matters: its application reads data its peer never sent; no check in TCP tells such a segment from a real one, and only a full TIME_WAIT (2×MSL) keeps them out.',
    );
    assert.equal(
      notes[1],
      "⚠ passerby: hazard time-wait-assassination at 2.55s (segment #14) passerby's TIME_WAIT was ended by a RST after 450 ms of its 4 s. " +
        'Why it matters: the 4-tuple is free again while old duplicates may still be in flight; RFC 1337 advises ignoring RST in TIME_WAIT for this reason.',
    );
    // A message that is nothing but the consequence keeps its words; the explanation then goes.
    trace.hazards[1].message = 'old duplicates can now reach a new incarnation';
    const again = renderText(trace);
    assert.match(
      again,
      /hazard time-wait-assassination at 2\.55s \(segment #14\): old duplicates can now reach a new incarnation\.\n/,
    );
  });

  it('wraps every note at NOTE_WIDTH characters, so that a long hazard message cannot widen the diagram', async () => {
    const trace = troubleTrace();
    trace.hazards[2].message = `${"passerby's connection (incarnation 2) accepted 100 bytes of data of segment 4, sent by incarnation 1 of the same 4-tuple; ".repeat(3)}#4 & <b>`;
    trace.errors[0].endpoint = 'passerby';
    const { notes, text } = await parsedSequence(trace);
    for (const n of notes) {
      for (const line of text(n).split('\n'))
        assert.ok([...line].length <= NOTE_WIDTH, `note line of ${[...line].length}: ${line}`);
    }
    const hazard = notes.map(text).find((n) => n.includes('old-duplicate'))!;
    assert.ok(hazard.split('\n').length >= 7, 'a long message becomes several lines');
    assert.ok(
      hazard.replace(/\n/g, ' ').includes(' 4-tuple; #4 & <b>'),
      'and keeps every character, entity codes whole',
    );
  });

  it('gives each endpoint (and a second incarnation on the same port) its own participant with address and port', async () => {
    const { db } = await parsedSequence(troubleTrace());
    const actors = [...db.getActors().values()].map((a) => decodeMermaidEntities(a.description));
    assert.deepEqual(actors, [
      'client\n10.0.0.1:5000',
      'server\n10.0.0.2:80',
      'passerby\n10.0.0.1:5000\n(new incarnation, as client)',
    ]);
  });

  it('keeps hostile strings as text: no markup, no directive, no lost comment', async () => {
    const trace = hostileTrace();
    const { r, db, notes, text } = await parsedSequence(trace);
    assertNoInjection(r.text);
    assert.equal(
      decodeMermaidEntities(db.getDiagramTitle()),
      HOSTILE.map((s) => s.replace(/\r\n|\r/g, '\n').replace(/[\u0000\u202A-\u202E]/g, '')).join(' | '),
    );
    const actors = [...db.getActors().values()].map((a) => decodeMermaidEntities(a.description));
    assert.deepEqual(actors, ['end\n[fd00::1]:80', '%%{init}%% #b;\n10.0.0.2:8080']);
    const hazardNotes = notes.map(text).filter((n) => n.includes('hazard reset-close'));
    assert.equal(hazardNotes.length, HOSTILE.length);
    for (const [i, h] of HOSTILE.entries()) {
      const visible = h
        .replace(/\r\n|\r|\n/g, ' ')
        .replace(/[\u0000\u202A-\u202E]/g, '')
        .trim();
      assert.ok(
        hazardNotes[i]
          .replace(/\s+/g, ' ')
          .includes(`(segment #2) ${visible.replace(/\s+/g, ' ').replace(/[.\s]+$/, '')}. `),
        `hazard message ${i} survives: ${hazardNotes[i]}`,
      );
    }
  });

  it('draws only a window of segments when asked, and says so', async () => {
    const trace = bigTrace(500);
    const r = renderSequence(trace, { fromSegment: 100, toSegment: 149 });
    assert.deepEqual(
      r.arrowSegments,
      Array.from({ length: 50 }, (_, i) => 100 + i),
    );
    const db = await sequenceDb(r.text);
    const first = decodeMermaidEntities(String(db.getMessages()[0].message));
    assert.match(first, /showing segments #100 to #149 of 500/);
    const none = renderSequence(trace, { fromSegment: 900, toSegment: 950 });
    assert.deepEqual(none.arrowSegments, []);
    await mermaidParse(none.text);
    assert.match(none.text, /no segments in the window/);
    // #4 of the trouble fixture is held until 3.35 s: a window of #3 to #5 runs to then, so the
    // passerby's connection that #4 reaches is drawn before it.
    const held = renderSequence(troubleTrace(), { fromSegment: 3, toSegment: 5 });
    assert.deepEqual(held.arrowSegments, [3, 5, 4]);
    const before = held.text.indexOf('SYN_SENT #8594; ESTABLISHED #183; SYN,ACK #183; 2.1s');
    assert.ok(
      before >= 0 && before < held.text.indexOf('#35;4 PSH,ACK'),
      'the state changes up to the arrival are drawn before it',
    );
    const start = renderSequence(handshakeTrace(), { toSegment: 2 });
    assert.match(start.text, /CLOSED #8594; SYN_SENT/, 'a window from the start keeps the opening state changes');
  });

  it('renders 10 000 segments, every one an arrow', () => {
    // Speed (under 100 ms, linear from 1 000) is a target of the benchmark (bench/growth.ts).
    const trace = bigTrace(10_000);
    const r = renderSequence(trace);
    assert.equal(r.arrowSegments.length, trace.segments.length);
    assert.deepEqual(
      r.arrowSegments,
      trace.segments.map((s) => s.n),
    );
  });
});

describe('compact sequence diagram (the preview in a side pane)', () => {
  /** Every line of every arrow label and note, as Mermaid parsed them. */
  async function compactLines(trace: Trace, stateNotes?: 'full' | 'short' | 'off') {
    const r = renderSequence(trace, { compact: true, stateNotes });
    const db = await sequenceDb(r.text);
    const types = arrowTypes(db);
    const messages = db.getMessages();
    const text = (m: { message: unknown }) => decodeMermaidEntities(String(m.message));
    return {
      r,
      db,
      arrows: messages.filter((m) => types.has(m.type)).map(text),
      notes: messages.filter((m) => m.type === db.LINETYPE.NOTE).map(text),
    };
  }

  for (const [name, make] of Object.entries(FIXTURES)) {
    it(`keeps every arrow of the ${name} fixture, in lines no wider than its lifelines allow`, async () => {
      const trace = make();
      const { r, arrows, notes, db } = await compactLines(trace);
      assert.equal(arrows.length, trace.segments.length, 'one arrow per segment');
      assert.deepEqual(
        r.arrowSegments,
        arrows.map((a) => Number(/^#(\d+) /.exec(a)?.[1])),
        'arrowSegments follow the arrows, each label still starting with its number',
      );
      const width = compactWidth(db.getActors().size);
      for (const line of [...arrows, ...notes].flatMap((t) => t.split('\n'))) {
        // A single word longer than the width (a flag list, a long endpoint name) keeps its line.
        assert.ok([...line].length <= width || !line.includes(' '), `${[...line].length} > ${width}: ${line}`);
      }
      assert.equal(db.getDiagramTitle(), '', 'the title is shown by the page, not cut by Mermaid');
      assertNoInjection(r.text);
    });
  }

  it('narrows the lines as lifelines are added, so that four endpoints still fit a side pane', () => {
    assert.ok(compactWidth(2) > compactWidth(3) && compactWidth(3) > compactWidth(4));
    assert.equal(compactWidth(5), compactWidth(4));
  });

  it('says what each segment is on its first line and its numbers, time and fate below', () => {
    const t = troubleTrace();
    const seg = (n: number) => t.segments.find((s) => s.n === n)!;
    assert.deepEqual(compactLabelLines(seg(2), 24), ['#2 SYN,ACK', 'seq=0 ack=1 t=60ms']);
    assert.deepEqual(compactLabelLines(seg(2), 10), ['#2 SYN,ACK', 'seq=0', 'ack=1', 't=60ms']);
    // Held 3 s in the network: drawn where it arrives, with both times.
    assert.deepEqual(compactLabelLines(seg(4), 24), [
      '#4 PSH,ACK len=100',
      'seq=1 ack=1 t=300ms',
      'to 3.35s delayed +3s',
    ]);
    assert.match(compactLabelLines(seg(7), 24).join(' '), /LOST$/);
    assert.match(compactLabelLines(seg(12), 24).join(' '), /copy of #11/);
  });

  it('notes a state change by the new state alone (short), in full, or not at all', async () => {
    const trace = handshakeTrace();
    const short = await compactLines(trace);
    // A state note is the state, and when the endpoint has several TCBs, which one by its endpoints.
    const states = short.notes.filter((n) => /^[A-Z_0-9]+(\n[^\n]+)*$/.test(n));
    assert.equal(states.length, trace.transitions.length, 'a note per state change');
    assert.deepEqual(
      states.map((n) => n.split('\n')[0]),
      trace.transitions.map((x) => x.to),
    );
    // The notes are plain ASCII: Mermaid spaces lifelines by the text it is given, where an
    // entity code (`#8594;` for an arrow) counts seven characters wide.
    for (const line of short.r.text.split('\n').filter((l) => l.startsWith('Note over')))
      assert.doesNotMatch(line, /#\d+;/, line);
    const full = await compactLines(trace, 'full');
    assert.equal(full.notes.filter((n) => /→/.test(n)).length, trace.transitions.length);
    const off = await compactLines(trace, 'off');
    assert.equal(off.notes.length, 0, 'no state notes');
    assert.equal(off.arrows.length, trace.segments.length, 'the arrows stay');
  });

  it('notes errors and hazards by their headline, over their endpoint, in narrow lines', async () => {
    const trace = troubleTrace();
    const { notes } = await compactLines(trace);
    for (const h of trace.hazards)
      assert.ok(
        notes.some((n) => n.startsWith('⚠ hazard') && n.replace(/\n/g, '').includes(h.kind)),
        `hazard ${h.kind} noted`,
      );
    for (const e of trace.errors)
      assert.ok(
        notes.some((n) => n.startsWith(`⚠ ${e.code}`)),
        `error ${e.code} noted`,
      );
  });

  it('names a later incarnation by the endpoint whose port it reuses', async () => {
    const { db } = await compactLines(troubleTrace());
    const descriptions = [...db.getActors().values()].map((a) => decodeMermaidEntities(a.description));
    assert.ok(
      descriptions.some((d) => /\(\w+'s port\)/.test(d)),
      descriptions.join(' | '),
    );
  });
});

describe('state timeline', () => {
  for (const [name, make] of Object.entries(FIXTURES)) {
    it(`parses with Mermaid: the ${name} fixture, one section per TCB, states as tasks`, async () => {
      const trace = make();
      const text = renderTimeline(trace);
      const db = await ganttDb(text);
      const tcbs = new Set(trace.transitions.map((x) => x.tcb));
      const tcbSections = db
        .getSections()
        .filter((x) => x !== 'shortened' && x !== LEGEND_SECTION && !x.startsWith('\u26A0 '));
      if (tcbs.size > 0) assert.equal(tcbSections.length, tcbs.size, 'one section per TCB');
      const problems = trace.errors.length + trace.hazards.length + (trace.truncated ? 1 : 0);
      assert.equal(
        db.getTasks().filter((t) => t.milestone && t.section.startsWith('\u26A0 ')).length,
        problems,
        'a milestone per problem',
      );
      const problemRows = db.getSections().filter((x) => x.startsWith('\u26A0 ')).length;
      if (problems <= 6) assert.equal(problemRows, problems, 'a row each while there are few');
      else assert.ok(problemRows >= 1 && problemRows <= 12, `${problemRows} rows for ${problems} problems`);
      for (const task of db.getTasks()) {
        assert.ok(!/[:#;%\n]/.test(task.task), `gantt-safe task name ${task.task}`);
        assert.ok(Number.isFinite(task.startTime.getTime()) && task.startTime.getTime() < 1e11, 'no "today" fallback');
      }
      const markers = db.getTasks().filter((t) => t.vert && t.task.includes('\u26A0'));
      assert.equal(markers.length, trace.errors.length + trace.hazards.length + (trace.truncated ? 1 : 0));
      assert.match(
        text,
        /^---\nconfig:\n {2}gantt:\n {4}displayMode: compact\n {4}leftPadding: \d+\n {4}rightPadding: \d+\n---\ngantt\n/,
      );
      assert.deepEqual(labelsOutside(text, db), [], 'every label inside its bar');
      assert.match(text, /\ndateFormat x\n/);
      assert.match(text, /\ntodayMarker off\n/);
    });
  }

  it('keeps a 100 ms handshake readable beside 60 s of TIME_WAIT', async () => {
    const db = await ganttDb(renderTimeline(handshakeTrace()));
    const tasks = db.getTasks().filter((t) => !t.vert);
    // The client's states are s1 SYN_SENT ... s5 TIME_WAIT.
    const span = (id: string) => {
      const t = tasks.find((x) => x.id === id)!;
      assert.ok(t, id);
      return t.endTime.getTime() - t.startTime.getTime();
    };
    const timeWait = span('s5');
    const handshake = span('s1');
    // Short states are widened until their full names fit, so the minute is drawn shorter still.
    assert.match(tasks.find((x) => x.id === 's1')!.task, /^SYN_SENT\b/);
    assert.ok(timeWait / handshake < 30, `TIME_WAIT drawn ${timeWait}, handshake ${handshake}`);
    assert.ok(timeWait > 2.5 * handshake, 'but still clearly longer');
    assert.ok(
      tasks.some((t) => t.task.trim() === 'TIME_WAIT 410ms +60s'),
      'the label gives the real start and duration',
    );
    assert.ok(
      db.getTasks().some((t) => t.section === 'shortened' && /59\.95s quiet/.test(t.task)),
      'the compressed stretch is marked',
    );
  });

  it('draws a run whose states all have room to scale, with a real time axis', async () => {
    const t = handshakeTrace();
    t.transitions = [
      tr(0, 'server', null, 'CLOSED', 'LISTEN', 'listen', 1),
      tr(100, 'client', 'server', 'CLOSED', 'SYN_SENT', 'connect', 2),
      tr(200, 'client', 'server', 'SYN_SENT', 'ESTABLISHED', 'SYN,ACK', 2),
      tr(300, 'client', 'server', 'ESTABLISHED', 'FIN_WAIT_1', 'close', 2),
    ];
    t.endedAt = 400;
    const text = renderTimeline(t);
    assert.match(text, /axisFormat %S\.%L/);
    assert.doesNotMatch(text, /quiet stretches shortened/);
    const db = await ganttDb(text);
    const est = db.getTasks().find((x) => x.task.startsWith('ESTABLISHED'))!;
    assert.equal(est.startTime.getTime(), 200);
    assert.equal(est.endTime.getTime(), 300);
    assert.equal(est.task.trim(), 'ESTABLISHED 200ms +100ms');
  });

  it('widens short states so that their names fit, and hides the axis that is then off scale', async () => {
    const text = renderTimeline(troubleTrace());
    assert.match(text, /axisFormat \u00B7/);
    const db = await ganttDb(text);
    const spans = db
      .getTasks()
      .filter((x) => !x.vert && !x.milestone)
      .map((x) => x.endTime.getTime() - x.startTime.getTime());
    const total = Math.max(...db.getTasks().map((x) => x.endTime.getTime()));
    for (const w of spans) assert.ok(w >= 0.02 * total, `${w} of ${total}`);
  });

  it('labels a bar only with what fits in it, and names the rest in the legend row', async () => {
    const trace = handshakeTrace();
    const text = renderTimeline(trace);
    const db = await ganttDb(text);
    assert.deepEqual(labelsOutside(text, db), []);
    const legend = db
      .getTasks()
      .filter((t) => t.section === LEGEND_SECTION)
      .map((t) => t.task)
      .join(' \u00B7 ');
    // Every abbreviation drawn is spelled out; every state drawn without a label is named.
    for (const t of db.getTasks().filter((x) => x.section !== LEGEND_SECTION && !x.vert)) {
      const label = t.task.trim();
      const abbreviation = Object.entries(STATE_ABBREVIATIONS).find(([, a]) => a === label);
      if (abbreviation) assert.ok(legend.includes(`${label} = ${abbreviation[0]}`), `${label} explained`);
      if (label === '\u200B') assert.ok(legend.includes(`${t.section} \u2014 `), `${t.section} unlabelled state named`);
    }
    // Legend lines fit the chart too (labelsOutside checked them): several lines, not one wide one.
    const many = bigTrace(300);
    const manyText = renderTimeline(many);
    assert.deepEqual(labelsOutside(manyText, await ganttDb(manyText)), []);
  });

  it('keeps the legend to a few lines when very many states are too short to label', async () => {
    const trace = handshakeTrace();
    // 200 short connections, each 3 states within 3 ms, beside one long TIME_WAIT.
    for (let i = 0; i < 200; i++) {
      const t0 = 1000 + 10 * i;
      trace.transitions.push(
        tr(t0, 'client', 'server', 'CLOSED', 'SYN_SENT', 'connect', 100 + i),
        tr(t0 + 1, 'client', 'server', 'SYN_SENT', 'ESTABLISHED', 'SYN,ACK', 100 + i),
        tr(t0 + 2, 'client', 'server', 'ESTABLISHED', 'FIN_WAIT_1', 'close', 100 + i),
        tr(t0 + 3, 'client', 'server', 'FIN_WAIT_1', 'CLOSED', 'RST', 100 + i),
      );
    }
    const text = renderTimeline(trace);
    const db = await ganttDb(text);
    const legend = db.getTasks().filter((t) => t.section === LEGEND_SECTION);
    assert.ok(legend.length <= 6, `${legend.length} legend lines`);
    assert.match(legend[legend.length - 1].task, /^\u2026 and \d+ more states too short to label/);
    assert.deepEqual(labelsOutside(text, db), []);
  });

  it('packs many errors and hazards into rows where their labels do not meet', async () => {
    const trace = troubleTrace();
    // 40 errors, a few close together, the rest spread out.
    trace.errors = Array.from({ length: 40 }, (_, i) => ({
      t: i < 30 ? 100 + i : 200 * i,
      endpoint: 'passerby',
      call: 'connect',
      code: 'ECONNREFUSED' as const,
      line: null,
    }));
    const text = renderTimeline(trace);
    const db = await ganttDb(text);
    const rows = db.getSections().filter((x) => x.startsWith('\u26A0 '));
    assert.ok(rows.length > 1 && rows.length <= 12, `${rows.length} rows`);
    const milestones = db.getTasks().filter((t) => t.milestone && t.section.startsWith('\u26A0 '));
    assert.equal(milestones.length, 43, 'every error and hazard keeps its diamond');
    const unlabelled = milestones.filter((t) => t.task.trim() === '\u200B').length;
    assert.ok(unlabelled > 0, 'thirty errors within 30 ms cannot all be labelled');
    assert.ok(
      db
        .getTasks()
        .some(
          (t) =>
            t.section === LEGEND_SECTION &&
            t.task.includes(`\u26A0 ${unlabelled} of 43 errors and hazards are too close together to label`),
        ),
    );
    assert.deepEqual(labelsOutside(text, db), []);
  });

  it('shows a state that lasts no time as a milestone', async () => {
    const db = await ganttDb(renderTimeline(troubleTrace()));
    // The client: SYN_SENT, ESTABLISHED, FIN_WAIT_1, CLOSING, TIME_WAIT (the last two at 1.1 s).
    const client = db.getTasks().filter((t) => t.section === 'client to server');
    assert.equal(client.length, 5);
    assert.deepEqual(
      client.map((t) => t.milestone === true),
      [false, false, false, true, true],
    );
    // A milestone's label would lie over its neighbours': the legend names it instead.
    assert.equal(client[4].task.trim(), '\u200B');
    assert.ok(
      db
        .getTasks()
        .some(
          (t) =>
            t.section === LEGEND_SECTION && t.task.includes('client to server \u2014 TIME_WAIT 1.1s passed through'),
        ),
    );
  });

  it('compresses monotonically and keeps distinct instants apart', () => {
    const axis = compressTime([0, 20, 40, 60, 60_060, 60_080]);
    assert.equal(axis.compressed, true);
    const drawn = [0, 20, 40, 60, 60_060, 60_080].map(axis.toDisplay);
    for (let i = 1; i < drawn.length; i++) assert.ok(drawn[i] > drawn[i - 1]);
    const busy = [drawn[1] - drawn[0], drawn[2] - drawn[1], drawn[3] - drawn[2]];
    assert.ok(
      busy.every((g) => g === busy[0]),
      'the busy part keeps its proportions',
    );
    assert.ok(drawn[4] - drawn[3] < 40 * busy[0], 'the quiet minute is shortened');
    assert.ok(axis.toDisplay(30_000) > 60 && axis.toDisplay(30_000) < drawn[4]);
    assert.equal(compressTime([0, 10, 20]).compressed, false);
  });
});

describe('markdown', () => {
  it('has a title, both diagrams per variant in mermaid blocks that parse, and a segment table', async () => {
    const traces = [handshakeTrace(), troubleTrace()];
    traces[1].title = traces[0].title;
    const md = renderMarkdown(traces);
    assert.match(md, /^# Handshake, data and close\n/);
    const blocks = [...md.matchAll(/^(`{3,})mermaid\n([\s\S]*?)^\1$/gm)].map((m) => m[2]);
    assert.equal(blocks.length, 4);
    for (const b of blocks) await mermaidParse(b);
    assert.equal((md.match(/^## Variant /gm) ?? []).length, 2);
    assert.match(md, /\| n \| sent \| arrived \| from \| to \| flags \| seq \| ack \| len \| fate \|/);
    assert.match(md, /\| 7 \| 1\.1s \| — \| client \| server \| ACK \| 2 \| 102 \| 0 \| dropped \|/);
    assert.match(
      md,
      /\| 12 \| 2\.05s \| 2\.15s \| server \| passerby \| SYN,ACK \| 0 \| 1 \| 0 \| duplicate of #11 \|/,
    );
    assert.match(md, /❌ FAIL line 24/);
    assert.match(md, /✅ PASS line 21/);
    assert.match(md, /old-duplicate/);
  });

  it('escapes hostile strings: no HTML, no broken table, fences that hold', async () => {
    const md = renderMarkdown([hostileTrace()]);
    const prose = md.replace(/^(`{3,})mermaid\n[\s\S]*?^\1$/gm, '').replace(/`[^`\n]*`/g, '');
    assert.ok(!prose.includes('<img'), 'no raw HTML outside diagrams and code spans');
    const blocks = [...md.matchAll(/^(`{3,})mermaid\n([\s\S]*?)^\1$/gm)].map((m) => m[2]);
    assert.equal(blocks.length, 2);
    for (const b of blocks) {
      await mermaidParse(b);
      assertNoInjection(b);
    }
    const tableRows = md.split('\n').filter((l) => l.startsWith('| '));
    for (const row of tableRows) assert.equal(row.split(/(?<!\\)\|/).length, 12, `10 cells in ${row}`);
    assert.ok(!md.includes('\u0000'));
  });

  it("draws only the first segments of a huge run, within Mermaid's text limit, and lists them all", async () => {
    const md = renderMarkdown([bigTrace(2_000)]);
    const blocks = [...md.matchAll(/^(`{3,})mermaid\n([\s\S]*?)^\1$/gm)].map((m) => m[2]);
    assert.ok(blocks[0].length < 50_000, `${blocks[0].length} characters`);
    await mermaidParse(blocks[0]);
    assert.match(md, /Only segments 1 to 300 of 2000 are drawn/);
    assert.match(md, /^\| 2000 \| /m);
  });

  it('says when there is nothing to show', () => {
    assert.match(renderMarkdown([]), /No run/);
  });
});

describe('text', () => {
  it('tells the run in time order with errors, hazards and expectations', () => {
    const out = renderText(troubleTrace());
    assert.match(out, /^TIME_WAIT and its troubles {2}\[variant "no TIME_WAIT"\]\n/);
    const lines = out.split('\n');
    const i1 = lines.findIndex((l) => l.includes('#1 client -> server'));
    const i2 = lines.findIndex((l) => l.includes('LISTEN -> SYN_RECEIVED'));
    assert.ok(i1 >= 0 && i2 > i1);
    assert.match(out, /#7 client -> server {2}ACK seq=2 ack=102 win=65535 {2}\(lost\)/);
    assert.match(out, /#4 server -> client .*\(arrives 3\.35s, delayed \+3s\)/);
    assert.match(out, /! passerby: hazard old-duplicate at 3\.35s/);
    assert.match(out, / {2}PASS line 21: expect passerby error EADDRINUSE\n/);
    assert.match(out, / {2}FAIL line 24: expect no hazards: hazard old-duplicate at 3\.35s\n/);
  });

  it('lets no control character or bidi override reach the terminal', () => {
    const t = hostileTrace();
    t.title = 'x\u001b[2J\u001b]0;pwned\u0007 \u202Eevil';
    const out = renderText(t);
    assert.ok(!/[\u0000-\u0008\u000B-\u001F\u007F\u202A-\u202E]/.test(out));
  });
});
