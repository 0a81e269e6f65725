// Property tests of the escaping: any string, put through escapeMermaid into a message, a note,
// a participant alias and the title, parses with Mermaid and reads back as displayText(s);
// escapeGantt output never carries a character that ends a gantt task name.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  MermaidIds,
  NOTE_WIDTH,
  displayText,
  escapeGantt,
  escapeMermaid,
  sanitizeId,
  wrapText,
} from '../../src/core/render/escape';
import { decodeMermaidEntities, ganttDb, sequenceDb } from './helpers/mermaidParse';

const RUNS = Number(process.env.FUZZ_RUNS ?? 50) || 50;

/** Strings rich in what breaks Mermaid: its syntax characters, keywords, controls, bidi, astral. */
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        '#',
        ';',
        ':',
        '%%',
        '%%{init: {"theme":"dark"}}%%',
        '<',
        '>',
        '&',
        '"',
        "'",
        '`',
        '\\',
        '{',
        '}',
        '\n',
        '\r\n',
        '\r',
        '\t',
        '\u0000',
        '\u001b[31m',
        '\u202E',
        '\u2066',
        '\u200F',
        'end',
        'style',
        'classDef',
        'note',
        '-->>',
        '-x',
        '->>',
        '+',
        '-',
        'participant',
        'title',
        '<br/>',
        '<script>alert(1)</script>',
        '#35;',
        'ﬂ°°',
        '¶ß',
        '😀',
        'שלום',
        ' ',
        'a',
        'wrap:',
        'nowrap:',
        '\uD800',
        '\uDC00',
        '\u2028',
        'section',
        'x',
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
);

/** What Mermaid shows of a text followed by `x`: displayText, the ends trimmed as Mermaid does. */
function shownWithX(s: string): string {
  return `${displayText(s)}x`.trim();
}

describe('escapeMermaid', () => {
  it('keeps any string intact through a message, a note, an alias and the title', async () => {
    await fc.assert(
      fc.asyncProperty(nasty, async (s) => {
        const e = escapeMermaid(s);
        assert.ok(
          !/[\n\r#;%:]/.test(e.replace(/#(\d+|lt|gt|amp|quot);/g, '')),
          `no raw syntax left in ${JSON.stringify(e)}`,
        );
        const text = [
          'sequenceDiagram',
          `title ${e}x`,
          `participant a as ${e}x`,
          `a->>a: nowrap:${e}x`,
          `Note over a: nowrap:${e}x`,
        ].join('\n');
        const db = await sequenceDb(text);
        const messages = db.getMessages();
        assert.equal(messages.length, 2, 'exactly the message and the note');
        const want = shownWithX(s);
        for (const m of messages) assert.equal(decodeMermaidEntities(String(m.message)).trim(), want);
        assert.equal(decodeMermaidEntities(db.getDiagramTitle()).trim(), want);
        const actors = [...db.getActors().values()];
        assert.equal(actors.length, 1);
        assert.equal(decodeMermaidEntities(actors[0].description).trim(), want);
      }),
      { numRuns: RUNS },
    );
  });

  it('writes the characters the notes name as entity codes', () => {
    assert.equal(escapeMermaid('a#b;c<d>e&f'), 'a#35;b#59;c#lt;d#gt;e#amp;f');
    assert.equal(escapeMermaid('%%{x}%%'), '#37;#37;#123;x#125;#37;#37;');
    assert.equal(escapeMermaid('one\ntwo'), 'one<br/>two');
    assert.equal(escapeMermaid('n\u0000ul \u202Eevil'), 'nul evil');
    assert.equal(escapeMermaid('style'), '#115;tyle');
  });
});

describe('wrapText', () => {
  it('wraps a note into lines of at most NOTE_WIDTH characters that Mermaid reads back whole', async () => {
    const long = fc
      .array(fc.oneof(nasty, fc.constantFrom('segment', '#4', 'incarnation;', 'x'.repeat(75), '&lt;')), {
        maxLength: 30,
      })
      .map((p) => p.join(' '));
    await fc.assert(
      fc.asyncProperty(long, async (s) => {
        const flat = displayText(s).replace(/\n/g, ' ');
        const e = escapeMermaid(wrapText(flat));
        // Breaks are only `<br/>` between whole entity codes: every `#` starts a complete code.
        for (const chunk of e.split('<br/>'))
          assert.ok(!/#(?!(\d+|lt|gt|amp|quot);)/.test(chunk), `split entity in ${JSON.stringify(chunk)}`);
        const db = await sequenceDb(['sequenceDiagram', 'participant a', `Note over a: nowrap:${e}x`].join('\n'));
        const shown = decodeMermaidEntities(String(db.getMessages()[0].message));
        for (const line of shown.split('\n'))
          assert.ok([...line].length <= NOTE_WIDTH + 1, `line of ${[...line].length}: ${JSON.stringify(line)}`);
        // Only spaces became breaks (or a break was added inside a word longer than a line).
        assert.equal(shown.replace(/\s+/g, ''), `${flat}x`.replace(/\s+/g, ''));
      }),
      { numRuns: RUNS },
    );
  });

  it('breaks at spaces and cuts only words longer than a line', () => {
    assert.equal(wrapText('aaa bbb ccc', 7), 'aaa bbb\nccc');
    assert.equal(wrapText('abcdefghij', 4), 'abcd\nefgh\nij');
    assert.equal(wrapText('short'), 'short');
    assert.equal(escapeMermaid(wrapText('a#b c#d', 3)), 'a#35;b<br/>c#35;d');
  });
});

describe('escapeGantt', () => {
  it('never leaves a character that ends a task name, and the task keeps its text', async () => {
    await fc.assert(
      fc.asyncProperty(nasty, async (s) => {
        const g = escapeGantt(s);
        assert.ok(!/[:#;%\n\r<>]/.test(g), JSON.stringify(g));
        const db = await ganttDb(['gantt', 'dateFormat x', 'section s', `t ${g} x :t1, 0, 10ms`].join('\n'));
        const tasks = db.getTasks();
        assert.equal(tasks.length, 1);
        assert.equal(tasks[0].id, 't1');
        assert.equal(tasks[0].endTime.getTime(), 10);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('Mermaid ids', () => {
  it('are [A-Za-z0-9_], unique per name and stable', () => {
    fc.assert(
      fc.property(fc.array(nasty, { maxLength: 20 }), (names) => {
        const ids = new MermaidIds('p');
        const made = new Map<string, string>();
        for (const n of names) {
          const id = ids.id(n);
          assert.match(id, /^p_[A-Za-z0-9_]*$/);
          assert.ok(!/style|classdef/i.test(id));
          if (made.has(n)) assert.equal(made.get(n), id);
          made.set(n, id);
        }
        assert.equal(new Set(made.values()).size, made.size);
      }),
      { numRuns: RUNS * 4 },
    );
    assert.equal(sanitizeId('p', 'a-b c'), 'p_a_b_c');
  });
});
