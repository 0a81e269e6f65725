// Property tests of the simulator over random valid scenarios (test/unit/gen.ts): every run
// ends within its limits, the trace is well formed, runs are deterministic, and without an
// old-duplicate hazard every byte an application receives comes from its own peer
// incarnation, in order, exactly once; every state change is an edge of the state graph
// (src/core/sim/stateGraph.ts), checked on the trace and on the event the simulator gave.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parse } from '../../src/core/parser';
import { simulate, variantLabels, type Delivery, type SimObserver } from '../../src/core/sim/simulate';
import { STATE_GRAPH } from '../../src/core/sim/stateGraph';
import type { Trace } from '../../src/core/trace';
import { seq32, seqDiff } from '../../src/core/sim/model';
import { FLAGS, type Limits } from '../../src/core/types';
import { arbitraryScenarioText } from './gen';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const LIMITS: Limits = { maxSegments: 3000, maxEvents: 100_000 };

/** Transitions checked against the state graph in this file's runs (reported by each test). */
let stepsChecked = 0;

/** Checks each state change, with its event, against the state graph as it happens. */
const graphObserver: SimObserver = {
  onTransition: (s) => {
    assert.ok(s.edge, `tcb ${s.tcb} at ${s.t} ms: ${s.from} --${s.event}--> ${s.to} is not in the state graph`);
    stepsChecked++;
  },
};

/**
 * No FIN lies beyond the window its sender was offered (RFC 9293 3.8.6: a FIN occupies a sequence
 * number), except as the probe of a zero window. Receivers here keep a constant window, so the
 * offered right edge is the largest ACK + window that reached the sender before it sent the FIN.
 * Runs with injected segments are skipped (an injected ACK moves SND.UNA with no window of its own).
 */
function checkFinInWindow(t: Trace): number {
  if (t.segments.some((s) => s.injected)) return 0;
  let checked = 0;
  for (const s of t.segments) {
    if (!s.flags.includes('FIN') || s.flags.includes('RST')) continue;
    let edge: number | null = null;
    let wnd = 0;
    // Segments handed out before s (n < s.n) that reached its sender by the time it left.
    for (const a of t.segments) {
      if (a.n >= s.n) break;
      if (a.from !== s.to || a.to !== s.from || a.incarnation !== s.incarnation || a.injected) continue;
      if (a.ack === null || a.arrivedAt === null || a.arrivedAt > s.sentAt) continue;
      const e = seq32(a.ack + a.window);
      if (edge === null || seqDiff(e, edge) > 0) {
        edge = e;
        wnd = a.window;
      }
    }
    if (edge === null) continue;
    const fin = seq32(s.seq + s.len);
    assert.ok(
      seqDiff(fin, edge) < 0 || (wnd === 0 && fin === edge && s.len === 0),
      `segment ${s.n}: FIN at ${fin} beyond the offered window's edge ${edge}`,
    );
    checked++;
  }
  return checked;
}

function checkTrace(t: Trace, limits: Limits): void {
  assert.ok(t.segments.length <= limits.maxSegments);
  t.segments.forEach((s, i) => {
    assert.equal(s.n, i + 1);
    const order = s.flags.map((f) => FLAGS.indexOf(f));
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
      'flags in SYN, FIN, RST, PSH, ACK order',
    );
    assert.equal(s.ack === null, !s.flags.includes('ACK'));
    if (s.fate === 'dropped') assert.equal(s.arrivedAt, null);
    else if (s.arrivedAt !== null) assert.ok(s.arrivedAt >= s.sentAt);
    if (s.fate === 'duplicate') assert.ok(s.duplicateOf !== null && s.duplicateOf < s.n);
    if (s.duplicateOf === null) assert.notEqual(s.fate, 'duplicate');
    assert.ok(s.seq >= 0 && s.seq < 2 ** 32 && Number.isInteger(s.seq));
    if (s.injected) assert.equal(s.incarnation, null);
    assert.ok(s.sentAt <= t.endedAt);
  });
  const last = new Map<number, string>();
  let prevT = 0;
  for (const tr of t.transitions) {
    assert.ok(tr.t >= prevT, 'transitions in time order');
    prevT = tr.t;
    const before = last.get(tr.tcb);
    if (before !== undefined) assert.equal(tr.from, before, `tcb ${tr.tcb} continues from its last state`);
    assert.notEqual(tr.from, tr.to);
    assert.ok(
      STATE_GRAPH.allows(tr.from, tr.to),
      `tcb ${tr.tcb}: ${tr.from} -> ${tr.to} is in no edge of the state graph`,
    );
    last.set(tr.tcb, tr.to);
  }
  for (const x of t.expectations) assert.equal(x.ok, x.message === '');
  for (const h of t.hazards) assert.ok(h.segment >= 1 && h.segment <= t.segments.length && h.message.length > 0);
}

test('random scenarios: every run ends within its limits with a well-formed trace, every step in the state graph', (t) => {
  const before = stepsChecked;
  let runs = 0;
  let fins = 0;
  fc.assert(
    fc.property(arbitraryScenarioText, (text) => {
      const { scenario, diagnostics } = parse(text);
      if (diagnostics.some((d) => d.severity === 'error')) return;
      for (const label of variantLabels(scenario)) {
        const r = simulate(scenario, label, LIMITS, graphObserver);
        runs++;
        checkTrace(r.trace, LIMITS);
        fins += checkFinInWindow(r.trace);
        assert.ok(!r.diagnostics.some((d) => d.code === 'internal-error'), JSON.stringify(r.diagnostics));
        assert.equal(r.trace.variant, label);
        assert.equal(
          r.trace.truncated !== null,
          r.diagnostics.some((d) => d.code === 'limit-reached'),
        );
      }
    }),
    { numRuns: RUNS },
  );
  t.diagnostic(`${stepsChecked - before} transitions of ${runs} runs checked against the state graph`);
  t.diagnostic(`${fins} FINs checked inside the offered window`);
});

test('random scenarios: the same input gives the identical trace', () => {
  fc.assert(
    fc.property(arbitraryScenarioText, (text) => {
      const { scenario } = parse(text);
      const a = JSON.stringify(simulate(scenario, 'default', LIMITS));
      const b = JSON.stringify(simulate(parse(text).scenario, 'default', LIMITS));
      assert.equal(a, b);
    }),
    { numRuns: Math.max(1, Math.floor(RUNS / 4)) },
  );
});

test('random scenarios: without old-duplicate, each receiver gets its peer incarnation bytes in order, once', () => {
  fc.assert(
    fc.property(arbitraryScenarioText, (text) => {
      const { scenario, diagnostics } = parse(text);
      if (diagnostics.some((d) => d.severity === 'error')) return;
      for (const label of variantLabels(scenario)) {
        const deliveries: Delivery[] = [];
        const r = simulate(scenario, label, LIMITS, { onDeliver: (d) => deliveries.push(d) });
        if (r.trace.hazards.some((h) => h.kind === 'old-duplicate')) continue;
        // Injected text is by definition not from the peer.
        if (r.trace.segments.some((s) => s.injected && s.len > 0)) continue;
        const byReceiver = new Map<number, Delivery[]>();
        for (const d of deliveries) {
          const list = byReceiver.get(d.tcb);
          if (list) list.push(d);
          else byReceiver.set(d.tcb, [d]);
        }
        for (const [tcb, list] of byReceiver) {
          const sender = list[0].senderTcb;
          let next = 0;
          for (const d of list) {
            assert.notEqual(d.senderTcb, null);
            assert.equal(d.senderTcb, sender, `tcb ${tcb} received bytes from two TCBs\n${text}`);
            assert.equal(d.senderIncarnation, d.incarnation, `tcb ${tcb}: bytes of another incarnation\n${text}`);
            assert.equal(d.offset, next, `tcb ${tcb}: bytes out of order or twice\n${text}`);
            assert.ok(d.len > 0);
            next += d.len;
          }
        }
      }
    }),
    { numRuns: RUNS },
  );
});

test('random scenarios: with rfc1337 on, no RST ever ends a TIME_WAIT', () => {
  fc.assert(
    fc.property(arbitraryScenarioText, (text) => {
      const { scenario, diagnostics } = parse(text);
      if (diagnostics.some((d) => d.severity === 'error')) return;
      const R = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      scenario.settings = [
        ...scenario.settings,
        { kind: 'set', name: { value: 'rfc1337', range: R }, value: { value: true, range: R }, range: R },
      ];
      for (const v of scenario.variants) v.overrides = v.overrides.filter((o) => o.name.value !== 'rfc1337');
      for (const label of variantLabels(scenario)) {
        const r = simulate(scenario, label, LIMITS);
        assert.ok(!r.trace.hazards.some((h) => h.kind === 'time-wait-assassination'));
        assert.ok(!r.trace.transitions.some((t) => t.from === 'TIME_WAIT' && t.cause.includes('RST')));
      }
    }),
    { numRuns: RUNS },
  );
});

/** A lossy, reordering, duplicating network between a client, a server and a later incarnation of the client. */
const lossyScenario: fc.Arbitrary<string> = fc
  .record({
    latency: fc.integer({ min: 0, max: 80 }),
    rto: fc.integer({ min: 50, max: 600 }),
    mss: fc.integer({ min: 1, max: 1500 }),
    timeWait: fc.constantFrom('0', '100ms', '2s'),
    delayedAck: fc.constantFrom('0', '40ms', '300ms'),
    challenge: fc.constantFrom('on', 'off'),
    isnA: fc.integer({ min: 0, max: 4294967295 }),
    // The server's window in segments of mss (0: a zero window; null: the default): with sends
    // of whole segments too, the last segment of a burst often ends exactly at the window's
    // edge, where the FIN must wait for window space (RFC 9293 3.8.6).
    windowInMss: fc.constantFrom(null, 0, 1, 2, 3),
    reuse: fc.boolean(),
    rules: fc.array(
      fc.tuple(
        fc.integer({ min: 0, max: 3000 }),
        fc.constantFrom('drop', 'delay', 'duplicate'),
        fc.constantFrom('client->server', 'server->client', 'passerby->server', 'server->passerby', '*'),
        fc.constantFrom('', 'data', 'ACK', 'FIN', 'SYN', 'pure-ack'),
        fc.constantFrom('', 'count 2', 'count 5', 'all'),
        fc.integer({ min: 1, max: 2000 }),
      ),
      { maxLength: 5 },
    ),
    sends: fc.array(
      fc.tuple(
        fc.integer({ min: 0, max: 4000 }),
        fc.constantFrom('client', 'server', 'passerby'),
        fc.integer({ min: 1, max: 6000 }),
        fc.boolean(),
      ),
      { maxLength: 6 },
    ),
    closeAt: fc.integer({ min: 0, max: 5000 }),
    sendBeforeClose: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
    passerbyAt: fc.integer({ min: 0, max: 8000 }),
    abort: fc.option(fc.tuple(fc.integer({ min: 0, max: 6000 }), fc.constantFrom('client', 'server', 'passerby')), {
      nil: undefined,
    }),
  })
  .map((r) => {
    const lines = [
      `set latency = ${r.latency}ms`,
      `set rto = ${r.rto}ms`,
      `set mss = ${r.mss}`,
      `set time_wait = ${r.timeWait}`,
      `set delayed_ack = ${r.delayedAck}`,
      `set challenge_ack = ${r.challenge}`,
      `set max_retries = 4`,
      `endpoint client 10.0.0.1:5000 isn=${r.isnA}`,
      `endpoint server 10.0.0.2:80${r.windowInMss === null ? '' : ` window=${Math.min(65535, r.windowInMss * r.mss)}`}`,
      `endpoint passerby 10.0.0.1:5000${r.reuse ? ' reuse' : ''}`,
      `0ms server listen`,
      `0ms client connect server`,
    ];
    for (const [t, kind, dir, match, count, d] of r.rules) {
      const extra = kind === 'delay' ? `by ${d}ms` : kind === 'duplicate' ? `after ${d}ms` : '';
      lines.push(`${t}ms net ${kind} ${dir} ${match} ${extra} ${count}`.replace(/ +/g, ' ').trim());
    }
    for (const [t, who, n, whole] of r.sends) lines.push(`${t}ms ${who} send ${whole ? (1 + (n % 4)) * r.mss : n}`);
    // Whole segments sent just before the close: a FIN queued behind window-limited data.
    if (r.sendBeforeClose !== undefined) lines.push(`${r.closeAt}ms client send ${r.sendBeforeClose * r.mss}`);
    lines.push(
      `${r.closeAt}ms client close`,
      `on server CLOSE_WAIT server close`,
      `${r.passerbyAt}ms passerby connect server`,
    );
    if (r.abort) lines.push(`${r.abort[0]}ms ${r.abort[1]} abort`);
    return lines.join('\n') + '\n';
  });

test('lossy networks: without old-duplicate, bytes arrive from the peer incarnation, in order, once; runs end', (t) => {
  const before = stepsChecked;
  let fins = 0;
  fc.assert(
    fc.property(lossyScenario, (text) => {
      const { scenario, diagnostics } = parse(text);
      assert.deepEqual(
        diagnostics.filter((d) => d.severity === 'error'),
        [],
        text,
      );
      const deliveries: Delivery[] = [];
      const r = simulate(scenario, 'default', LIMITS, { ...graphObserver, onDeliver: (d) => deliveries.push(d) });
      checkTrace(r.trace, LIMITS);
      fins += checkFinInWindow(r.trace);
      assert.ok(!r.diagnostics.some((d) => d.code === 'internal-error'), JSON.stringify(r.diagnostics));
      if (r.trace.hazards.some((h) => h.kind === 'old-duplicate')) return;
      const next = new Map<number, { sender: number | null; offset: number }>();
      for (const d of deliveries) {
        const seen = next.get(d.tcb) ?? { sender: d.senderTcb, offset: 0 };
        assert.equal(d.senderTcb, seen.sender, text);
        assert.equal(d.senderIncarnation, d.incarnation, text);
        assert.equal(d.offset, seen.offset, text);
        next.set(d.tcb, { sender: seen.sender, offset: seen.offset + d.len });
      }
    }),
    { numRuns: RUNS },
  );
  t.diagnostic(`${stepsChecked - before} transitions of ${RUNS} lossy runs checked against the state graph`);
  t.diagnostic(`${fins} FINs checked inside the offered window`);
});
