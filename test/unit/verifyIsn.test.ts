// The verify wire's sequence-number rewriting (src/verify/isn.ts, packet.ts rewriteSeqAck): which
// model ISN each kernel incarnation takes, the offsets, the translation of acks for the socket
// that reads them (across a LAST_ACK reused by a new incarnation), injected segments, and the TCP
// checksum after rewriting, checked here by a computation of its own.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, simulate } from '../../src/core/index';
import { resolveOptions } from '../../src/core/sim/options';
import { DEFAULT_LIMITS } from '../../src/core/types';
import { asksForIsns, IsnRewriter, modelIsns, sideKey } from '../../src/verify/isn';
import { notHonoured, wireNotes } from '../../src/verify/kernel';
import { buildTcpPacket, bytesOf, parseTcpPacket, rewriteSeqAck } from '../../src/verify/packet';
import { withProfile } from '../../src/verify/profile';

const T = { timeout: 20_000 };
const EXAMPLES = join(__dirname, '..', '..', 'examples');

function linuxTrace(file: string, variant = 'default') {
  const sc = withProfile(parse(readFileSync(join(EXAMPLES, file), 'utf8')).scenario, 'linux');
  return simulate(sc, variant, DEFAULT_LIMITS).trace;
}

const CLIENT = sideKey('10.0.0.1', 5000, '10.0.0.2', 80);
const SERVER = sideKey('10.0.0.2', 80, '10.0.0.1', 5000);
const M32 = 2 ** 32;
const mod = (x: number) => ((x % M32) + M32) % M32;

/** The TCP checksum of an IPv4 packet, written out here from RFC 9293 3.1 and RFC 1071 (not packet.ts's). */
function tcpChecksumOk(b: Uint8Array): boolean {
  const ihl = (b[0] & 0x0f) * 4;
  const total = (b[2] << 8) | b[3];
  const tcp = Array.from(b.subarray(ihl, total));
  if (tcp.length % 2) tcp.push(0);
  const words: number[] = [];
  for (let i = 12; i < 20; i += 2) words.push((b[i] << 8) | b[i + 1]); // source and destination
  words.push(6, total - ihl); // zero + protocol, TCP length
  for (let i = 0; i < tcp.length; i += 2) words.push((tcp[i] << 8) | tcp[i + 1]);
  let sum = words.reduce((a, w) => a + w, 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum === 0xffff;
}

describe('verify ISNs: which model ISN each connection has', T, () => {
  it('one per connection of a side, in order: retransmissions and injected SYNs open none', () => {
    // old-duplicate-syn: the injected SYN (seq 90) is no connection of the client's; its real SYN
    // is retransmitted after the RST; the server opens two connections, both with isn=300.
    const old = modelIsns(linuxTrace('old-duplicate-syn.tcpscn'));
    assert.deepEqual(old.get(CLIENT), [100]);
    assert.deepEqual(old.get(SERVER), [300, 300]);
    // syn-meets-last-ack: the client's and then the passerby's connection on the client's port.
    const last = modelIsns(linuxTrace('syn-meets-last-ack.tcpscn'));
    assert.deepEqual(last.get(CLIENT), [0, 1000]);
    assert.equal(last.get(SERVER)?.length, 2);
  });

  it("a simultaneous open's SYN,ACK repeats its SYN's ISN and opens nothing", () => {
    const sim = modelIsns(linuxTrace('simultaneous-open.tcpscn'));
    assert.deepEqual([...sim.values()], [[100], [300]]);
  });

  it('rewrites only where the scenario writes ISNs (an endpoint isn=, or set isn in the file or the variant)', () => {
    const ep = 'endpoint a 10.0.0.1:1\nendpoint b 10.0.0.2:2\n';
    assert.equal(asksForIsns(parse(`${ep}0 a connect b\n`).scenario, 'default'), false);
    assert.equal(asksForIsns(parse(`set profile = linux\n${ep}`).scenario, 'default'), false);
    assert.equal(asksForIsns(parse(`set isn = clock\n${ep}`).scenario, 'default'), true);
    assert.equal(asksForIsns(parse('endpoint a 10.0.0.1:1 isn=5\nendpoint b 10.0.0.2:2\n').scenario, 'default'), true);
    const v = parse(`${ep}variant "v" isn = fixed\n`).scenario;
    assert.equal(asksForIsns(v, 'default'), false);
    assert.equal(asksForIsns(v, 'v'), true);
  });

  it('says what the wire does instead of naming the ISNs as not honoured; the profile clock keeps its note', () => {
    const fixed = parse('endpoint a 10.0.0.1:1 isn=5\nendpoint b 10.0.0.2:2\n').scenario;
    assert.doesNotMatch(notHonoured(fixed, 'default', resolveOptions(fixed, 'default')).join('\n'), /isn/);
    assert.match(
      wireNotes(fixed, 'default').join('\n'),
      /the wire rewrites sequence numbers so each peer sees the scenario's ISNs/,
    );
    const clock = withProfile(parse('endpoint a 10.0.0.1:1\nendpoint b 10.0.0.2:2\n').scenario, 'linux');
    assert.match(notHonoured(clock, 'default', resolveOptions(clock, 'default')).join('\n'), /isn: Linux chooses/);
    assert.deepEqual(wireNotes(clock, 'default'), []);
  });
});

describe('verify ISNs: offsets per incarnation', T, () => {
  it("a kernel's SYN takes its side's next model ISN; a retransmission keeps its incarnation", () => {
    const rw = new IsnRewriter(new Map([[CLIENT, [0, 1000]]]));
    const k1 = 0xfffffff0; // across the wrap
    assert.equal(rw.sent(CLIENT, k1, ['SYN']).seq, 0);
    assert.equal(rw.sent(CLIENT, k1, ['SYN']).seq, 0, 'the retransmitted SYN');
    assert.equal(rw.sent(CLIENT, mod(k1 + 1), ['ACK']).seq, 1);
    assert.equal(rw.sent(CLIENT, mod(k1 + 2), ['FIN', 'ACK']).seq, 2);
    const k2 = 123_456_789;
    const second = rw.sent(CLIENT, k2, ['SYN']);
    assert.equal(second.seq, 1000);
    assert.deepEqual(second.opened, { n: 2, kernelIsn: k2, modelIsn: 1000, offset: mod(1000 - k2), fromModel: true });
    assert.equal(rw.sent(CLIENT, k2 + 1, ['ACK']).seq, 1001);
    // A third connection the model never made keeps the kernel's numbers, and says so.
    const third = rw.sent(CLIENT, 77, ['SYN']);
    assert.equal(third.seq, 77);
    assert.equal(third.opened?.fromModel, false);
  });

  it("acks are translated for the receiver's current socket; a side with none is left alone", () => {
    const rw = new IsnRewriter(new Map([[SERVER, [300]]]));
    assert.equal(rw.received(SERVER, 4242), 4242, 'no incarnation yet');
    rw.sent(SERVER, 5_000_000, ['SYN', 'ACK']);
    assert.equal(rw.received(SERVER, 301), 5_000_001);
  });

  it("tcp_v4_send_reset's <SEQ=0> answer to a segment without ACK is no incarnation's number", () => {
    const rw = new IsnRewriter(new Map([[SERVER, [300]]]));
    rw.sent(SERVER, 5_000_000, ['SYN', 'ACK']);
    assert.equal(rw.sent(SERVER, 0, ['RST', 'ACK']).seq, 0);
    assert.equal(rw.sent(SERVER, 5_000_001, ['RST']).seq, 301);
  });

  it('across a LAST_ACK reused by a new incarnation: the old peer numbers reach the new socket, whose RST matches RCV.NXT', () => {
    // syn-meets-last-ack in numbers: the client (model ISN 0) closed and is gone; the server is
    // in LAST_ACK with RCV.NXT = 2 in the model's numbers (which it has seen all along); the
    // passerby (model ISN 1000) opens the client's port again.
    const rw = new IsnRewriter(
      new Map([
        [CLIENT, [0, 1000]],
        [SERVER, [781_250, 13_468_750]],
      ]),
    );
    const kc = 3_000_000_000;
    const ks = 10_000;
    const kp = 4_000_000_000;
    rw.sent(CLIENT, kc, ['SYN']);
    rw.sent(SERVER, ks, ['SYN', 'ACK']);
    assert.equal(rw.received(SERVER, 781_251), mod(ks + 1), 'the server sees its own numbers back');
    // The passerby's SYN: the server in LAST_ACK sees seq 1000, inside its window [2, 65537).
    assert.equal(rw.sent(CLIENT, kp, ['SYN']).seq, 1000);
    // Its challenge ACK: seq from the server's (old) incarnation, ack = RCV.NXT = 2, the OLD
    // client's numbers, as the model's server sends it.
    const challenge = { seq: rw.sent(SERVER, ks + 2, ['ACK']).seq, ack: 2 };
    assert.equal(challenge.seq, 781_252);
    // Handed to the passerby's kernel, the ack is in the passerby's own numbers: 2 - 1000 from
    // its ISN, unacceptable in SYN_SENT (not ISS + 1) as in the model.
    const seen = rw.received(CLIENT, challenge.ack);
    assert.equal(seen, mod(kp + 2 - 1000));
    assert.notEqual(seen, mod(kp + 1));
    // Its RST <SEQ=SEG.ACK> goes back as 2: exactly the LAST_ACK's RCV.NXT, so it resets it.
    assert.equal(rw.sent(CLIENT, seen, ['RST']).seq, 2);
    // The server's next connection (SYN,ACK from the listener) takes the model's second ISN and
    // acks the passerby's SYN in the model's numbers, which the passerby reads as ISS + 1.
    const kNew = 777;
    assert.equal(rw.sent(SERVER, kNew, ['SYN', 'ACK']).seq, 13_468_750);
    assert.equal(rw.received(CLIENT, 1001), mod(kp + 1));
    assert.equal(rw.received(SERVER, 13_468_751), kNew + 1);
  });

  it('an injected old duplicate SYN goes as written; the answer to it is unacceptable to the real SYN_SENT, whose RST resets it', () => {
    // old-duplicate-syn: `net inject client->server SYN seq=90` is in the model's numbers and
    // is not rewritten (the runner builds it with seq 90 and hands it over as is).
    const rw = new IsnRewriter(
      new Map([
        [CLIENT, [100]],
        [SERVER, [300, 300]],
      ]),
    );
    const kc = 2_000_000_000;
    const ks = 55;
    rw.sent(CLIENT, kc, ['SYN']); // the real SYN, held up by the network
    // The server answers the injected SYN: <SEQ=its ISN><ACK=91>.
    assert.equal(rw.sent(SERVER, ks, ['SYN', 'ACK']).seq, 300);
    const seen = rw.received(CLIENT, 91);
    assert.equal(seen, mod(kc + 91 - 100), 'SEG.ACK =< ISS in the client kernel, as 91 =< 100 in the model');
    assert.equal(rw.sent(CLIENT, seen, ['RST']).seq, 91, "the RST's seq is the half-open connection's RCV.NXT");
  });
});

describe('verify ISNs: the bytes', T, () => {
  /** A SYN Linux 6.18 sent (MSS, SACK-permitted, timestamps off, wscale): 20 bytes of options. */
  const LINUX_SYN = 'RQAANLk2QABABm15CgkAAQoJAAITiABQn6F2EAAAAACAAvrwNn8AAAIEBbQBAQQCAQMDCg==';

  it('rewrites seq and ack with a TCP checksum that holds over options and an odd payload', () => {
    const syn = bytesOf(Buffer.from(LINUX_SYN, 'base64'));
    assert.ok(tcpChecksumOk(syn));
    const s = rewriteSeqAck(syn, 300, 12345);
    assert.ok(tcpChecksumOk(s));
    assert.equal(parseTcpPacket(s)!.seq, 300);
    assert.deepEqual(s.subarray(0, 20), syn.subarray(0, 20), 'the IPv4 header is unchanged');
    assert.equal(new DataView(s.buffer, s.byteOffset).getUint32(28), 0, 'no ACK: the ack field is left as written');
    assert.deepEqual(s.subarray(40), syn.subarray(40), 'the options are unchanged');
    assert.equal(parseTcpPacket(syn)!.seq, 0x9fa17610, 'the original is not touched');
    for (const len of [0, 1, 101]) {
      const p = buildTcpPacket({
        src: '10.0.0.2',
        dst: '10.0.0.1',
        srcPort: 80,
        dstPort: 5000,
        seq: 1,
        ack: 1,
        flags: ['PSH', 'ACK'],
        window: 64240,
        len,
      });
      for (const [seq, ack] of [
        [0xffffffff, 0],
        [781_252, 2],
        [0x80000000, 0x7fffffff],
      ]) {
        const r = rewriteSeqAck(p, seq, ack);
        const back = parseTcpPacket(r)!;
        assert.equal(back.seq, seq);
        assert.equal(back.ack, ack);
        assert.ok(tcpChecksumOk(r), `len ${len} seq ${seq} ack ${ack}`);
      }
    }
  });
});
