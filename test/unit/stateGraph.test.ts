// The state graph as data (src/core/sim/stateGraph.ts): it holds RFC 9293 figure 5 exactly,
// plus the edges beyond it that this test lists on its own; every edge is taken by some example
// or per-state fixture, except those the table itself says are never taken (and those are
// indeed never taken); a move outside the table is reported as an internal-error diagnostic.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from '../../src/core/parser';
import { simulate, variantLabels, type SimObserver } from '../../src/core/sim/simulate';
import { STATE_GRAPH, StateGraph, type StateEdge } from '../../src/core/sim/stateGraph';
import { DEFAULT_LIMITS, TCP_STATES, type TcpState } from '../../src/core/types';
import { BASE, run, scenarioOf, STATE_FIXTURES } from './simBuild';

const key = (e: { from: TcpState; event: string; to: TcpState }): string => `${e.from} --${e.event}--> ${e.to}`;

// RFC 9293 figure 5, copied edge by edge from the figure (label "event / action").
const FIGURE_5 = [
  'CLOSED --passive-open--> LISTEN', // passive OPEN / create TCB
  'CLOSED --active-open--> SYN_SENT', // active OPEN / create TCB, snd SYN
  'LISTEN --close--> CLOSED', // CLOSE / delete TCB
  'LISTEN --rcv-syn--> SYN_RECEIVED', // rcv SYN / snd SYN,ACK
  'LISTEN --send--> SYN_SENT', // SEND / snd SYN
  'SYN_RECEIVED --rcv-rst--> LISTEN', // rcv RST (note 1)
  'SYN_SENT --close--> CLOSED', // CLOSE / delete TCB
  'SYN_SENT --rcv-syn--> SYN_RECEIVED', // rcv SYN / snd SYN,ACK
  'SYN_SENT --rcv-syn-ack--> ESTABLISHED', // rcv SYN,ACK / snd ACK
  'SYN_RECEIVED --rcv-ack-of-syn--> ESTABLISHED', // rcv ACK of SYN
  'SYN_RECEIVED --close--> FIN_WAIT_1', // CLOSE / snd FIN
  'ESTABLISHED --close--> FIN_WAIT_1', // CLOSE / snd FIN
  'ESTABLISHED --rcv-fin--> CLOSE_WAIT', // rcv FIN / snd ACK
  'FIN_WAIT_1 --rcv-ack-of-fin--> FIN_WAIT_2', // rcv ACK of FIN
  'FIN_WAIT_1 --rcv-fin--> CLOSING', // rcv FIN / snd ACK
  'CLOSE_WAIT --close--> LAST_ACK', // CLOSE / snd FIN
  'FIN_WAIT_2 --rcv-fin--> TIME_WAIT', // rcv FIN / snd ACK
  'CLOSING --rcv-ack-of-fin--> TIME_WAIT', // rcv ACK of FIN
  'LAST_ACK --rcv-ack-of-fin--> CLOSED', // rcv ACK of FIN
  'TIME_WAIT --time-wait-timeout--> CLOSED', // Timeout=2MSL / delete TCB
];

const SYNCHRONIZED: TcpState[] = [
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
];

// What the RFC's text adds to the figure, and the model's own edges.
const BEYOND = [
  'FIN_WAIT_1 --rcv-fin--> TIME_WAIT', // 3.10.7.4 eighth step, our FIN already acknowledged
  'SYN_RECEIVED --rcv-fin--> CLOSE_WAIT', // 3.10.7.4 eighth step
  'SYN_SENT --rcv-rst--> CLOSED', // 3.10.7.3 second step
  'SYN_RECEIVED --rcv-rst--> CLOSED', // 3.10.7.4 second step (the accepted TCB of note 1, or refused)
  ...SYNCHRONIZED.map((s) => `${s} --rcv-rst--> CLOSED`), // 3.10.7.4 second step
  'SYN_RECEIVED --rcv-syn-in-window--> CLOSED', // 3.10.7.4 fourth step
  ...SYNCHRONIZED.map((s) => `${s} --rcv-syn-in-window--> CLOSED`), // RFC 793 reset, challenge_ack off
  ...['LISTEN', 'SYN_SENT', 'SYN_RECEIVED', ...SYNCHRONIZED].map((s) => `${s} --abort--> CLOSED`), // 3.10.5
  ...['SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK'].map(
    (s) => `${s} --user-timeout--> CLOSED`, // 3.8.3 R2
  ),
  'TIME_WAIT --reuse--> CLOSED', // `connect` with `reuse`
  'TIME_WAIT --time-wait-reopen--> CLOSED', // `profile = linux`: a SYN above RCV.NXT
  'FIN_WAIT_2 --fin-timeout--> CLOSED', // `fin_timeout` after `close`
];

test('state graph: the figure 5 edges are exactly RFC 9293 figure 5', () => {
  const fig = STATE_GRAPH.edges.filter((e) => e.origin === 'figure 5').map(key);
  assert.deepEqual([...fig].sort(), [...FIGURE_5].sort());
  assert.equal(fig.length, 20);
});

test('state graph: the table is figure 5 plus the listed edges, each with a reason and an RFC section', () => {
  const all = STATE_GRAPH.edges.map(key);
  assert.equal(new Set(all).size, all.length, 'no edge twice');
  assert.deepEqual([...all].sort(), [...FIGURE_5, ...BEYOND].sort());
  for (const e of STATE_GRAPH.edges) {
    assert.notEqual(e.from, e.to, key(e));
    assert.ok(e.reason.length > 0 && e.rfc.length > 0, key(e));
    if (e.origin !== 'figure 5') assert.ok(e.origin === 'RFC text' || e.origin === 'model', key(e));
  }
  // Every state is entered and left (CLOSED too: a TCB starts there).
  for (const s of TCP_STATES) {
    assert.ok(
      STATE_GRAPH.edges.some((e) => e.from === s),
      `${s} has a way out`,
    );
    assert.ok(
      STATE_GRAPH.edges.some((e) => e.to === s),
      `${s} has a way in`,
    );
  }
});

test('state graph: edgeOf and allows read the table', () => {
  assert.equal(STATE_GRAPH.edgeOf('ESTABLISHED', 'FIN_WAIT_1', 'close')?.rfc, '3.10.4');
  assert.equal(STATE_GRAPH.edgeOf('ESTABLISHED', 'FIN_WAIT_2', 'close'), undefined);
  assert.equal(STATE_GRAPH.edgeOf('ESTABLISHED', 'FIN_WAIT_1', 'rcv-fin'), undefined);
  assert.ok(STATE_GRAPH.allows('TIME_WAIT', 'CLOSED'));
  assert.ok(!STATE_GRAPH.allows('TIME_WAIT', 'ESTABLISHED'));
  assert.ok(!STATE_GRAPH.allows('CLOSED', 'ESTABLISHED'));
});

// ---------------------------------------------------------------------------------------------
// Coverage: every edge is taken by an example or a per-state fixture.

/** Runs `text` in every variant, adding each step taken to `seen`; fails on an illegal one. */
function collect(text: string, seen: Map<string, string>, where: string): void {
  const { scenario, diagnostics } = parse(text);
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === 'error'),
    [],
    where,
  );
  for (const v of variantLabels(scenario)) {
    const observer: SimObserver = {
      onTransition: (s) => {
        assert.ok(s.edge, `${where} (${v}): illegal ${key(s)}`);
        if (!seen.has(key(s))) seen.set(key(s), `${where} (${v})`);
      },
    };
    const r = simulate(scenario, v, DEFAULT_LIMITS, observer);
    assert.deepEqual(
      r.diagnostics.filter((d) => d.code === 'internal-error'),
      [],
      where,
    );
  }
}

/** A fixture and what a test may do to it at 200 ms: calls, an exact RST, a SYN in the window, a dead network. */
function stimuli(f: (typeof STATE_FIXTURES)[TcpState]): { name: string; text: string }[] {
  const list = [
    { name: 'abort', text: `${f.text}200ms ${f.who} abort\n` },
    { name: 'close', text: `${f.text}200ms ${f.who} close\n` },
    // Nothing gets through any more: whatever is unacknowledged (or sent now) times out.
    { name: 'dead network', text: `set max_retries = 1\n${f.text}200ms net drop * all\n200ms ${f.who} send 10\n` },
  ];
  if (f.rcvNxt !== null) {
    list.push(
      { name: 'RST', text: `${f.text}200ms net inject ${f.peer}->${f.who} RST seq=${f.rcvNxt}\n` },
      {
        name: 'SYN in window (RFC 793)',
        text: `set challenge_ack = off\n${f.text}200ms net inject ${f.peer}->${f.who} SYN seq=${f.rcvNxt + 5}\n`,
      },
    );
  } else if (f.sndNxt !== null) {
    list.push({ name: 'RST', text: `${f.text}200ms net inject ${f.peer}->${f.who} RST ACK ack=${f.sndNxt}\n` });
  }
  return list;
}

test('state graph: every edge is taken by an example or a fixture, except those it says are never taken', () => {
  const seen = new Map<string, string>();
  const dir = join(__dirname, '..', '..', 'examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.tcpscn'));
  assert.ok(files.length > 0);
  for (const f of files) collect(readFileSync(join(dir, f), 'utf8'), seen, `examples/${f}`);
  for (const f of Object.values(STATE_FIXTURES)) {
    for (const s of stimuli(f)) collect(s.text, seen, `fixture ${f.state} + ${s.name}`);
  }
  const missing = STATE_GRAPH.edges.filter((e) => !e.unreached && !seen.has(key(e))).map(key);
  assert.deepEqual(missing, [], 'edges no example or fixture takes');
  const claimed = STATE_GRAPH.edges
    .filter((e) => e.unreached && seen.has(key(e)))
    .map((e) => `${key(e)} by ${seen.get(key(e))}`);
  assert.deepEqual(claimed, [], 'edges said to be never taken, but taken');
  const unreached = STATE_GRAPH.edges.filter((e) => e.unreached);
  assert.deepEqual(unreached.map(key).sort(), [
    'FIN_WAIT_1 --rcv-fin--> TIME_WAIT',
    'LISTEN --send--> SYN_SENT',
    'SYN_RECEIVED --rcv-fin--> CLOSE_WAIT',
    'SYN_RECEIVED --rcv-rst--> LISTEN',
  ]);
});

// ---------------------------------------------------------------------------------------------
// A move outside the table is a bug: reported, never thrown.

test('state graph: a move the table does not allow gives one internal-error diagnostic on its line, and the run goes on', () => {
  const without = (drop: (e: StateEdge) => boolean): StateGraph =>
    new StateGraph(STATE_GRAPH.edges.filter((e) => !drop(e)));
  // Without ESTABLISHED --close--> FIN_WAIT_1, the close on line 6 is illegal (twice: both close).
  const text = `${BASE}100ms client close\n100ms server close\n`;
  const normal = run(text);
  assert.deepEqual(normal.diagnostics, []);
  const r = simulate(
    scenarioOf(text),
    'default',
    DEFAULT_LIMITS,
    undefined,
    without((e) => e.from === 'ESTABLISHED' && e.event === 'close'),
  );
  assert.equal(r.diagnostics.length, 1, JSON.stringify(r.diagnostics));
  const d = r.diagnostics[0];
  assert.equal(d.code, 'internal-error');
  assert.equal(d.severity, 'error');
  assert.equal(d.range.start.line, 5, 'the line of the first close');
  assert.match(d.message, /client went from ESTABLISHED to FIN_WAIT_1 on close/);
  // The run itself is the same: the move is still made.
  assert.deepEqual(r.trace, normal.trace);

  // A move caused by a segment points at the line that caused the segment (the client's close).
  const r2 = simulate(
    scenarioOf(text),
    'default',
    DEFAULT_LIMITS,
    undefined,
    without((e) => e.from === 'FIN_WAIT_1' && e.event === 'rcv-fin'),
  );
  assert.equal(r2.diagnostics.length, 1, JSON.stringify(r2.diagnostics));
  assert.match(r2.diagnostics[0].message, /FIN_WAIT_1 to CLOSING on rcv-fin/);
});
