// The hostile corpus, end to end: every file in test/fixtures/hostile/ and a few generated
// giants (a 100 000-character line, a 1 MB file, thousands of triggers, a run that hits the
// segment limit) go through analyze(), every renderer and the preview's update message.
//
// Each fixture says on its first line what must happen: `# hostile: runs` (no error, the
// diagrams are drawn) or `# hostile: errors L1 L2 ...` (an error diagnostic on each of those
// 1-based lines, and on no other line). For all of them: no exception, every diagnostic range
// inside the document, every Mermaid text parses with Mermaid's parser and carries no raw
// markup, directive, NUL or bidi control; the title and variant labels read back from the
// parsed diagram as the reader should see them. Time bounds are measured in `npm run bench`,
// not here (a loaded CI machine would make them flaky); the giants only get a loose bound here.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze, type Analysis } from '../../src/core/index';
import { displayText, renderMarkdown, renderSequence, renderText, renderTimeline } from '../../src/core/render/index';
import type { Range } from '../../src/core/types';
import { isToWebview } from '../../src/protocol';
import { buildUpdate } from '../../src/extension/preview/payload';
import { doesNotHang } from './helpers/doesNotHang';
import { decodeMermaidEntities, ganttDb, mermaidParse, sequenceDb } from './helpers/mermaidParse';

const DIR = join(__dirname, '..', 'fixtures', 'hostile');
const SOURCE = { uri: 'file:///hostile.tcpscn', fileName: 'hostile.tcpscn', version: 1, locked: false };

function linesOf(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function assertInside(lines: readonly string[], r: Range, what: string): void {
  assert.ok(r.start.line >= 0 && r.start.line < lines.length, `${what}: start line ${r.start.line}`);
  assert.ok(r.end.line >= r.start.line && r.end.line < lines.length, `${what}: end line ${r.end.line}`);
  assert.ok(r.start.character >= 0 && r.start.character <= lines[r.start.line]!.length, `${what}: start column`);
  assert.ok(r.end.character >= 0 && r.end.character <= lines[r.end.line]!.length, `${what}: end column`);
  if (r.start.line === r.end.line) assert.ok(r.start.character <= r.end.character, `${what}: reversed`);
}

/** No markup, directive, NUL or bidi control in Mermaid text (our own frontmatter aside). */
function assertClean(text: string, what: string): void {
  const body = text.replace(/^---\n[\s\S]*?\n---\n/, '');
  assert.ok(!/%%\{/.test(body), `${what}: a directive`);
  assert.ok(!/^\s*%%/m.test(body), `${what}: a comment line`);
  assert.ok(!/<(?!br\/>)/i.test(body), `${what}: raw <`);
  assert.ok(!/\u0000/.test(body), `${what}: NUL`);
  assert.ok(!/[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(body), `${what}: a control character`);
  assert.ok(!/[\u202A-\u202E\u2066-\u2069]/.test(body), `${what}: a bidi control`);
}

function checkAnalysis(text: string, what: string): Analysis {
  const a = analyze(text);
  const lines = linesOf(text);
  for (const d of a.diagnostics) {
    assertInside(lines, d.range, `${what}: ${d.code}`);
    assert.ok(d.message.trim() !== '', `${what}: ${d.code} without a message`);
    assert.ok(d.message.length < 2000, `${what}: a ${d.message.length}-character message`);
  }
  const update = buildUpdate(a, SOURCE);
  assert.ok(
    isToWebview(JSON.parse(JSON.stringify(update))),
    `${what}: the update message passes the webview validator`,
  );
  return a;
}

async function checkDiagrams(a: Analysis, what: string): Promise<void> {
  for (const run of a.runs) {
    const seq = renderSequence(run).text;
    assertClean(seq, `${what} sequence`);
    const sdb = await sequenceDb(seq);
    if (run.title.trim() !== '') {
      // The title reads back as the reader should see it.
      assert.equal(
        decodeMermaidEntities(sdb.getDiagramTitle()).trim(),
        displayText(run.title).trim(),
        `${what}: sequence title`,
      );
    }
    const tl = renderTimeline(run);
    assertClean(tl, `${what} timeline`);
    await ganttDb(tl);
    renderText(run);
  }
  const md = renderMarkdown(a.runs);
  assert.ok(!/<(script|img|iframe|svg|a |b>)/i.test(md), `${what}: raw HTML in the Markdown`);
  for (const m of md.matchAll(/^(`{3,})mermaid\n([\s\S]*?)\n\1$/gm)) {
    assertClean(m[2]!, `${what} markdown block`);
    await mermaidParse(m[2]!);
  }
}

describe('hostile checks catch what they look for', () => {
  it('assertClean rejects raw markup, directives, comments, NUL, controls and bidi', () => {
    for (const bad of [
      'sequenceDiagram\n%%{init: {}}%%',
      'gantt\n%% c',
      'x <img src=x>',
      'a\u0000b',
      'a\u001bb',
      'a\u202eb',
    ]) {
      assert.throws(() => assertClean(bad, 'probe'), Error, JSON.stringify(bad));
    }
    assertClean('---\nconfig:\n  x: 1\n---\nsequenceDiagram\nNote over a: x<br/>y #lt;img#gt;', 'probe');
  });
});

describe('hostile corpus (test/fixtures/hostile)', () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.tcpscn'))
    .sort();
  it('has the cases the issue names', () => {
    for (const f of [
      'html-in-strings',
      'html-in-names',
      'mermaid-syntax-in-text',
      'unicode-rtl',
      'control-chars-in-strings',
      'control-chars-outside',
    ]) {
      assert.ok(files.includes(`${f}.tcpscn`), f);
    }
  });
  for (const f of files) {
    it(f, async () => {
      const text = readFileSync(join(DIR, f), 'utf8');
      const head = /^\uFEFF?# hostile: (runs|errors((?: \d+)+))/.exec(text);
      assert.ok(head, `${f}: first line must say "# hostile: runs" or "# hostile: errors L..."`);
      const a = checkAnalysis(text, f);
      const errorLines = [
        ...new Set(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.range.start.line + 1)),
      ].sort((x, y) => x - y);
      if (head[1] === 'runs') {
        assert.deepEqual(
          a.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.start.line + 1}: ${d.message}`),
          [],
          `${f}: runs without errors`,
        );
        assert.ok(a.runs.length >= 1 && a.runs.every((r) => r.segments.length > 0), `${f}: runs and sends segments`);
        await checkDiagrams(a, f);
      } else {
        const wanted = head[2]!.trim().split(/\s+/).map(Number);
        assert.deepEqual(errorLines, wanted, `${f}: error lines`);
        assert.equal(a.runs.length, 0);
      }
    });
  }
});

describe('hostile giants (generated)', () => {
  it('a 100 000-character title: runs, drawn, read back whole', async () => {
    const title = 'a#b;c<d>%%{e}%% '.repeat(6250);
    const text = `title "${title}"\nendpoint a 10.0.0.1:1\nendpoint b 10.0.0.2:2\n0 b listen\n0 a connect b\n`;
    assert.ok(text.split('\n')[0]!.length >= 100_000);
    const a = checkAnalysis(text, 'long title');
    assert.equal(a.hasErrors, false);
    await checkDiagrams(a, 'long title');
  });

  it('a 100 000-character line of garbage: one clear diagnostic, bounded', () => {
    const text = `endpoint a 10.0.0.1:1\n${'connect <img> %%{x}%% '.repeat(4600)}\n`;
    const a = checkAnalysis(text, 'long garbage line');
    const onLong = a.diagnostics.filter((d) => d.range.start.line === 1);
    assert.ok(onLong.length >= 1 && onLong.length <= 20, `${onLong.length} diagnostics on the long line`);
  });

  it('a 1 MB file: analysed, every diagnostic inside, no hang', () => {
    const lines = [
      'endpoint client 10.0.0.1:5000',
      'endpoint server 10.0.0.2:80',
      '0 server listen',
      '0 client connect server',
    ];
    let size = 0;
    for (let i = 0; size < 1 << 20; i++) {
      // Valid checks, comments, and now and then a faulty line.
      const l =
        i % 97 === 0
          ? `${i}ms client frobnicate <b>${i}</b>`
          : `${1000 + i}ms expect client ESTABLISHED # ${'x'.repeat(40)} ${i}`;
      lines.push(l);
      size += l.length + 1;
    }
    const text = lines.join('\n');
    const a = doesNotHang('analysing a 1 MB file', () => checkAnalysis(text, '1 MB'));
    assert.ok(
      a.diagnostics.some((d) => d.severity === 'error'),
      'the faulty lines are reported',
    );
  });

  it('thousands of triggers: runs, all fire once, diagrams drawn', async () => {
    const lines = [
      'set mss = 1000',
      'endpoint client 10.0.0.1:5000',
      'endpoint server 10.0.0.2:80',
      '0 server listen',
      '0 client connect server',
    ];
    for (let i = 0; i < 3000; i++) lines.push(`on client ESTABLISHED +${i}ms client send 1`);
    lines.push('on server CLOSE_WAIT server close', '5s client close');
    const a = checkAnalysis(lines.join('\n'), 'triggers');
    assert.equal(a.hasErrors, false, a.diagnostics.map((d) => d.message).join('; '));
    const run = a.runs[0]!;
    const dataBytes = run.segments
      .filter((s) => s.from === 'client' && !s.retransmission && s.fate !== 'duplicate')
      .reduce((n, s) => n + s.len, 0);
    assert.equal(dataBytes, 3000, 'each trigger sent its byte once');
    const update = buildUpdate(a, SOURCE);
    assert.ok(
      update.type === 'update' && update.variants[0]!.sequence.window !== null,
      'a big trace is windowed in the preview',
    );
    if (update.type === 'update') await mermaidParse(update.variants[0]!.sequence.text);
    await mermaidParse(renderTimeline(run));
  });

  it('a run past 100 000 segments stops at the limit with a diagnostic', () => {
    const text =
      'set mss = 1\nendpoint client 10.0.0.1:5000\nendpoint server 10.0.0.2:80\n0 server listen\n0 client connect server\n100ms client send 60000\n';
    const a = checkAnalysis(text, 'segment limit');
    const run = a.runs[0]!;
    assert.equal(run.segments.length, 100_000);
    assert.notEqual(run.truncated, null);
    const d = a.diagnostics.find((x) => x.code === 'limit-reached');
    assert.ok(d, 'limit-reached diagnostic');
    assert.match(d.message, /100 ?000|100,000/);
  });
});
