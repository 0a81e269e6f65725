// The language reference (docs/language.md), the hovers and completion agree: every word of
// the vocabulary is on the reference page, has a hover that names it and links to the page's
// section about it, and is offered by completion where it may be written. The generated
// tables of the page are what `npm run docs` writes from the vocabulary today.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { complete } from '../../src/core/assist/complete';
import { hover } from '../../src/core/assist/hover';
import {
  ENDPOINT_OPTIONS,
  ENDPOINT_VALUE_OPTIONS,
  ERROR_CODES,
  FLAGS,
  HAZARD_KINDS,
  INJECT_FIELDS,
  MATCH_COUNTS,
  MATCH_FIELDS,
  MATCH_PROPERTIES,
  NET_RULES,
  OPTION_TABLE,
  REFERENCE_PAGE,
  REFERENCE_SECTIONS,
  STATEMENT_KEYWORDS,
  TCP_STATES,
  TIME_UNITS,
  VERBS,
} from '../../src/core/vocabulary';
import { referenceTables, updateReference } from '../../scripts/docs';

const ROOT = join(__dirname, '..', '..');
const PAGE = readFileSync(join(ROOT, REFERENCE_PAGE), 'utf8');
const DECLS = 'endpoint client 10.0.0.1:5000\nendpoint server 10.0.0.2:80\n';

/** GitHub's anchor of each heading of the page. */
const ANCHORS = new Set(
  [...PAGE.matchAll(/^#+ (.+)$/gm)].map((m) =>
    m[1]!
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, '')
      .replace(/ /g, '-'),
  ),
);

interface Kind {
  kind: string;
  words: readonly string[];
  /** A line where completion offers the word (the cursor at its end). */
  offeredAfter: (w: string) => string;
  /** The label completion gives it. */
  label?: (w: string) => string;
  /** A line holding the word, for its hover. */
  line: (w: string) => string;
}

const optionValues = OPTION_TABLE.flatMap((o) => (o.values ?? []).map((v) => ({ option: o.name, value: v })));
const valueOption = new Map(optionValues.map((x) => [x.value, x.option]));

const KINDS: Kind[] = [
  {
    kind: 'statement keyword',
    words: STATEMENT_KEYWORDS,
    offeredAfter: () => '',
    line: (w) =>
      ({
        title: 'title "t"',
        set: 'set msl = 1s',
        endpoint: 'endpoint x 10.0.0.3:1',
        link: 'link client server latency 1ms',
        variant: 'variant "v" msl = 1s',
        on: 'on client ESTABLISHED client close',
        expect: 'expect no hazards',
      })[w]!,
  },
  { kind: 'state', words: TCP_STATES, offeredAfter: () => 'on client ', line: (w) => `on client ${w} client close` },
  {
    kind: 'call',
    words: VERBS,
    offeredAfter: () => '0ms client ',
    line: (w) => `0ms client ${w}${w === 'connect' ? ' server' : w === 'send' ? ' 10' : ''}`,
  },
  { kind: 'option', words: OPTION_TABLE.map((o) => o.name), offeredAfter: () => 'set ', line: (w) => `set ${w} = 1` },
  {
    kind: 'option value',
    words: [...valueOption.keys()],
    offeredAfter: (w) => `set ${valueOption.get(w)} = `,
    line: (w) => `set ${valueOption.get(w)} = ${w}`,
  },
  {
    kind: 'flag',
    words: FLAGS,
    offeredAfter: () => '0ms net drop client->server ',
    line: (w) => `0ms net drop client->server ${w}`,
  },
  {
    kind: 'error code',
    words: ERROR_CODES,
    offeredAfter: () => 'expect client error ',
    line: (w) => `expect client error ${w}`,
  },
  { kind: 'hazard', words: HAZARD_KINDS, offeredAfter: () => 'expect hazard ', line: (w) => `expect hazard ${w}` },
  {
    kind: 'network rule',
    words: NET_RULES,
    offeredAfter: () => '0ms net ',
    line: (w) => `0ms net ${w} client->server`,
  },
  {
    kind: 'match word',
    words: [...MATCH_PROPERTIES, ...MATCH_COUNTS],
    offeredAfter: () => '0ms net drop client->server ',
    line: (w) => `0ms net drop client->server ${w}${w === 'count' ? ' 2' : ''}`,
  },
  {
    kind: 'match field',
    words: MATCH_FIELDS,
    offeredAfter: () => '0ms net drop client->server ',
    label: (w) => `${w}=`,
    line: (w) => `0ms net drop client->server ${w}=1`,
  },
  {
    kind: 'inject field',
    words: INJECT_FIELDS,
    offeredAfter: () => '0ms net inject client->server RST ',
    label: (w) => `${w}=`,
    line: (w) => `0ms net inject client->server RST ${w}=1`,
  },
  {
    kind: 'endpoint option',
    words: ENDPOINT_OPTIONS,
    offeredAfter: () => 'endpoint x 10.0.0.3:1 ',
    label: (w) => (ENDPOINT_VALUE_OPTIONS.includes(w as never) ? `${w}=` : w),
    line: (w) => `endpoint x 10.0.0.3:1 ${w}${ENDPOINT_VALUE_OPTIONS.includes(w as never) ? '=1' : ''}`,
  },
];

test('the generated tables of docs/language.md are up to date (npm run docs)', () => {
  assert.equal(updateReference(PAGE), PAGE, 'docs/language.md is out of date: run npm run docs');
  // And the check can fail: a page with an option row missing is not up to date.
  const stale = PAGE.replace(/^\| `msl` \|.*\n/m, '');
  assert.notEqual(stale, PAGE);
  assert.notEqual(updateReference(stale), stale);
  assert.match(referenceTables().options, /^\| `syn_retries` \| integer \|/m);
});

test('the reference page has every section a hover links to', () => {
  for (const anchor of Object.values(REFERENCE_SECTIONS)) assert.ok(ANCHORS.has(anchor), `#${anchor}`);
});

for (const k of KINDS) {
  test(`every ${k.kind} is on the reference page, has a hover and is offered by completion`, () => {
    for (const w of k.words) {
      assert.ok(PAGE.includes('`' + w), `${k.kind} ${w} is not on ${REFERENCE_PAGE}`);

      const line = k.line(w);
      const text = DECLS + line;
      const at = line.lastIndexOf(w);
      assert.ok(at >= 0, line);
      const h = hover(text, { line: 2, character: at + 1 });
      assert.ok(h, `no hover for ${k.kind} ${w} in \`${line}\``);
      assert.ok(h.markdown.toLowerCase().includes(`**${w.toLowerCase()}`), `the hover of ${w} does not name it`);
      const link = /\[Reference\]\(([^)#]+)#([^)]+)\)$/.exec(h.markdown);
      assert.ok(link, `the hover of ${w} does not end with a link to the reference`);
      assert.equal(link[1], REFERENCE_PAGE);
      assert.ok(ANCHORS.has(link[2]!), `the hover of ${w} links to #${link[2]}, which the page lacks`);

      const prefix = k.offeredAfter(w);
      const full = DECLS + prefix;
      const labels = complete(full, { line: 2, character: prefix.length }).items.map((i) => i.label);
      const label = (k.label ?? ((x: string) => x))(w);
      assert.ok(labels.includes(label), `completion after \`${prefix}\` lacks ${label}: ${labels.join(' ')}`);
    }
  });
}

test('every time unit is on the reference page and completes after a number', () => {
  const labels = complete(`${DECLS}25`, { line: 2, character: 2 }).items.map((i) => i.label);
  for (const u of TIME_UNITS) {
    assert.ok(PAGE.includes(`\`${u.unit}\``), u.unit);
    assert.ok(labels.includes(`25${u.unit}`), u.unit);
  }
});
