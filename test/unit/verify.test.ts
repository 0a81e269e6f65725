// `tcpscn verify`'s pure parts: packets and checksums (what `net inject` forges), the pcap writer,
// the wire's rule matching, the model/kernel comparison and its verdicts, the capability
// messages, the profile override, and the command's wiring with a fake kernel.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { NetRule, OptionValue } from '../../src/core/ast';
import { analyze, parse, simulate } from '../../src/core/index';
import { buildUpdate } from '../../src/extension/preview/payload';
import { resolveOptions } from '../../src/core/sim/options';
import type { Trace, TraceSegment, TraceTransition } from '../../src/core/trace';
import { DEFAULT_LIMITS, type OptionName, type Options } from '../../src/core/types';
import { kernelCapMs, verifyCommand, type VerifyDeps } from '../../src/cli/verify';
import { capabilityProblems, EXIT_CANNOT_RUN, type CapabilityFacts } from '../../src/verify/capability';
import { align, compareTraces, relativeNumbers, stateChains } from '../../src/verify/compare';
import type { KernelRun } from '../../src/verify/kernel';
import { notHonoured, synGiveUpMs, sysctlsFor, unrunnable, wireNotes } from '../../src/verify/kernel';
import { buildTcpPacket, bytesOf, checksumsValid, internetChecksum, parseTcpPacket } from '../../src/verify/packet';
import { HARNESS_LATE_MS, latenessSummary, latenessWarning, worstLateness } from '../../src/verify/lateness';
import { markKernelTrace } from '../../src/verify/marks';
import { LINKTYPE_RAW, readPcap, writePcap } from '../../src/verify/pcap';
import { profileOf, withProfile } from '../../src/verify/profile';
import { RuleBook, type WireSegment } from '../../src/verify/wire';

const T = { timeout: 20_000 };
const AGENT = join(__dirname, '..', '..', 'src', 'verify', 'helper', 'netns_agent.py');

/** A SYN Linux 6.18 sent from 10.9.0.1:5000 to 10.9.0.2:80 (MSS, SACK-permitted, timestamps off, wscale). */
const LINUX_SYN = 'RQAANLk2QABABm15CgkAAQoJAAITiABQn6F2EAAAAACAAvrwNn8AAAIEBbQBAQQCAQMDCg==';

describe('verify: packets', T, () => {
  it('computes the Internet checksum of RFC 1071 section 3', () => {
    // RFC 1071's example bytes sum to 0xddf2; the checksum is its complement.
    assert.equal(internetChecksum(new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7])), ~0xddf2 & 0xffff);
    // An odd length pads with a zero byte.
    assert.equal(internetChecksum(new Uint8Array([0x01])), ~0x0100 & 0xffff);
  });

  it('parses a SYN the kernel wrote into its TUN device, whose checksums hold', () => {
    const b = bytesOf(Buffer.from(LINUX_SYN, 'base64'));
    const p = parseTcpPacket(b);
    assert.ok(p);
    assert.deepEqual(
      { src: p.src, dst: p.dst, srcPort: p.srcPort, dstPort: p.dstPort, flags: p.flags, len: p.len },
      { src: '10.9.0.1', dst: '10.9.0.2', srcPort: 5000, dstPort: 80, flags: ['SYN'], len: 0 },
    );
    assert.equal(checksumsValid(b), true);
    const broken = b.slice();
    broken[30] ^= 0xff; // a byte of the TCP header
    assert.equal(checksumsValid(broken), false);
  });

  it('builds segments (inject) with valid IPv4 and TCP checksums that parse back', () => {
    for (const flags of [['RST'], ['SYN'], ['FIN', 'PSH', 'ACK'], ['ACK']] as const) {
      for (const len of [0, 1, 100]) {
        const p = {
          src: '192.168.1.10',
          dst: '192.168.1.20',
          srcPort: 49152,
          dstPort: 443,
          seq: 0xfffffff0,
          ack: 12345,
          flags: [...flags],
          window: 65535,
          len,
        };
        const b = buildTcpPacket(p, 7);
        assert.equal(b.length, 40 + len);
        assert.equal(checksumsValid(b), true, `${flags.join(',')} len ${len}`);
        const back = parseTcpPacket(b)!;
        assert.deepEqual(back.flags, p.flags);
        assert.equal(back.seq, p.seq);
        assert.equal(back.ack, flags.includes('ACK' as never) ? 12345 : 0);
        assert.equal(back.len, len);
      }
    }
  });

  it('ignores what is not IPv4 TCP', () => {
    assert.equal(parseTcpPacket(new Uint8Array([0x60, 0, 0, 0])), null);
    const udp = buildTcpPacket({
      src: '1.2.3.4',
      dst: '5.6.7.8',
      srcPort: 1,
      dstPort: 2,
      seq: 0,
      ack: 0,
      flags: [],
      window: 0,
      len: 0,
    });
    udp[9] = 17;
    assert.equal(parseTcpPacket(udp), null);
  });
});

describe('verify: pcap', T, () => {
  it('writes a LINKTYPE_RAW file that reads back record by record', () => {
    const a = bytesOf(Buffer.from(LINUX_SYN, 'base64'));
    const b = buildTcpPacket({
      src: '10.9.0.2',
      dst: '10.9.0.1',
      srcPort: 80,
      dstPort: 5000,
      seq: 1,
      ack: 2,
      flags: ['RST', 'ACK'],
      window: 0,
      len: 0,
    });
    const file = writePcap([
      { timeUs: 1_765_000_000_123_456, data: a },
      { timeUs: 1_765_000_001_000_001, data: b },
    ]);
    assert.equal(file.length, 24 + 16 + a.length + 16 + b.length);
    const back = readPcap(file);
    assert.equal(back.linkType, LINKTYPE_RAW);
    assert.equal(back.records.length, 2);
    assert.equal(back.records[0].timeUs, 1_765_000_000_123_456);
    assert.equal(back.records[1].timeUs, 1_765_000_001_000_001);
    assert.deepEqual([...back.records[0].data], [...a]);
    assert.deepEqual(parseTcpPacket(back.records[1].data)?.flags, ['RST', 'ACK']);
    assert.throws(() => readPcap(file.subarray(0, file.length - 1)), /truncated/);
  });
});

function ruleOf(line: string): NetRule {
  const s = parse(`endpoint c 10.0.0.1:1\nendpoint s 10.0.0.2:2\n0 ${line}\n`);
  assert.deepEqual(
    s.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  const e = s.scenario.events[0];
  assert.equal(e.kind, 'net');
  return (e as Extract<typeof e, { kind: 'net' }>).rule;
}

function wseg(
  n: number,
  from: string,
  flags: WireSegment['flags'],
  seq = 1,
  ack: number | null = 1,
  len = 0,
): WireSegment {
  return { n, from, to: from === 'c' ? 's' : 'c', flags, seq, ack, len };
}

describe('verify: the wire applies net rules', T, () => {
  it('drops the next matching segment once (count 1), in its direction only', () => {
    const book = new RuleBook();
    book.arm(ruleOf('net drop c->s ACK'), 3);
    assert.equal(book.decide(wseg(1, 's', ['ACK']), 50).fate, 'delivered');
    assert.equal(book.decide(wseg(2, 'c', ['SYN']), 50).fate, 'delivered');
    assert.deepEqual(book.decide(wseg(3, 'c', ['FIN', 'ACK']), 50), {
      fate: 'dropped',
      delayedBy: 0,
      copies: [],
      lines: [3],
    });
    assert.equal(book.decide(wseg(4, 'c', ['ACK']), 50).fate, 'delivered');
  });

  it('`all`, pure-ack, data, seq= and ack= as the language defines them', () => {
    const book = new RuleBook();
    book.arm(ruleOf('net drop * pure-ack all'), 1);
    assert.equal(book.decide(wseg(1, 'c', ['ACK']), 50).fate, 'dropped');
    assert.equal(book.decide(wseg(2, 's', ['ACK']), 50).fate, 'dropped');
    assert.equal(book.decide(wseg(3, 's', ['PSH', 'ACK'], 1, 1, 10), 50).fate, 'delivered');
    assert.equal(book.decide(wseg(4, 's', ['FIN', 'ACK']), 50).fate, 'delivered');
    const b2 = new RuleBook();
    b2.arm(ruleOf('net drop c->s data seq=101 ack=1'), 1);
    assert.equal(b2.decide(wseg(1, 'c', ['ACK'], 101, 1, 0), 50).fate, 'delivered', 'no data');
    assert.equal(b2.decide(wseg(2, 'c', ['ACK'], 1, 1, 100), 50).fate, 'delivered', 'other seq');
    assert.equal(b2.decide(wseg(3, 'c', ['ACK'], 101, 2, 100), 50).fate, 'delivered', 'other ack');
    assert.equal(b2.decide(wseg(4, 'c', ['PSH', 'ACK'], 101, 1, 100), 50).fate, 'dropped');
  });

  it('delays add up; a duplicate arrives the latency after the original unless `after` says', () => {
    const book = new RuleBook();
    book.arm(ruleOf('net delay c->s by 100ms'), 1);
    book.arm(ruleOf('net delay * by 20ms count 2'), 2);
    book.arm(ruleOf('net duplicate c->s'), 3);
    book.arm(ruleOf('net duplicate c->s after 5ms'), 4);
    const d = book.decide(wseg(1, 'c', ['SYN'], 0, null), 30);
    assert.deepEqual(d, { fate: 'delivered', delayedBy: 120, copies: [30, 5], lines: [1, 2, 3, 4] });
    const d2 = book.decide(wseg(2, 's', ['SYN', 'ACK'], 0, 1), 30);
    assert.deepEqual(d2, { fate: 'delivered', delayedBy: 20, copies: [], lines: [2] });
  });

  it('drop segment N counts segments (copies included) and reports one armed too late', () => {
    const book = new RuleBook();
    book.arm(ruleOf('net drop segment 3'), 7);
    assert.equal(book.decide(wseg(1, 'c', ['SYN'], 0, null), 10).fate, 'delivered');
    assert.equal(book.decideCopy(2), false);
    assert.equal(book.decide(wseg(3, 'c', ['ACK']), 10).fate, 'dropped');
    book.arm(ruleOf('net drop segment 2'), 9);
    assert.deepEqual(book.tooLate, [{ n: 2, line: 9 }]);
    book.arm(ruleOf('net drop segment 40'), 10);
    assert.deepEqual(book.unreached(), [{ n: 40, line: 10 }]);
  });
});

function seg(
  n: number,
  from: string,
  to: string,
  sentAt: number,
  flags: TraceSegment['flags'],
  seq: number,
  ack: number | null,
  len = 0,
  fate: TraceSegment['fate'] = 'delivered',
): TraceSegment {
  return {
    n,
    from,
    to,
    sentAt,
    arrivedAt: fate === 'dropped' ? null : sentAt + 10,
    flags,
    seq,
    ack,
    len,
    fate,
    retransmission: false,
    incarnation: 1,
    injected: false,
    delayedBy: 0,
    duplicateOf: null,
    window: 65535,
    causeLine: null,
    note: '',
  };
}

function tr(
  t: number,
  endpoint: string,
  tcb: number,
  from: TraceTransition['from'],
  to: TraceTransition['to'],
): TraceTransition {
  return { t, endpoint, peer: null, from, to, cause: '', tcb, segment: null };
}

function trace(
  segments: TraceSegment[],
  transitions: TraceTransition[],
  endedAt = 1000,
  errors: Trace['errors'] = [],
): Trace {
  return {
    version: 1,
    title: '',
    variant: 'x',
    endpoints: [
      { name: 'c', address: '10.0.0.1', port: 1 },
      { name: 's', address: '10.0.0.2', port: 2 },
    ],
    segments,
    transitions,
    errors,
    hazards: [],
    expectations: [],
    endedAt,
    truncated: null,
  };
}

/** A handshake with ISNs (c, s), each segment shifted by `dt` ms. */
function handshake(ic: number, is: number, dt = 0): TraceSegment[] {
  return [
    seg(1, 'c', 's', 0 + dt, ['SYN'], ic, null),
    seg(2, 's', 'c', 10 + dt, ['SYN', 'ACK'], is, ic + 1),
    seg(3, 'c', 's', 20 + dt, ['ACK'], ic + 1, is + 1),
    seg(4, 'c', 's', 30 + dt, ['PSH', 'ACK'], ic + 1, is + 1, 100),
  ];
}

describe('verify: comparing the model and the kernel', T, () => {
  it('numbers relative to each side ISN, across the 2^32 wrap', () => {
    const v = relativeNumbers(handshake(0xffffffff, 5000));
    assert.deepEqual(
      v.map((s) => [s.relSeq, s.relAck]),
      [
        [0, null],
        [0, 1],
        [1, 1],
        [1, 1],
      ],
    );
  });

  it('aligns by longest common subsequence', () => {
    const pairs = align(
      ['a', 'b', 'c', 'd'],
      ['a', 'c', 'x', 'd'],
      (x) => x,
      (x) => x,
    );
    assert.deepEqual(pairs, [
      ['a', 'a'],
      ['b', null],
      ['c', 'c'],
      [null, 'x'],
      ['d', 'd'],
    ]);
  });

  it('same: other ISNs, PSH placement and small time differences do not count', () => {
    const k = handshake(123456789, 987654321, 5);
    k[3] = { ...k[3], flags: ['ACK'] };
    const c = compareTraces(trace(handshake(0, 0), []), trace(k, []));
    assert.equal(c.segments.result.verdict, 'same');
    assert.equal(c.sameStructure, true);
    assert.equal(c.withinTolerance, true);
    assert.equal(c.segments.result.worstMs, 5);
  });

  it('timing only: one segment 30 ms late, with the first such segment named', () => {
    const k = handshake(7, 9);
    k[2] = { ...k[2], sentAt: 50 };
    const c = compareTraces(trace(handshake(0, 0), []), trace(k, []));
    assert.equal(c.segments.result.verdict, 'timing only');
    assert.match(c.segments.result.first!, /#3 c->s ACK 1\/1 len 0 at 20ms: the kernel sent it at 50ms/);
    assert.equal(c.sameStructure, true);
    assert.equal(c.withinTolerance, false);
  });

  it('differs: a segment only the kernel sent is the first difference', () => {
    const k = [...handshake(7, 9), seg(5, 's', 'c', 40, ['ACK'], 10, 7 + 101)];
    const c = compareTraces(trace(handshake(0, 0), []), trace(k, []));
    assert.equal(c.segments.result.verdict, 'differs');
    assert.match(c.segments.result.first!, /^kernel only: #5 s->c ACK 1\/101 len 0/);
    assert.equal(c.sameStructure, false);
    assert.deepEqual(
      c.segments.rows.map((r) => r.mark),
      ['same', 'same', 'same', 'same', 'kernel only'],
    );
  });

  it('a dropped segment differs from a delivered one', () => {
    const k = handshake(0, 0);
    k[2] = { ...k[2], fate: 'dropped', arrivedAt: null };
    assert.equal(compareTraces(trace(handshake(0, 0), []), trace(k, [])).segments.result.verdict, 'differs');
  });

  it('states under 1 ms are left out of both chains', () => {
    const chains = stateChains(
      [
        tr(0, 'c', 1, 'CLOSED', 'SYN_SENT'),
        tr(40, 'c', 1, 'SYN_SENT', 'ESTABLISHED'),
        tr(300, 'c', 1, 'ESTABLISHED', 'FIN_WAIT_1'),
        tr(340, 'c', 1, 'FIN_WAIT_1', 'FIN_WAIT_2'),
        tr(340.5, 'c', 1, 'FIN_WAIT_2', 'TIME_WAIT'),
      ],
      1000,
    );
    assert.deepEqual(
      chains.get('c')![0].map((e) => e.state),
      ['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'TIME_WAIT'],
    );
  });

  it("states: an orphaned FIN_WAIT_2's end by fin_timeout is known (a 2 s wheel granule), its end by a RST is timed", () => {
    const closing = (endAt: number, cause: string) => [
      tr(0, 'c', 1, 'CLOSED', 'SYN_SENT'),
      tr(40, 'c', 1, 'SYN_SENT', 'ESTABLISHED'),
      tr(300, 'c', 1, 'ESTABLISHED', 'FIN_WAIT_1'),
      tr(340, 'c', 1, 'FIN_WAIT_1', 'FIN_WAIT_2'),
      { ...tr(endAt, 'c', 1, 'FIN_WAIT_2', 'CLOSED'), cause },
    ];
    // The kernel's trace has no model cause: the model's says which timer ended it.
    const byTimer = compareTraces(
      trace([], closing(61_440, 'fin_timeout'), 62_000),
      trace([], closing(60_866, ''), 62_000),
    );
    assert.equal(byTimer.states.result.verdict, 'same');
    assert.equal(byTimer.states.rows[0].mark, 'known');
    assert.equal(byTimer.withinTolerance, true);
    const byRst = compareTraces(trace([], closing(2_440, 'RST'), 3_000), trace([], closing(2_400, ''), 3_000));
    assert.equal(byRst.states.result.verdict, 'timing only');
    assert.match(byRst.states.result.first!, /entered CLOSED at 2\.44s in the model, 2\.4s in the kernel/);
  });

  it('states: a different chain differs; TIME_WAIT held at a cut run and its length are known, not timing', () => {
    const model = [
      tr(0, 'c', 1, 'CLOSED', 'SYN_SENT'),
      tr(40, 'c', 1, 'SYN_SENT', 'ESTABLISHED'),
      tr(300, 'c', 1, 'ESTABLISHED', 'FIN_WAIT_1'),
      tr(350, 'c', 1, 'FIN_WAIT_1', 'TIME_WAIT'),
      tr(2350, 'c', 1, 'TIME_WAIT', 'CLOSED'),
    ];
    const cut = model.slice(0, 4).map((t) => ({ ...t, t: t.t + 3 }));
    const a = compareTraces(trace([], model, 2400), trace([], cut, 1400), { kernelCutInTimeWait: true });
    assert.equal(a.states.result.verdict, 'same');
    assert.equal(a.states.rows[0].mark, 'same');
    const notCut = compareTraces(trace([], model, 2400), trace([], cut, 1400), { kernelCutInTimeWait: false });
    assert.equal(notCut.states.result.verdict, 'differs');
    const long = [...cut, tr(60_350, 'c', 1, 'TIME_WAIT', 'CLOSED')];
    const b = compareTraces(trace([], model, 2400), trace([], long, 61_000));
    assert.equal(b.states.result.verdict, 'same');
    assert.equal(b.states.rows[0].mark, 'known');
    const other = [
      tr(0, 'c', 1, 'CLOSED', 'SYN_SENT'),
      tr(40, 'c', 1, 'SYN_SENT', 'ESTABLISHED'),
      tr(300, 'c', 1, 'ESTABLISHED', 'FIN_WAIT_1'),
      tr(340, 'c', 1, 'FIN_WAIT_1', 'FIN_WAIT_2'),
      tr(350, 'c', 1, 'FIN_WAIT_2', 'TIME_WAIT'),
    ];
    const d = compareTraces(trace([], model, 2400), trace([], other, 1400), { kernelCutInTimeWait: true });
    assert.equal(d.states.result.verdict, 'differs');
    assert.match(d.states.result.first!, /first apart at TIME_WAIT \/ FIN_WAIT_2/);
    const late = model.map((t) => (t.to === 'ESTABLISHED' ? { ...t, t: 70 } : t));
    const e = compareTraces(trace([], model, 2400), trace([], late, 2400));
    assert.equal(e.states.result.verdict, 'timing only');
    assert.match(e.states.result.first!, /entered ESTABLISHED at 40ms in the model, 70ms in the kernel/);
  });

  it('errors: the same code at another time is timing; a missing one differs', () => {
    const err = (t: number, code: 'ECONNREFUSED' | 'ETIMEDOUT') => ({
      t,
      endpoint: 'c',
      call: 'connect',
      code,
      line: 3,
    });
    const same = compareTraces(
      trace([], [], 100, [err(10, 'ECONNREFUSED')]),
      trace([], [], 100, [err(12, 'ECONNREFUSED')]),
    );
    assert.equal(same.errors.result.verdict, 'same');
    const late = compareTraces(
      trace([], [], 100, [err(10, 'ECONNREFUSED')]),
      trace([], [], 100, [err(90, 'ECONNREFUSED')]),
    );
    assert.equal(late.errors.result.verdict, 'timing only');
    const other = compareTraces(
      trace([], [], 100, [err(10, 'ECONNREFUSED')]),
      trace([], [], 100, [err(10, 'ETIMEDOUT')]),
    );
    assert.equal(other.errors.result.verdict, 'differs');
    assert.match(other.errors.result.first!, /^model only: c connect ECONNREFUSED at 10ms/);
  });
});

const OK_FACTS: CapabilityFacts = {
  platform: 'linux',
  capEff: (1n << 12n) | (1n << 21n),
  tun: true,
  python: '/usr/bin/python3',
  ip: '/usr/sbin/ip',
};

describe('verify: where it can run', T, () => {
  it('says nothing is missing on Linux as root with a TUN device', () => {
    assert.deepEqual(capabilityProblems(OK_FACTS), []);
  });

  it('names exactly what is missing', () => {
    assert.deepEqual(capabilityProblems({ ...OK_FACTS, platform: 'darwin' }), [
      'verify needs Linux (network namespaces and TUN devices); this is darwin',
    ]);
    assert.deepEqual(capabilityProblems({ ...OK_FACTS, capEff: 0n }), [
      'verify needs CAP_SYS_ADMIN to create network namespaces (unshare CLONE_NEWNET): run it as root',
      'verify needs CAP_NET_ADMIN to configure TUN devices, addresses and routes: run it as root',
    ]);
    assert.deepEqual(capabilityProblems({ ...OK_FACTS, capEff: 1n << 21n }), [
      'verify needs CAP_NET_ADMIN to configure TUN devices, addresses and routes: run it as root',
    ]);
    assert.deepEqual(capabilityProblems({ ...OK_FACTS, tun: false, python: null, ip: null }), [
      'verify needs /dev/net/tun (the tun kernel module), readable and writable',
      'verify needs python3 on PATH (its namespace agent uses only the standard library)',
      'verify needs the `ip` command (iproute2)',
    ]);
  });
});

const SCENARIO = `title "t"
set latency = 20ms
set msl = 1s
set max_retries = 3
endpoint client 10.7.0.1:40000 isn=100
endpoint server 10.7.0.2:80 window=2000
variant "strict" rfc1337 = on, time_wait = 0
0 server listen
0 client connect server
100ms client close
on server CLOSE_WAIT server close
50ms net drop segment 9
expect client CLOSED
`;

describe('verify: options the kernel takes, and those it cannot', T, () => {
  const sc = parse(SCENARIO).scenario;
  it('sets per-namespace sysctls from the scenario', () => {
    const d = sysctlsFor(sc, 'default', resolveOptions(sc, 'default'));
    assert.equal(d['net/ipv4/tcp_timestamps'], '0');
    assert.equal(d['net/ipv4/tcp_rfc1337'], '0');
    assert.equal(d['net/ipv4/tcp_syn_retries'], '3');
    assert.equal(d['net/ipv4/tcp_syn_linear_timeouts'], '0');
    assert.equal(d['net/ipv4/tcp_max_tw_buckets'], undefined);
    const s = sysctlsFor(sc, 'strict', resolveOptions(sc, 'strict'));
    assert.equal(s['net/ipv4/tcp_rfc1337'], '1');
    assert.equal(s['net/ipv4/tcp_max_tw_buckets'], '0');
    // With no timewait bucket an orphaned FIN_WAIT_2 would die on the ACK of its FIN (and the
    // peer's FIN get a RST): above TCP_TIMEWAIT_LEN it stays a full socket for the excess.
    assert.equal(s['net/ipv4/tcp_fin_timeout'], '120');
    assert.equal(d['net/ipv4/tcp_fin_timeout'], undefined);
    // The options that are sysctls of their own (Linux's names in the options table), where the model has them.
    const linux = {
      ...resolveOptions(sc, 'default'),
      synRetries: 6,
      synackRetries: 5,
      synLinearTimeouts: 4,
      finTimeout: 60_000,
    };
    const l = sysctlsFor(sc, 'default', linux as unknown as Options);
    assert.equal(l['net/ipv4/tcp_syn_retries'], '6');
    assert.equal(l['net/ipv4/tcp_synack_retries'], '5');
    assert.equal(l['net/ipv4/tcp_syn_linear_timeouts'], '4');
    assert.equal(l['net/ipv4/tcp_fin_timeout'], '60');
    assert.equal(l['net/ipv4/tcp_retries2'], '3', 'max_retries still gives the data retries');
    const noTw = sysctlsFor(sc, 'strict', {
      ...resolveOptions(sc, 'strict'),
      finTimeout: 10_000,
    } as unknown as Options);
    assert.equal(noTw['net/ipv4/tcp_fin_timeout'], '70');
  });

  it('names what it cannot honour', () => {
    const n = notHonoured(sc, 'default', resolveOptions(sc, 'default')).join('\n');
    assert.match(n, /time_wait 2000 ms \(msl 1000 ms\): Linux holds TIME_WAIT 60 s/);
    // client isn=100: the wire gives the kernels the scenario's ISNs (verifyIsn.test.ts).
    assert.doesNotMatch(n, /isn/);
    assert.match(n, /server window=2000: approximated with TCP_WINDOW_CLAMP/);
    assert.match(n, /drop segment N counts the kernel's segments/);
    assert.match(n, /expect lines are the model's/);
    assert.doesNotMatch(notHonoured(sc, 'strict', resolveOptions(sc, 'strict')).join('\n'), /time_wait/);
    assert.deepEqual(unrunnable(parse('endpoint a [fd00::1]:1\nendpoint b 10.0.0.1:2\n').scenario), [
      'a has an IPv6 address (fd00::1): verify runs IPv4 endpoints only',
    ]);
  });

  it('--profile puts `set profile` first and replaces the file own', () => {
    // Built by hand: the parser may not know `profile` yet when this runs.
    const base = parse('set msl = 1s\nendpoint a 10.0.0.1:1\nvariant "v" msl = 2s\n').scenario;
    const written = {
      ...base.settings[0],
      name: { ...base.settings[0].name, value: 'profile' as OptionName },
      value: { ...base.settings[0].value, value: 'rfc' as unknown as OptionValue },
    };
    const s = withProfile(
      {
        ...base,
        settings: [written, ...base.settings],
        variants: [{ ...base.variants[0], overrides: [written, ...base.variants[0].overrides] }],
      },
      'linux',
    );
    assert.deepEqual(
      s.settings.map((x) => [x.name.value, x.value.value]),
      [
        ['profile', 'linux'],
        ['msl', 1000],
      ],
    );
    assert.deepEqual(
      s.variants[0].overrides.map((x) => x.name.value),
      ['msl'],
    );
    assert.equal(profileOf(s, 'v'), 'linux');
    assert.equal(profileOf(parse('endpoint a 10.0.0.1:1\n').scenario, 'default'), 'rfc');
  });
});

/** A kernel that does exactly what the model does (or what `edit` makes of it). */
function fakeDeps(
  edit: (t: Trace) => Trace = (t) => t,
  facts = OK_FACTS,
): VerifyDeps & { written: Map<string, Uint8Array> } {
  const written = new Map<string, Uint8Array>();
  return {
    written,
    readFile: (p) => {
      if (p !== 'a.tcpscn') throw new Error('ENOENT');
      return SCENARIO;
    },
    writeFile: (p, d) => written.set(p, d),
    probe: () => facts,
    agentPath: AGENT,
    progress: () => {},
    runKernel: async (input): Promise<KernelRun> => {
      const model = simulate(input.scenario, input.variant, DEFAULT_LIMITS).trace;
      const pkt = buildTcpPacket({
        src: '10.7.0.1',
        dst: '10.7.0.2',
        srcPort: 40000,
        dstPort: 80,
        seq: 1,
        ack: 0,
        flags: ['SYN'],
        window: 64240,
        len: 0,
      });
      return {
        trace: edit(model),
        packets: [{ timeUs: 1e15, data: pkt }],
        kernel: '6.18-test',
        sysctls: sysctlsFor(input.scenario, input.variant, input.options),
        defaults: {},
        notHonoured: notHonoured(input.scenario, input.variant, input.options),
        wireNotes: wireNotes(input.scenario, input.variant),
        warnings: [],
        lateness: { calls: [0.2], deliveries: [0.1] },
        cutInTimeWait: false,
        stoppedBy: 'quiet',
        raw: new Map(),
      };
    },
  };
}

describe('verify: the command', T, () => {
  it('exits 3 with what is missing when the machine cannot run it', async () => {
    const r = await verifyCommand(['a.tcpscn'], fakeDeps(undefined, { ...OK_FACTS, tun: false }));
    assert.equal(r.code, EXIT_CANNOT_RUN);
    assert.match(r.stderr, /cannot run on this machine:\n {2}- verify needs \/dev\/net\/tun/);
  });

  it('exits 2 on a wrong invocation', async () => {
    assert.equal((await verifyCommand([], fakeDeps())).code, 2);
    assert.equal((await verifyCommand(['a.tcpscn', '--profile', 'bsd'], fakeDeps())).code, 2);
    assert.equal((await verifyCommand(['a.tcpscn', '--cap', '-1'], fakeDeps())).code, 2);
    assert.equal((await verifyCommand(['missing.tcpscn'], fakeDeps())).code, 2);
    const r = await verifyCommand(['a.tcpscn', '--variant', 'nope'], fakeDeps());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /has no variant "nope"/);
  });

  it('exits 0 with every verdict `same` when the kernel did what the model did, and writes the pcap', async () => {
    const deps = fakeDeps();
    const r = await verifyCommand(['a.tcpscn', '--pcap', 'out.pcap'], deps);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^segments: same$/m);
    assert.match(r.stdout, /^states: same$/m);
    assert.match(r.stdout, /^errors: same$/m);
    assert.match(r.stdout, /^structure: same; timing within 20 ms$/m);
    assert.match(r.stdout, /not honoured: time_wait 2000 ms/);
    assert.match(r.stdout, /^wire: ISNs: the wire rewrites sequence numbers/m);
    assert.equal(readPcap(deps.written.get('out.pcap')!).records.length, 1);
  });

  it('exits 1 and names the first difference when a segment is missing on the kernel side', async () => {
    const r = await verifyCommand(
      ['a.tcpscn', '--variant', 'strict', '--json'],
      fakeDeps((t) => ({ ...t, segments: t.segments.slice(0, 2) })),
    );
    assert.equal(r.code, 1);
    const j = JSON.parse(r.stdout);
    assert.equal(j.variant, 'strict');
    assert.equal(j.verdicts.segments.verdict, 'differs');
    assert.match(j.verdicts.segments.first, /^model only: #3 client->server ACK 1\/1/);
    assert.equal(j.kernelTrace.source, 'linux');
    assert.equal(j.sysctls['net/ipv4/tcp_max_tw_buckets'], '0');
  });
});

describe('verify: the namespace agent', T, () => {
  it('is plain Python 3 that compiles, reads /proc/net/tcp addresses, and exits on end of input', () => {
    const py = spawnSync(
      'python3',
      [
        '-c',
        `import sys; sys.path.insert(0, ${JSON.stringify(join(AGENT, '..'))}); import netns_agent as a; print(a.hexaddr('0100000A:0050'), a.TCP_STATE_NAMES[6])`,
      ],
      {
        encoding: 'utf8',
        timeout: 10_000,
      },
    );
    assert.equal(py.status, 0, py.stderr);
    assert.equal(py.stdout.trim(), '10.0.0.1:80 TIME_WAIT');
    // Without a set-up command it creates nothing, and its input's end ends it.
    const run = spawnSync('python3', [AGENT], { input: '', encoding: 'utf8', timeout: 10_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
  });
});

describe('verify: the kernel run as a preview variant', T, () => {
  it('marks kernel-only segments, later ones and connections whose states differ; the label has the verdict', () => {
    const model = trace(handshake(0, 0), [
      tr(0, 'c', 1, 'CLOSED', 'SYN_SENT'),
      tr(20, 'c', 1, 'SYN_SENT', 'ESTABLISHED'),
    ]);
    const k = [...handshake(7, 9), seg(5, 's', 'c', 40, ['ACK'], 10, 7 + 101)];
    k[1] = { ...k[1], sentAt: 45 };
    const kernel = trace(k, [tr(0, 'c', 4, 'CLOSED', 'SYN_SENT'), tr(50, 'c', 4, 'SYN_SENT', 'CLOSE_WAIT')]);
    const c = compareTraces(model, kernel);
    const marked = markKernelTrace(kernel, c, '6.18');
    assert.equal(marked.variant, 'Linux 6.18 (kernel: differs)');
    assert.deepEqual(
      marked.segments.map((s) => s.note),
      [
        'kernel: as the model',
        'kernel: as the model, 35 ms later',
        'kernel: as the model',
        'kernel: as the model',
        'kernel only: the model did not send this',
      ],
    );
    assert.match(marked.transitions[1].cause, /\(states differ from the model\)$/);
    assert.equal(kernel.segments[4].note, '', 'the input is not changed');
    const same = markKernelTrace(model, compareTraces(model, model), '6.18');
    assert.equal(same.variant, 'Linux 6.18 (kernel: same)');
    assert.equal(same.transitions[1].cause, '');
  });

  it('the preview shows it after the model variants', () => {
    const a = analyze(SCENARIO);
    const kernel = { ...a.runs[0], variant: 'Linux 6.18 (kernel: same)' };
    const u = buildUpdate(a, { uri: 'file:///a.tcpscn', fileName: 'a.tcpscn', version: 1, locked: false }, new Map(), [
      kernel,
    ]);
    assert.equal(u.type, 'update');
    assert.deepEqual(
      (u as Extract<typeof u, { type: 'update' }>).variants.map((v) => v.label),
      ['default', 'strict', 'Linux 6.18 (kernel: same)'],
    );
  });
});

describe('verify: every run is bounded', T, () => {
  it('stops at --cap, else the duration, else 130 s or the model end + 5 s, never beyond 300 s', () => {
    assert.equal(kernelCapMs(10, 50_000, 1_000), 10_000);
    assert.equal(kernelCapMs(null, 50_000, 1_000), 50_000);
    assert.equal(kernelCapMs(null, 900_000, 1_000), 300_000);
    assert.equal(kernelCapMs(null, null, 2_400), 130_000);
    assert.equal(kernelCapMs(null, null, 131_000), 136_000);
    assert.equal(kernelCapMs(null, null, 3_600_000), 300_000);
    // A connect the model gives up at 26.88 s (rto = 200ms) takes the kernel 131 s and more.
    assert.equal(kernelCapMs(null, null, 26_880, 147_375), 152_375);
    assert.equal(kernelCapMs(10, null, 26_880, 147_375), 10_000);
    assert.equal(kernelCapMs(null, null, 26_880, 900_000), 300_000);
  });

  it("knows when this kernel gives up an unanswered connect: Linux's SYN timer, whatever rto says", () => {
    // 6 + 4 retries: five waits of 1 s, then 2, 4, 8, 16, 32 and 64 s: 131 s, and an eighth for the timer wheel.
    assert.equal(synGiveUpMs({}), 131_000 * 1.125);
    assert.equal(
      synGiveUpMs({ 'net/ipv4/tcp_syn_retries': '3', 'net/ipv4/tcp_syn_linear_timeouts': '0' }),
      (1 + 2 + 4 + 8) * 1000 * 1.125,
    );
    // Waits never exceed TCP_RTO_MAX (120 s).
    assert.equal(
      synGiveUpMs({ 'net/ipv4/tcp_syn_retries': '8', 'net/ipv4/tcp_syn_linear_timeouts': '0' }),
      (1 + 2 + 4 + 8 + 16 + 32 + 64 + 120 + 120) * 1000 * 1.125,
    );
  });
});

describe('verify: an old incarnation segment', T, () => {
  it('is compared by its 4-tuple and numbered from its own connection ISN, whichever incarnation a trace names', () => {
    const eps = [
      { name: 'c', address: '10.0.0.1', port: 1 },
      { name: 's', address: '10.0.0.2', port: 2 },
      { name: 'p', address: '10.0.0.1', port: 1 },
    ];
    const model = { ...trace([...handshake(0, 0), seg(5, 's', 'p', 300, ['ACK'], 1, 101)], []), endpoints: eps };
    const kernel = { ...trace([...handshake(70, 90), seg(5, 's', 'c', 301, ['ACK'], 91, 171)], []), endpoints: eps };
    const c = compareTraces(model, kernel);
    assert.equal(c.segments.result.verdict, 'same', c.segments.result.first ?? '');
    assert.deepEqual(
      relativeNumbers(kernel.segments, eps)
        .map((v) => [v.path, v.relSeq, v.relAck])
        .at(-1),
      ['10.0.0.2:2>10.0.0.1:1', 1, 101],
    );
  });
});

describe('verify: independent segments in another order', T, () => {
  it('two connections opened at once may leave in either order within the tolerance; beyond it they differ', () => {
    const eps = [
      { name: 's', address: '10.0.0.1', port: 80 },
      { name: 'a', address: '10.0.1.1', port: 1 },
      { name: 'b', address: '10.0.2.1', port: 1 },
    ];
    const model = {
      ...trace([seg(1, 'a', 's', 0, ['SYN'], 0, null), seg(2, 'b', 's', 0, ['SYN'], 0, null)], []),
      endpoints: eps,
    };
    const near = {
      ...trace([seg(1, 'b', 's', 1, ['SYN'], 5, null), seg(2, 'a', 's', 2, ['SYN'], 9, null)], []),
      endpoints: eps,
    };
    const c = compareTraces(model, near);
    assert.equal(c.segments.result.verdict, 'same', c.segments.result.first ?? '');
    assert.deepEqual(
      c.segments.rows.map((r) => [r.model?.from, r.kernel?.from, r.mark]),
      [
        ['a', 'a', 'same'],
        ['b', 'b', 'same'],
      ],
    );
    const far = {
      ...trace([seg(1, 'b', 's', 1, ['SYN'], 5, null), seg(2, 'a', 's', 30, ['SYN'], 9, null)], []),
      endpoints: eps,
    };
    assert.equal(compareTraces(model, far).segments.result.verdict, 'differs');
  });
});

describe('verify: a run whose harness was late says so', T, () => {
  it('is quiet up to HARNESS_LATE_MS and names the worst delay and its kind beyond it', () => {
    assert.equal(latenessWarning({ calls: [0.3, 1.4], deliveries: [0.1, 0.7] }), null);
    assert.equal(latenessWarning({ calls: [], deliveries: [] }), null);
    assert.equal(latenessWarning({ calls: [HARNESS_LATE_MS], deliveries: [] }), null);
    const delivery = latenessWarning({ calls: [0.2, 1.1], deliveries: [0.3, 28.8, 0.1] });
    assert.match(delivery ?? '', /late by 28\.8 ms \(a segment handed on after its time/);
    assert.match(delivery ?? '', /run again$/);
    const call = latenessWarning({ calls: [44.16], deliveries: [21.4] });
    assert.match(call ?? '', /late by 44\.2 ms \(a call made after its time/);
    assert.equal(worstLateness({ calls: [1, 7], deliveries: [3] }), 7);
    assert.equal(worstLateness({ calls: [], deliveries: [] }), 0);
  });

  it('summarises each kind by median and maximum', () => {
    assert.equal(latenessSummary([]), 'none');
    assert.equal(latenessSummary([3, 0.04, 1.26]), 'median 1.3 ms, max 3 ms (3)');
  });
});
