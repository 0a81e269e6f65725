// End-to-end fuzzing of the core with fast-check: any text, and random valid scenarios with
// random edits, go through analyze(), the renderers and the preview's payload. Runs:
// FUZZ_RUNS (default 60, so the unit suite stays quick; `npm run fuzz` uses 20 000).
//
// Properties:
//   - no exception escapes analyze(), renderSequence/renderTimeline/renderMarkdown/renderText
//     or the preview's buildUpdate;
//   - every diagnostic range lies inside the document (lines and UTF-16 columns);
//   - every run ends within the limits (stopped with `truncated` when it reaches one), in
//     bounded time, also with tiny limits;
//   - every Mermaid text (sequence, timeline, each mermaid block of the Markdown, the
//     preview's windowed sequence) parses with Mermaid's real parser, and carries no raw
//     markup, directive, NUL or bidi control from the file;
//   - the preview's update message passes the webview's own validator (else the page drops it).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { analyze, type Analysis } from '../../src/core/index';
import { renderMarkdown, renderSequence, renderText, renderTimeline } from '../../src/core/render/index';
import type { Range } from '../../src/core/types';
import { isToWebview } from '../../src/protocol';
import { buildUpdate } from '../../src/extension/preview/payload';
import { arbitraryScenarioText } from './gen';
import { doesNotHang } from './helpers/doesNotHang';
import { mermaidParse } from './helpers/mermaidParse';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60) || 60;
/** Mermaid's parser takes a few ms per diagram: those properties get a share of the runs. */
const MERMAID_RUNS = Math.max(10, Math.floor(RUNS / 3));

const FRAGMENTS = [
  'title',
  'set',
  'endpoint',
  'link',
  'variant',
  'on',
  'net',
  'expect',
  'in',
  'latency',
  'no',
  'hazards',
  'error',
  'listen',
  'connect',
  'send',
  'close',
  'shutdown',
  'abort',
  'drop',
  'delay',
  'duplicate',
  'inject',
  'segment',
  'by',
  'after',
  'count',
  'all',
  'data',
  'pure-ack',
  'seq=1',
  'ack=0',
  'len=5',
  'SYN',
  'ACK',
  'FIN',
  'RST',
  'PSH',
  'ESTABLISHED',
  'time-wait',
  'LISTEN',
  'CLOSE_WAIT',
  'EADDRINUSE',
  'old-duplicate',
  'msl',
  'time_wait',
  'mss',
  '=',
  'client',
  'server',
  'a',
  'b',
  '->',
  '*',
  '10.0.0.1:5000',
  '10.0.0.2:80',
  '[fd00::1]:80',
  '0',
  '1',
  '250ms',
  '+1ms',
  '1.5s',
  '4294967295',
  '"x"',
  '"',
  '#',
  ';',
  '%%{init: {"theme":"dark"}}%%',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '-->>',
  '->>',
  'end',
  'Note over',
  '`',
  '|',
  ':',
  '\\',
  '\u0000',
  '\u0007',
  '\u001b',
  '\u202e',
  '\u2066',
  '\u200f',
  '\ufeff',
  'שלום',
  'مرحبا',
  '😀',
  '\ud800',
  '\r',
  '\t',
  ' ',
  ' ',
  '\n',
  '\r\n',
];

const randomText = fc
  .array(
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...FRAGMENTS) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
    ),
    { maxLength: 60 },
  )
  .chain((parts) =>
    fc
      .array(fc.constantFrom(' ', ' ', '\n', ''), { minLength: parts.length, maxLength: parts.length })
      .map((seps) => parts.map((p, i) => p + seps[i]).join('')),
  );

/** A valid scenario with a few random insertions and deletions: mostly runnable, sometimes not. */
const editedScenario = arbitraryScenarioText.chain((text) =>
  fc.array(fc.tuple(fc.nat(text.length), fc.nat(4), fc.constantFrom(...FRAGMENTS)), { maxLength: 3 }).map((edits) => {
    let t = text;
    for (const [at, del, ins] of edits) {
      const p = Math.min(at, t.length);
      t = t.slice(0, p) + ins + t.slice(p + del);
    }
    return t;
  }),
);

const anyText = fc.oneof(randomText, arbitraryScenarioText, editedScenario);

function linesOf(text: string): string[] {
  // The lexer's line split: \n, with a \r before it belonging to the line ending.
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function assertInside(lines: readonly string[], r: Range, what: string): void {
  const { start, end } = r;
  assert.ok(
    Number.isInteger(start.line) && start.line >= 0 && start.line < lines.length,
    `${what}: start line ${start.line} of ${lines.length}`,
  );
  assert.ok(
    Number.isInteger(end.line) && end.line >= start.line && end.line < lines.length,
    `${what}: end line ${end.line}`,
  );
  assert.ok(
    start.character >= 0 && start.character <= lines[start.line]!.length,
    `${what}: start column ${start.character}`,
  );
  assert.ok(end.character >= 0 && end.character <= lines[end.line]!.length, `${what}: end column ${end.character}`);
  if (start.line === end.line) assert.ok(start.character <= end.character, `${what}: range reversed`);
}

/** analyze() with its invariants (and no hang: a run may go up to the default limits); returns the analysis. */
function checkedAnalyze(text: string, limits?: { maxSegments: number; maxEvents: number }): Analysis {
  const a = doesNotHang('analyze', () => analyze(text, limits ? { limits } : {}));
  const lines = linesOf(text);
  for (const d of a.diagnostics) {
    assertInside(lines, d.range, `diagnostic ${d.code} "${d.message}"`);
    assert.ok(d.message.trim().length > 0, `diagnostic ${d.code} has a message`);
  }
  // hasErrors means "could not be run": some error stands behind it (run-time errors such as
  // limit-reached come after a run and do not set it).
  if (a.hasErrors)
    assert.ok(
      a.diagnostics.some((d) => d.severity === 'error'),
      'hasErrors without an error',
    );
  else assert.ok(a.runs.length > 0, 'a file without errors runs at least the default variant');
  if (a.hasErrors) assert.equal(a.runs.length, 0, 'a file with errors is not run');
  const maxSegments = limits?.maxSegments ?? 100_000;
  for (const run of a.runs) {
    assert.ok(run.segments.length <= maxSegments, `${run.segments.length} segments > ${maxSegments}`);
    assert.ok(Number.isFinite(run.endedAt) && run.endedAt >= 0, 'endedAt is a time');
    run.segments.forEach((s, i) => assert.equal(s.n, i + 1, 'segments numbered from 1 in order'));
    if (run.truncated !== null)
      assert.ok(
        a.diagnostics.some((d) => d.code === 'limit-reached'),
        'a stopped run is reported',
      );
  }
  return a;
}

const RAW_DANGER = [/%%\{/, /<(?!br\/>)/i, /\u0000/, /[\u202A-\u202E\u2066-\u2069]/];

function assertClean(mermaidText: string, what: string): void {
  const body = mermaidText.replace(/^---\n[\s\S]*?\n---\n/, ''); // frontmatter is ours
  for (const re of RAW_DANGER) assert.ok(!re.test(body), `${what}: contains ${re}`);
}

/** Every Mermaid text the product can produce for this analysis. */
function mermaidTexts(a: Analysis): [string, string][] {
  const out: [string, string][] = [];
  for (const run of a.runs) {
    out.push(
      [`sequence (${run.variant})`, renderSequence(run).text],
      [`timeline (${run.variant})`, renderTimeline(run)],
    );
  }
  const md = renderMarkdown(a.runs);
  let i = 0;
  for (const m of md.matchAll(/^(`{3,})mermaid\n([\s\S]*?)\n\1$/gm)) out.push([`markdown block ${++i}`, m[2]!]);
  assert.equal(i, 2 * a.runs.length, 'two mermaid blocks per variant in the Markdown');
  const update = buildUpdate(a, { uri: 'file:///fuzz.tcpscn', fileName: 'fuzz.tcpscn', version: 1, locked: false });
  assert.ok(isToWebview(JSON.parse(JSON.stringify(update))), 'the update message passes the webview validator');
  if (update.type === 'update')
    for (const v of update.variants) if (v.sequence.window) out.push([`preview window (${v.label})`, v.sequence.text]);
  return out;
}

describe('fuzz: analyze and render anything', () => {
  it('any text: no throw, diagnostics inside the document, runs within limits, renderers total', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const a = checkedAnalyze(text);
        for (const run of a.runs) {
          renderSequence(run);
          renderTimeline(run);
          renderSequence(run, { fromSegment: 2, toSegment: 3 });
        }
        renderMarkdown(a.runs);
        for (const run of a.runs) renderText(run);
        const update = buildUpdate(a, {
          uri: 'file:///fuzz.tcpscn',
          fileName: 'fuzz.tcpscn',
          version: 1,
          locked: false,
        });
        assert.ok(isToWebview(JSON.parse(JSON.stringify(update))), 'update passes the webview validator');
      }),
      { numRuns: RUNS },
    );
  });

  it('tiny limits: every run stops at the limit with a diagnostic-worthy reason, never beyond', () => {
    const limits = fc.record({
      maxSegments: fc.integer({ min: 1, max: 12 }),
      maxEvents: fc.integer({ min: 1, max: 200 }),
    });
    fc.assert(
      fc.property(arbitraryScenarioText, limits, (text, lim) => {
        const a = checkedAnalyze(text, lim);
        for (const run of a.runs) {
          assert.ok(run.segments.length <= lim.maxSegments);
          if (run.truncated !== null) {
            assert.ok(run.truncated.length > 0);
            assert.ok(
              a.diagnostics.some((d) => d.code === 'limit-reached'),
              'a stopped run is reported as a diagnostic',
            );
          }
        }
        // Whatever stopped the run, the diagrams of the partial trace still come out.
        for (const run of a.runs) {
          renderSequence(run);
          renderTimeline(run);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('every Mermaid text parses with Mermaid and carries nothing raw from the file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(arbitraryScenarioText, editedScenario), async (text) => {
        const a = checkedAnalyze(text);
        for (const [what, t] of mermaidTexts(a)) {
          assertClean(t, what);
          await mermaidParse(t).catch((e: unknown) => {
            throw new Error(
              `${what} does not parse in Mermaid: ${e instanceof Error ? e.message : String(e)}\n--- text ---\n${t}`,
            );
          });
        }
      }),
      { numRuns: MERMAID_RUNS },
    );
  });
});
