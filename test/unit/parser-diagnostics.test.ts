// One case per diagnostic code (and more for the important ones): the code is reported, on
// the right line and columns, with a helpful message, and the faulty statement is left out.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PARSER_DIAGNOSTIC_CODES, parse } from '../../src/core/parser';
import type { Diagnostic } from '../../src/core/types';

/** Two endpoints that listen and connect: nothing in it is reported. */
const BASE = [
  'endpoint client 10.0.0.1:5000',
  'endpoint server 10.0.0.2:80',
  '0ms server listen',
  '10ms client connect server',
];

interface Case {
  code: string;
  /** Lines appended to BASE (or the whole text with `alone`). */
  lines: string[];
  alone?: boolean;
  severity?: 'error' | 'warning';
  /** The text the diagnostic's range must cover. */
  covers?: string;
  message?: RegExp;
}

const CASES: Case[] = [
  { code: 'invalid-character', lines: ['1s client send 10 §'], covers: '§', message: /unexpected character `§`/ },
  { code: 'invalid-character', lines: ['1s client\u0000 close'], covers: '\u0000', message: /U\+0000/ },
  { code: 'invalid-escape', lines: ['1s client send "a\\tb"'], message: /only `\\"` and `\\\\`/ },
  { code: 'unterminated-string', lines: ['title "Handshake'], covers: '"Handshake', message: /closing `"`/ },
  { code: 'invalid-number', lines: ['1s client send 12x3'], covers: '12x3' },
  { code: 'invalid-duration', lines: ['5m client close'], covers: '5m', message: /did you mean `5min`/ },
  {
    code: 'invalid-address',
    lines: ['endpoint x 10.0.0.300:80', '0ms x listen'],
    covers: '10.0.0.300:80',
    message: /0 to 255/,
  },
  {
    code: 'invalid-address',
    lines: ['endpoint x [fd00::zz]:80', '0ms x listen'],
    covers: '[fd00::zz]:80',
    message: /IPv6/,
  },
  {
    code: 'unknown-statement',
    lines: ['endpiont y 10.0.0.9:1'],
    covers: 'endpiont',
    message: /did you mean `endpoint`/,
  },
  { code: 'unknown-statement', lines: ['= 5'], covers: '=' },
  { code: 'unknown-keyword', lines: ['Title "x"'], covers: 'Title', message: /did you mean `title`/ },
  { code: 'unknown-keyword', lines: ['1s Net drop * SYN'], covers: 'Net', message: /did you mean `net`/ },
  { code: 'missing-time', lines: ['client close'], covers: 'client', message: /`0ms client close/ },
  {
    code: 'missing-token',
    lines: ['1s client connect'],
    covers: 'connect',
    message: /expected the endpoint to connect to/,
  },
  { code: 'missing-token', lines: ['1s net delay * SYN'], message: /`delay` needs `by DURATION`/ },
  { code: 'missing-token', lines: ['1s net inject client->server'], message: /at least one flag/ },
  { code: 'missing-token', lines: ['1s listen'], covers: 'listen', message: /needs the endpoint/ },
  {
    code: 'unexpected-token',
    lines: ['1s client close now'],
    covers: 'now',
    message: /unexpected `now` after `close`/,
  },
  {
    code: 'unexpected-token',
    lines: ['1s net drop client server'],
    covers: 'server',
    message: /expected `->` after `client`/,
  },
  { code: 'unexpected-token', lines: ['expect hazards'], covers: 'hazards', message: /no hazards/ },
  { code: 'unexpected-token', lines: ['1s on client CLOSED client close'], covers: 'on', message: /one WHEN/ },
  { code: 'unexpected-token', lines: ['title x'], covers: 'x', message: /quoted string/ },
  {
    code: 'duplicate-title',
    lines: ['title "a"', 'title "b"'],
    covers: 'title "b"',
    message: /already given on line 5/,
  },
  {
    code: 'set-after-event',
    lines: ['set msl = 1s'],
    covers: 'set',
    message: /before the first event line \(line 3\)/,
  },
  {
    code: 'duplicate-setting',
    alone: true,
    lines: ['set msl = 1s', 'set msl = 2s'],
    severity: 'warning',
    covers: 'msl',
    message: /already set on line 1/,
  },
  {
    code: 'unknown-option',
    alone: true,
    lines: ['set time-wait = 0'],
    covers: 'time-wait',
    message: /did you mean `time_wait`/,
  },
  { code: 'invalid-value', alone: true, lines: ['set rfc1337 = true'], covers: 'true', message: /did you mean `on`/ },
  {
    code: 'invalid-value',
    alone: true,
    lines: ['set isn = clk'],
    covers: 'clk',
    message: /`fixed` or `clock`.*did you mean `clock`/,
  },
  { code: 'invalid-value', alone: true, lines: ['set mss = 1.5'], covers: '1.5', message: /whole number/ },
  { code: 'value-out-of-range', alone: true, lines: ['set rto = 0'], covers: '0', message: /greater than 0/ },
  { code: 'value-out-of-range', alone: true, lines: ['set max_retries = 1001'], covers: '1001', message: /0 to 1000/ },
  { code: 'value-out-of-range', alone: true, lines: ['set mss = 0'], covers: '0', message: /1 to 65535/ },
  {
    code: 'value-out-of-range',
    lines: ['endpoint x 10.0.0.9:65536', '0ms x listen'],
    covers: '10.0.0.9:65536',
    message: /1 to 65535/,
  },
  {
    code: 'value-out-of-range',
    lines: ['endpoint x 10.0.0.9:9 isn=4294967296', '0ms x listen'],
    covers: '4294967296',
    message: /0 to 4294967295/,
  },
  { code: 'value-out-of-range', lines: ['endpoint x 10.0.0.9:9 window=65536', '0ms x listen'], covers: '65536' },
  { code: 'value-out-of-range', lines: ['1s net drop * count 0'], covers: '0' },
  { code: 'value-out-of-range', lines: ['1s net drop segment 0'], covers: '0' },
  { code: 'value-out-of-range', lines: ['1s client send ""'], covers: '""', message: /sends nothing/ },
  { code: 'value-out-of-range', lines: ['1s net drop * seq=4294967296'], covers: '4294967296' },
  { code: 'missing-unit', lines: ['250 client close'], covers: '250', message: /`250ms` or `250s`/ },
  { code: 'missing-unit', alone: true, lines: ['set latency = 20'], covers: '20', message: /`20ms`/ },
  { code: 'missing-unit', lines: ['1s net delay * by 100'], covers: '100' },
  { code: 'reserved-name', lines: ['endpoint net 10.0.0.9:9'], covers: 'net', message: /keyword/ },
  {
    code: 'missing-port',
    lines: ['endpoint x 10.0.0.9', '0ms x listen'],
    covers: '10.0.0.9',
    message: /`10\.0\.0\.9:PORT`/,
  },
  {
    code: 'unknown-endpoint-option',
    lines: ['endpoint x 10.0.0.9:9 resue', '0ms x listen'],
    covers: 'resue',
    message: /did you mean `reuse`/,
  },
  {
    code: 'unknown-endpoint-option',
    lines: ['endpoint x 10.0.0.9:9 ISN=5', '0ms x listen'],
    covers: 'ISN',
    message: /did you mean `isn=`/,
  },
  {
    code: 'duplicate-option',
    lines: ['endpoint x 10.0.0.9:9 isn=1 isn=2', '0ms x listen'],
    covers: 'isn',
    message: /twice/,
  },
  { code: 'duplicate-option', lines: ['variant "v" msl = 1s, msl = 2s'], covers: 'msl' },
  { code: 'duplicate-option', lines: ['1s net drop * count 2 all'], covers: 'all' },
  {
    code: 'duplicate-endpoint',
    lines: ['endpoint client 10.0.0.3:1'],
    covers: 'client',
    message: /already declared on line 1/,
  },
  {
    code: 'duplicate-variant',
    lines: ['variant "v" msl = 1s', 'variant "v" msl = 2s'],
    covers: '"v"',
    message: /already declared on line 5/,
  },
  {
    code: 'duplicate-variant',
    lines: ['variant "default" msl = 1s'],
    covers: '"default"',
    message: /without overrides/,
  },
  {
    code: 'duplicate-link',
    lines: ['link client server latency 1ms', 'link server client latency 2ms'],
    covers: 'link server client latency 2ms',
  },
  { code: 'link-to-self', lines: ['link client client latency 1ms'], covers: 'client client' },
  {
    code: 'connect-to-self',
    lines: ['1s client connect client'],
    covers: 'client',
    message: /cannot connect to itself/,
  },
  { code: 'self-direction', lines: ['1s net drop client->client'], covers: 'client->client' },
  {
    code: 'unknown-endpoint',
    lines: ['1s clinet close'],
    covers: 'clinet',
    message: /unknown endpoint `clinet`; did you mean `client`\?/,
  },
  {
    code: 'unknown-endpoint',
    lines: ['1s client connect zed'],
    covers: 'zed',
    message: /declare it with `endpoint zed ADDRESS:PORT`/,
  },
  { code: 'unknown-endpoint', lines: ['link client ghost latency 1ms'], covers: 'ghost' },
  { code: 'unknown-endpoint', lines: ['on ghost CLOSED client close'], covers: 'ghost' },
  { code: 'unknown-endpoint', lines: ['expect ghost CLOSED'], covers: 'ghost' },
  { code: 'unknown-endpoint', lines: ['1s net drop ghost->server'], covers: 'ghost' },
  {
    code: 'unknown-variant',
    lines: ['variant "no TIME_WAIT" time_wait = 0', 'expect no hazards in "no TIME-WAIT"'],
    covers: '"no TIME-WAIT"',
    message: /did you mean "no TIME_WAIT"/,
  },
  {
    code: 'unknown-verb',
    lines: ['1s client Listen'],
    covers: 'Listen',
    message: /unknown verb `Listen`; did you mean `listen`\?/,
  },
  { code: 'unknown-verb', lines: ['1s client conect server'], covers: 'conect', message: /did you mean `connect`/ },
  {
    code: 'unknown-state',
    lines: ['on client FIN_WAIT1 client close'],
    covers: 'FIN_WAIT1',
    message: /unknown state `FIN_WAIT1`; did you mean `FIN_WAIT_1`\?/,
  },
  {
    code: 'unknown-state',
    lines: ['expect client ESTABLISH'],
    covers: 'ESTABLISH',
    message: /did you mean `ESTABLISHED`/,
  },
  { code: 'unknown-rule', lines: ['1s net dorp * SYN'], covers: 'dorp', message: /did you mean `drop`/ },
  { code: 'unknown-match', lines: ['1s net drop * SYNN'], covers: 'SYNN', message: /did you mean `SYN`/ },
  { code: 'unknown-match', lines: ['1s net drop * ACK by 10ms'], covers: 'by', message: /does not belong to `drop`/ },
  { code: 'unknown-match', lines: ['1s net duplicate * ACK by 10ms'], covers: 'by', message: /did you mean `after`/ },
  { code: 'unknown-flag', lines: ['1s net inject client->server RTS'], covers: 'RTS', message: /did you mean `RST`/ },
  {
    code: 'unknown-error-code',
    lines: ['expect client error ECONNREFUSD'],
    covers: 'ECONNREFUSD',
    message: /did you mean `ECONNREFUSED`/,
  },
  {
    code: 'unknown-error-code',
    lines: ['expect client error eaddrinuse'],
    covers: 'eaddrinuse',
    message: /did you mean `EADDRINUSE`/,
  },
  {
    code: 'unknown-hazard',
    lines: ['expect hazard old_duplicate'],
    covers: 'old_duplicate',
    message: /did you mean `old-duplicate`/,
  },
  { code: 'unknown-hazard', lines: ['expect no hazard reset'], covers: 'reset', message: /did you mean `reset-close`/ },
  {
    code: 'empty-variant',
    lines: ['variant "plain"'],
    severity: 'warning',
    covers: '"plain"',
    message: /runs exactly like "default"/,
  },
  { code: 'never-matches', lines: ['1s net drop * pure-ack data'], severity: 'warning', covers: 'pure-ack' },
  { code: 'never-matches', lines: ['1s net drop * SYN pure-ack'], severity: 'warning' },
  {
    code: 'unused-endpoint',
    lines: ['endpoint spare 10.0.0.3:1'],
    severity: 'warning',
    covers: 'spare',
    message: /never used/,
  },
  {
    code: 'unused-endpoint',
    lines: ['endpoint spare 10.0.0.3:1', 'link spare server latency 1ms'],
    severity: 'warning',
    covers: 'spare',
  },
  {
    code: 'trigger-never-fires',
    lines: ['endpoint idle 10.0.0.3:1', 'on idle ESTABLISHED client close'],
    severity: 'warning',
    covers: 'idle',
    message: /never calls `listen` or `connect`/,
  },
  {
    code: 'trigger-never-fires',
    lines: ['on client LISTEN client close'],
    severity: 'warning',
    covers: 'client',
    message: /never calls `listen`/,
  },
  {
    code: 'trigger-never-fires',
    lines: ['on server SYN_SENT server close'],
    severity: 'warning',
    covers: 'server',
    message: /never calls `connect`/,
  },
  {
    code: 'trigger-never-fires',
    lines: ['on client syn-received client close'],
    severity: 'warning',
    covers: 'client',
    message: /never receives a SYN/,
  },
];

function textOf(c: Case): string {
  return (c.alone ? c.lines : [...BASE, ...c.lines]).join('\n');
}

function covered(text: string, d: Diagnostic): string {
  const lines = text.split('\n');
  assert.equal(d.range.start.line, d.range.end.line, 'one-line range');
  return lines[d.range.start.line]!.slice(d.range.start.character, d.range.end.character);
}

describe('parser diagnostics', () => {
  for (const c of CASES) {
    it(`${c.code}: ${c.lines[c.lines.length - 1]}`, () => {
      const text = textOf(c);
      const { diagnostics } = parse(text);
      const found = diagnostics.filter((d) => d.code === c.code);
      assert.ok(
        found.length >= 1,
        `expected ${c.code}, got ${JSON.stringify(diagnostics.map((d) => `${d.code}: ${d.message}`))}`,
      );
      const d = found[0]!;
      assert.equal(d.severity, c.severity ?? 'error');
      if (c.covers !== undefined) assert.equal(covered(text, d), c.covers);
      if (c.message) assert.match(d.message, c.message);
      // The faulty line (the last one) is reported there; nothing else in BASE is reported.
      assert.ok(
        diagnostics.every(
          (x) =>
            x.range.start.line >= (c.alone ? 0 : BASE.length) ||
            x.code === 'unused-endpoint' ||
            x.code === 'duplicate-endpoint',
        ),
        JSON.stringify(diagnostics),
      );
    });
  }

  it('covers every code the parser can report', () => {
    const tested = new Set(CASES.map((c) => c.code));
    const missing = Object.keys(PARSER_DIAGNOSTIC_CODES).filter(
      (code) => code !== 'internal-error' && !tested.has(code),
    );
    assert.deepEqual(missing, []);
  });

  it('the base scenario has no diagnostic', () => {
    assert.deepEqual(parse(BASE.join('\n')).diagnostics, []);
  });

  it('leaves a statement with an error out of the scenario and keeps the valid ones', () => {
    const { scenario, diagnostics } = parse(
      [
        ...BASE,
        '1s client clos',
        '2s client close',
        'on client FIN_WAIT1 server close',
        'expect client error ENOPE',
        'expect client CLOSED',
      ].join('\n'),
    );
    assert.equal(diagnostics.filter((d) => d.severity === 'error').length, 3);
    assert.deepEqual(
      scenario.events.map((e) => [e.id, e.kind, e.range.start.line]),
      [
        [0, 'call', 2],
        [1, 'call', 3],
        [2, 'call', 5],
        [3, 'expect', 8],
      ],
    );
  });

  it('reports every error of the file in one pass, several on one line where they are independent', () => {
    const text = [
      'title "a"',
      'title "b"',
      'endpoint a 10.0.0.1:1',
      'endpoint a 10.0.0.2:1',
      '0ms a Listen',
      '1s b connect c',
      'on a FIN_WAIT1 a close',
      'expect a error EFOO in "x"',
      'set msl = 1s',
      'link a a latency 5',
    ].join('\n');
    const { diagnostics, scenario } = parse(text);
    const codes = diagnostics.map((d) => `${d.range.start.line}:${d.code}`).sort();
    assert.deepEqual(codes, [
      '1:duplicate-title',
      '3:duplicate-endpoint',
      '4:unknown-verb',
      '5:unknown-endpoint',
      '5:unknown-endpoint',
      '6:unknown-state',
      '7:unknown-error-code',
      '7:unknown-variant',
      '8:set-after-event',
      '9:link-to-self',
      '9:missing-unit',
    ]);
    assert.equal(scenario.title?.value, 'a');
    assert.equal(scenario.endpoints.length, 1);
    assert.equal(scenario.events.length, 0);
  });

  it('does not report an endpoint declared after its use, nor cascade from a faulty declaration', () => {
    const late = parse(['0ms b listen', '1s a connect b', 'endpoint a 10.0.0.1:1', 'endpoint b 10.0.0.2:2'].join('\n'));
    assert.deepEqual(late.diagnostics, []);
    const faulty = parse(
      ['endpoint a 10.0.0.1:99999', 'endpoint b 10.0.0.2:2', '0ms b listen', '1s a connect b'].join('\n'),
    );
    assert.deepEqual(
      faulty.diagnostics.map((d) => d.code),
      ['value-out-of-range'],
    );
    assert.equal(faulty.scenario.endpoints.length, 1);
  });

  it('does not warn about absolute times out of order', () => {
    assert.deepEqual(
      parse([...BASE, '5s client close', '1s client send 10', '3s expect client ESTABLISHED'].join('\n')).diagnostics,
      [],
    );
  });

  it('does not warn about triggers that can fire', () => {
    const text = [
      ...BASE,
      'on server LISTEN server close',
      'on client SYN_SENT client abort',
      'on server SYN_RECEIVED server close',
      'on client TIME_WAIT net drop * ACK',
      'on server CLOSED expect no hazards',
    ].join('\n');
    assert.deepEqual(parse(text).diagnostics, []);
    // A connector that is connected to (simultaneous open) can enter SYN_RECEIVED.
    const simultaneous = [
      'endpoint a 10.0.0.1:1',
      'endpoint b 10.0.0.2:2',
      '0ms a connect b',
      '0ms b connect a',
      'on a SYN_RECEIVED a close',
    ].join('\n');
    assert.deepEqual(parse(simultaneous).diagnostics, []);
  });

  it('a line of junk is one diagnostic, and a statement with a lexical error is left out', () => {
    const { diagnostics, scenario } = parse(
      [...BASE, '1s client send "abc', '§§§§ ¤¤¤ 😀😀', '1s client send 1.2x'].join('\n'),
    );
    assert.deepEqual(
      diagnostics.map((d) => [d.range.start.line, d.code]),
      [
        [4, 'unterminated-string'],
        [5, 'invalid-character'],
        [6, 'invalid-duration'],
      ],
    );
    assert.match(diagnostics[1]!.message, /unexpected character `§` \(and 2 more stray runs/);
    assert.equal(scenario.events.length, 2);
  });

  it('suggests the verb for a case mistake and keywords for a misspelling', () => {
    const m = (line: string) => parse([...BASE, line].join('\n')).diagnostics[0]?.message ?? '';
    assert.match(m('1s client CLOSE'), /did you mean `close`/);
    assert.match(m('1s client shutdwn'), /did you mean `shutdown`/);
    assert.match(m('Expect client CLOSED'), /did you mean `expect`/);
    assert.match(m('varient "x"'), /did you mean `variant`/);
    assert.match(m('1s client explode'), /verbs: listen, connect, send, close, shutdown, abort/);
  });
});
