// Every statement form of the spec parses into the AST it means; the shared examples parse
// cleanly; big and hostile inputs stay fast and never throw.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { CallStmt, ExpectStmt, NetStmt, Scenario } from '../../src/core/ast';
import { parse, utf8Length } from '../../src/core/parser';
import { doesNotHang } from './helpers/doesNotHang';
import { examplePath, SHARED_EXAMPLE_NAMES } from './helpers/examples';
import { faultyMegabyte, LONG_PARSE_LINES, validMegabyte } from '../fixtures/bigInputs';

const PRELUDE = [
  'endpoint client 10.0.0.1:5000',
  'endpoint server 10.0.0.2:80',
  '0ms server listen',
  '10ms client connect server',
];

/** Parses PRELUDE + lines, asserts no diagnostic, and returns the scenario. */
function clean(...lines: string[]): Scenario {
  const { scenario, diagnostics } = parse([...PRELUDE, ...lines].join('\n'));
  assert.deepEqual(diagnostics, [], JSON.stringify(diagnostics));
  return scenario;
}
const lastEvent = (s: Scenario) => s.events[s.events.length - 1]!;
const lastCall = (s: Scenario) => lastEvent(s) as CallStmt;
const lastNet = (s: Scenario) => (lastEvent(s) as NetStmt).rule;
const lastExpect = (s: Scenario) => lastEvent(s) as ExpectStmt;

describe('parse: declarations', () => {
  it('title, with escapes and ranges', () => {
    const s = parse('title "A \\"quoted\\" \\\\ title" # c\n').scenario;
    assert.equal(s.title?.value, 'A "quoted" \\ title');
    assert.deepEqual(s.title?.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 29 } });
    assert.equal(s.statements[0]!.kind, 'title');
    assert.equal(s.lineCount, 2);
  });

  it('set of every option, to numbers in ms, booleans and modes', () => {
    const s = parse(
      [
        'set msl = 2s',
        'set time_wait = 0',
        'set latency=20ms',
        'set rto = 500ms',
        'set max_retries = 3',
        'set mss = 536',
        'set delayed_ack = 40ms',
        'set rfc1337 = on',
        'set challenge_ack = off',
        'set isn = clock',
        'set duration = 1min',
      ].join('\n'),
    );
    assert.deepEqual(s.diagnostics, []);
    assert.deepEqual(
      s.scenario.settings.map((x) => [x.name.value, x.value.value]),
      [
        ['msl', 2000],
        ['time_wait', 0],
        ['latency', 20],
        ['rto', 500],
        ['max_retries', 3],
        ['mss', 536],
        ['delayed_ack', 40],
        ['rfc1337', true],
        ['challenge_ack', false],
        ['isn', 'clock'],
        ['duration', 60000],
      ],
    );
    const first = s.scenario.settings[0]!;
    assert.deepEqual(first.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 12 } });
    assert.deepEqual(first.value.range, { start: { line: 0, character: 10 }, end: { line: 0, character: 12 } });
  });

  it('endpoint with IPv4, IPv6, isn, window, reuse, and a shared address', () => {
    const s = parse(
      [
        'endpoint client 10.0.0.1:5000 isn=4294967295 window=0',
        'endpoint server [fd00::1]:80 reuse',
        'endpoint passerby 10.0.0.1:5000 reuse isn=7',
        '0ms server listen',
        '0ms client connect server',
        '1s passerby connect server',
      ].join('\n'),
    );
    assert.deepEqual(s.diagnostics, []);
    const [c, v6, p] = s.scenario.endpoints;
    assert.deepEqual(
      [c!.name.value, c!.address, c!.port, c!.isn, c!.window, c!.reuse, c!.index],
      ['client', '10.0.0.1', 5000, 4294967295, 0, false, 0],
    );
    assert.deepEqual(
      [v6!.address, v6!.port, v6!.isn, v6!.window, v6!.reuse, v6!.index],
      ['fd00::1', 80, null, null, true, 1],
    );
    assert.deepEqual([p!.address, p!.port, p!.isn, p!.reuse, p!.index], ['10.0.0.1', 5000, 7, true, 2]);
    assert.deepEqual(c!.name.range, { start: { line: 0, character: 9 }, end: { line: 0, character: 15 } });
  });

  it('link between two endpoints', () => {
    const s = clean('link client server latency 1.5s');
    assert.deepEqual(
      s.links.map((l) => [l.a.value, l.b.value, l.latency]),
      [['client', 'server', 1500]],
    );
  });

  it('variant with none, one and several overrides', () => {
    const { scenario: s, diagnostics } = parse(
      [
        ...PRELUDE,
        'variant "plain"',
        'variant "no TIME_WAIT" time_wait = 0',
        'variant "strict" rfc1337 = on, challenge_ack = off ,msl=1s',
      ].join('\n'),
    );
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['empty-variant'],
    );
    assert.deepEqual(
      s.variants.map((v) => [v.label.value, v.overrides.map((o) => [o.name.value, o.value.value])]),
      [
        ['plain', []],
        ['no TIME_WAIT', [['time_wait', 0]]],
        [
          'strict',
          [
            ['rfc1337', true],
            ['challenge_ack', false],
            ['msl', 1000],
          ],
        ],
      ],
    );
  });
});

describe('parse: when', () => {
  it('absolute times in every unit, `0` alone', () => {
    const s = clean(
      '250ms client close',
      '1.5s client close',
      '2min client close',
      '10us client close',
      '0 client close',
    );
    assert.deepEqual(
      s.events.slice(2).map((e) => (e.when.kind === 'at' ? [e.when.t, e.when.relative] : null)),
      [
        [250, false],
        [1500, false],
        [120000, false],
        [0.01, false],
        [0, false],
      ],
    );
  });

  it('relative times add to the previous timed line; triggers and `expect` without time do not count', () => {
    const { scenario, diagnostics } = parse(
      [
        'endpoint a 10.0.0.1:1',
        'endpoint b 10.0.0.2:2',
        '+100ms b listen',
        '+ 50ms a connect b',
        'on a ESTABLISHED a send 5',
        'expect a ESTABLISHED',
        '1s a send 1',
        '+1s a close',
        '500ms expect a FIN_WAIT_1',
        '+0.5s expect a FIN_WAIT_2',
      ].join('\n'),
    );
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      scenario.events.map((e) => (e.when.kind === 'at' ? `${e.when.t}${e.when.relative ? 'r' : ''}` : e.when.kind)),
      ['100r', '150r', 'on', 'end', '1000', '2000r', '500', '1000r'],
    );
  });

  it('on ENDPOINT STATE [+DURATION], states in any case and with - or _', () => {
    const s = clean(
      'on client fin-wait-1 client abort',
      'on server Close_Wait +10ms server close',
      'on client TIME_WAIT net drop client->server ACK',
    );
    const whens = s.events.slice(2).map((e) => e.when);
    assert.deepEqual(
      whens.map((w) => (w.kind === 'on' ? [w.endpoint.value, w.state.value, w.delay] : null)),
      [
        ['client', 'FIN_WAIT_1', 0],
        ['server', 'CLOSE_WAIT', 10],
        ['client', 'TIME_WAIT', 0],
      ],
    );
    assert.deepEqual(whens[1]!.range, { start: { line: 5, character: 0 }, end: { line: 5, character: 26 } });
  });
});

describe('parse: calls', () => {
  it('listen, connect, close, shutdown, abort', () => {
    const s = clean('1s client close', '1s client shutdown', '1s server abort');
    const verbs = s.events.map((e) => (e as CallStmt).verb.value);
    assert.deepEqual(verbs, ['listen', 'connect', 'close', 'shutdown', 'abort']);
    const connect = s.events[1] as CallStmt;
    assert.equal(connect.peer?.value, 'server');
    assert.equal(connect.actor.value, 'client');
    assert.deepEqual(connect.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 26 } });
    assert.equal(connect.id, 1);
  });

  it('send N and send "TEXT" (bytes = UTF-8 length)', () => {
    assert.deepEqual(
      [lastCall(clean('1s client send 1200')).bytes, lastCall(clean('1s client send 1200')).text],
      [1200, null],
    );
    const t = lastCall(clean('1s client send "GET / HTTP/1.0"'));
    assert.deepEqual([t.bytes, t.text], [14, 'GET / HTTP/1.0']);
    const u = lastCall(clean('1s client send "é😀\\"" # 2 + 4 + 1'));
    assert.deepEqual([u.bytes, u.text], [7, 'é😀"']);
    assert.equal(utf8Length('\ud800'), 3);
    assert.equal(utf8Length('aאб€😀'), 1 + 2 + 2 + 3 + 4);
  });
});

describe('parse: net rules', () => {
  it('drop with direction, flags in any case, data, pure-ack, seq=, ack=, count', () => {
    const r = lastNet(clean('1s net drop client->server syn Ack data seq=5 ack=4294967295 count 3'));
    assert.deepEqual(r, {
      kind: 'drop',
      dir: r.kind === 'drop' && r.dir.kind === 'between' ? r.dir : { kind: 'any' },
      match: { flags: ['SYN', 'ACK'], data: true, pureAck: false, seq: 5, ack: 4294967295 },
      count: 3,
    });
    assert.ok(
      r.kind === 'drop' && r.dir.kind === 'between' && r.dir.from.value === 'client' && r.dir.to.value === 'server',
    );
    const p = lastNet(clean('1s net drop server -> client pure-ack all'));
    assert.ok(p.kind === 'drop' && p.match.pureAck && p.count === 'all' && p.match.flags.length === 0);
    const any = lastNet(clean('1s net drop *'));
    assert.ok(any.kind === 'drop' && any.dir.kind === 'any' && any.count === 1);
  });

  it('delay by DURATION, in any order with count', () => {
    const r = lastNet(clean('300ms net delay server->client data by 3s'));
    assert.ok(r.kind === 'delay' && r.by === 3000 && r.count === 1 && r.match.data);
    const r2 = lastNet(clean('300ms net delay * count 2 by 10ms'));
    assert.ok(r2.kind === 'delay' && r2.by === 10 && r2.count === 2);
  });

  it('duplicate with and without after', () => {
    const r = lastNet(clean('1s net duplicate * FIN after 200ms all'));
    assert.ok(r.kind === 'duplicate' && r.after === 200 && r.count === 'all' && r.match.flags[0] === 'FIN');
    const r2 = lastNet(clean('1s net duplicate client->server'));
    assert.ok(r2.kind === 'duplicate' && r2.after === null && r2.count === 1);
  });

  it('drop segment N', () => {
    const r = lastNet(clean('0 net drop segment 3'));
    assert.ok(r.kind === 'drop-segment' && r.n.value === 3);
    assert.deepEqual(r.n.range, { start: { line: 4, character: 19 }, end: { line: 4, character: 20 } });
  });

  it('inject with flags in trace order, seq, ack (ack alone is the flag), len', () => {
    const r = lastNet(clean('2s net inject server->client ack rst seq=100 ack=7 len=10'));
    assert.deepEqual(r.kind === 'inject' ? [r.from.value, r.to.value, r.flags, r.seq, r.ack, r.len] : null, [
      'server',
      'client',
      ['RST', 'ACK'],
      100,
      7,
      10,
    ]);
    const r2 = lastNet(clean('2s net inject client->server SYN'));
    assert.deepEqual(r2.kind === 'inject' ? [r2.flags, r2.seq, r2.ack, r2.len] : null, [['SYN'], null, null, null]);
  });
});

describe('parse: expectations', () => {
  it('every assertion form, with and without WHEN and variant', () => {
    const s = clean(
      'variant "v" msl = 1s',
      '50ms expect client ESTABLISHED',
      'expect client error EADDRINUSE in "v"',
      'expect hazard old-duplicate in "default"',
      'expect no hazards',
      'expect   no  hazard   reset-close   # why',
      'on client closed expect client closed',
    );
    const ex = s.events.slice(2) as ExpectStmt[];
    assert.deepEqual(
      ex.map((e) => [e.when.kind, e.assertion.kind, e.variant?.value ?? null, e.text]),
      [
        ['at', 'state', null, 'expect client ESTABLISHED'],
        ['end', 'error', 'v', 'expect client error EADDRINUSE'],
        ['end', 'hazard', 'default', 'expect hazard old-duplicate'],
        ['end', 'no-hazards', null, 'expect no hazards'],
        ['end', 'no-hazard', null, 'expect no hazard reset-close'],
        ['on', 'state', null, 'expect client closed'],
      ],
    );
    const a0 = ex[0]!.assertion;
    assert.ok(a0.kind === 'state' && a0.state.value === 'ESTABLISHED' && a0.endpoint.value === 'client');
    const a1 = ex[1]!.assertion;
    assert.ok(a1.kind === 'error' && a1.code.value === 'EADDRINUSE');
    const a4 = ex[4]!.assertion;
    assert.ok(a4.kind === 'no-hazard' && a4.hazard.value === 'reset-close');
    // An `expect` without WHEN starts its range at `expect`.
    assert.deepEqual(ex[1]!.range, { start: { line: 6, character: 0 }, end: { line: 6, character: 37 } });
    assert.equal(lastExpect(s).assertion.kind, 'state');
  });
});

describe('parse: the shared examples', () => {
  const files = [...SHARED_EXAMPLE_NAMES];
  const parsed = new Map(files.map((f) => [f, parse(readFileSync(examplePath(f), 'utf8'))]));

  it('all three parse with no diagnostic at all', () => {
    assert.equal(files.length, 3);
    for (const [f, r] of parsed) assert.deepEqual(r.diagnostics, [], f);
  });

  it('handshake-and-close: facts', () => {
    const s = parsed.get('handshake-and-close.tcpscn')!.scenario;
    assert.equal(s.title?.value, 'Handshake, data and close');
    assert.deepEqual(
      s.settings.map((x) => [x.name.value, x.value.value]),
      [
        ['msl', 1000],
        ['latency', 20],
      ],
    );
    assert.deepEqual(
      s.endpoints.map((e) => [e.name.value, e.address, e.port, e.isn]),
      [
        ['client', '192.168.1.10', 49152, 1000],
        ['server', '192.168.1.20', 443, 5000],
      ],
    );
    assert.equal(s.events.length, 17);
    const trigger = s.events[5]!;
    assert.ok(
      trigger.kind === 'call' &&
        trigger.when.kind === 'on' &&
        trigger.when.state.value === 'CLOSE_WAIT' &&
        trigger.when.delay === 10 &&
        trigger.verb.value === 'close',
    );
    const at = s.events.filter((e) => e.when.kind === 'at').map((e) => (e.when.kind === 'at' ? e.when.t : -1));
    assert.deepEqual(at, [0, 0, 100, 150, 300, 50, 50, 70, 345, 345, 400, 2300, 2400]);
    assert.equal(s.events.filter((e) => e.when.kind === 'end').length, 3);
  });

  it('time-wait-lost-final-ack: the trigger arms a drop of the final ACK; variants', () => {
    const s = parsed.get('time-wait-lost-final-ack.tcpscn')!.scenario;
    const net = s.events.find((e) => e.kind === 'net')!;
    assert.ok(
      net.kind === 'net' &&
        net.when.kind === 'on' &&
        net.when.state.value === 'TIME_WAIT' &&
        net.rule.kind === 'drop' &&
        net.rule.match.flags.join() === 'ACK',
    );
    assert.deepEqual(
      s.variants.map((v) => [v.label.value, v.overrides[0]!.name.value, v.overrides[0]!.value.value]),
      [['no TIME_WAIT', 'time_wait', 0]],
    );
    const send = s.events.find((e) => e.kind === 'call' && e.verb.value === 'send');
    assert.ok(send?.kind === 'call' && send.bytes === 14 && send.text === 'GET / HTTP/1.0');
    const variantsOfExpects = s.events
      .filter((e) => e.kind === 'expect')
      .map((e) => (e.kind === 'expect' ? e.variant?.value : null));
    assert.deepEqual(variantsOfExpects, ['default', 'default', 'no TIME_WAIT']);
  });

  it('time-wait-old-duplicate: three endpoints, two share an address; expectation texts', () => {
    const s = parsed.get('time-wait-old-duplicate.tcpscn')!.scenario;
    assert.deepEqual(
      s.endpoints.map((e) => `${e.name.value}@${e.address}:${e.port}`),
      ['client@10.0.0.1:5000', 'server@10.0.0.2:80', 'passerby@10.0.0.1:5000'],
    );
    const texts = s.events.filter((e) => e.kind === 'expect').map((e) => (e.kind === 'expect' ? e.text : ''));
    assert.deepEqual(texts, [
      'expect passerby error EADDRINUSE',
      'expect no hazard old-duplicate',
      'expect hazard time-wait-assassination',
      'expect passerby ESTABLISHED',
      'expect hazard old-duplicate',
    ]);
    const delay = s.events.find((e) => e.kind === 'net');
    assert.ok(
      delay?.kind === 'net' &&
        delay.rule.kind === 'delay' &&
        delay.rule.by === 3000 &&
        delay.rule.match.data &&
        delay.when.kind === 'at' &&
        delay.when.t === 300,
    );
    // Line numbers of expectations are what the trace reports (1-based there).
    const first = s.events.find((e) => e.kind === 'expect')!;
    assert.equal(first.range.start.line + 1, 25);
  });

  it('parses the same with CRLF line endings', () => {
    for (const f of files) {
      const lf = readFileSync(examplePath(f), 'utf8');
      const crlf = parse(lf.replace(/\n/g, '\r\n'));
      assert.deepEqual(crlf.diagnostics, []);
      assert.deepEqual(crlf.scenario, parsed.get(f)!.scenario);
    }
  });
});

// Speed (1 MB in under 700 ms, a 100 000-character line in under 500 ms) is a target of the
// benchmark (bench/hotspots.ts): a timing bound here would fail on a loaded machine.
describe('parse: robustness on big input', () => {
  it('parses a 1 MB, 30 000-line file: every event, no diagnostic', () => {
    const text = validMegabyte();
    assert.ok(text.length > 1_000_000, `${text.length}`);
    const { scenario, diagnostics } = doesNotHang('parsing 1 MB', () => parse(text));
    assert.deepEqual(diagnostics, []);
    assert.equal(scenario.events.length, 30_000 - 4);
  });

  it('a 1 MB file of errors: one diagnostic per line', () => {
    const text = faultyMegabyte();
    const { diagnostics } = doesNotHang('parsing 1 MB of errors', () => parse(text));
    assert.equal(diagnostics.length, 30_000);
  });

  it('100 000-character lines of every kind parse (no hang) and keep ranges inside the line', () => {
    for (const line of LONG_PARSE_LINES) {
      // A quadratic scan of 100 000 characters would take tens of seconds.
      const { diagnostics } = doesNotHang(`parsing ${line.slice(0, 20)}`, () => parse(line));
      for (const d of diagnostics) {
        assert.equal(d.range.start.line, 0);
        assert.ok(
          d.range.start.character >= 0 &&
            d.range.start.character <= d.range.end.character &&
            d.range.end.character <= line.length,
        );
        assert.ok(d.message.length < 1000, 'messages quote long words shortened');
      }
    }
  });

  it('never throws on hostile text and keeps ranges inside it', () => {
    const inputs = [
      '',
      '\n',
      '\r\n\r\n',
      '\r',
      '\u0000',
      '\uffff\ud800',
      '"',
      '#',
      '+',
      '->',
      '=',
      'on',
      'on x',
      'expect',
      'net',
      '0ms net',
      '0ms net inject',
      'endpoint',
      'variant',
      'set',
      'set msl',
      'set msl =',
      'link a',
      '\u200f\u05e9\u05dc\u05d5\u05dd 0ms',
      'title "\u202e"',
    ];
    for (const text of inputs) {
      const { diagnostics, scenario } = parse(text);
      const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
      assert.equal(scenario.lineCount, lines.length);
      for (const d of diagnostics) {
        const l = lines[d.range.start.line];
        assert.ok(l !== undefined, text);
        assert.ok(
          d.range.end.character <= l.length && d.range.start.character <= d.range.end.character,
          `${JSON.stringify(text)}: ${JSON.stringify(d)}`,
        );
      }
    }
  });
});
