// IPv4 + TCP as they cross the verify wire: parsing what a kernel wrote into its TUN device, and
// building the segments `net inject` forges, and rewriting sequence numbers where the wire gives the
// kernels the scenario's ISNs (isn.ts). Pure (Uint8Arrays in, Uint8Arrays out), so the checksums
// are unit-tested. No options are parsed beyond their length: timestamps, SACK and window scaling are
// switched off in every namespace, and the MSS option only matters to the kernels themselves.

import type { Flag } from '../core/types';

// Uint8Array and DataView rather than Uint8Array: the same code runs in tests and the bundle, and
// this project's @types/node does not let a Buffer pass for a Uint8Array under TypeScript 5.9.
function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** A Node Uint8Array (or any byte view) as a plain Uint8Array over the same memory. */
export function bytesOf(b: { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export interface TcpPacket {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  /** Meaningful only when ACK is set. */
  ack: number;
  flags: Flag[];
  window: number;
  /** Payload length in bytes. */
  len: number;
}

// Bits of the TCP header's flags byte (RFC 9293 3.1), and the trace's order SYN, FIN, RST, PSH, ACK.
const FLAG_BITS: ReadonlyArray<[Flag, number]> = [
  ['SYN', 0x02],
  ['FIN', 0x01],
  ['RST', 0x04],
  ['PSH', 0x08],
  ['ACK', 0x10],
];

export function ipToBytes(address: string): number[] {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${address}`);
  }
  return parts;
}

function bytesToIp(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** The Internet checksum (RFC 1071) of `data`, starting from a partial sum. */
export function internetChecksum(data: Uint8Array, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < data.length; i += 2) sum += (data[i] << 8) | data[i + 1];
  if (data.length % 2 === 1) sum += data[data.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The TCP pseudo-header's partial sum (RFC 9293 3.1: source, destination, zero, protocol 6, TCP length). */
function pseudoHeaderSum(src: string, dst: string, tcpLength: number): number {
  const s = ipToBytes(src);
  const d = ipToBytes(dst);
  return ((s[0] << 8) | s[1]) + ((s[2] << 8) | s[3]) + ((d[0] << 8) | d[1]) + ((d[2] << 8) | d[3]) + 6 + tcpLength;
}

/** Parses an IPv4 packet carrying TCP; null for anything else (IPv6, ICMP, fragments). */
export function parseTcpPacket(b: Uint8Array): TcpPacket | null {
  if (b.length < 20 || b[0] >> 4 !== 4) return null;
  const v = view(b);
  const ihl = (b[0] & 0x0f) * 4;
  const total = Math.min(v.getUint16(2), b.length);
  if (b[9] !== 6 || total < ihl + 20) return null;
  const t = ihl;
  const dataOffset = (b[t + 12] >> 4) * 4;
  const bits = b[t + 13];
  return {
    src: bytesToIp(b, 12),
    dst: bytesToIp(b, 16),
    srcPort: v.getUint16(t),
    dstPort: v.getUint16(t + 2),
    seq: v.getUint32(t + 4),
    ack: v.getUint32(t + 8),
    flags: FLAG_BITS.filter(([, bit]) => (bits & bit) !== 0).map(([f]) => f),
    window: v.getUint16(t + 14),
    len: Math.max(0, total - ihl - dataOffset),
  };
}

/** True when the IPv4 header checksum and the TCP checksum of `b` are right. */
export function checksumsValid(b: Uint8Array): boolean {
  const v = view(b);
  const ihl = (b[0] & 0x0f) * 4;
  if (internetChecksum(b.subarray(0, ihl)) !== 0) return false;
  const total = v.getUint16(2);
  const tcp = b.subarray(ihl, total);
  return internetChecksum(tcp, pseudoHeaderSum(bytesToIp(b, 12), bytesToIp(b, 16), tcp.length)) === 0;
}

/** Builds an IPv4/TCP packet with correct checksums, no options and `len` zero bytes of payload. */
export function buildTcpPacket(p: TcpPacket, id = 0): Uint8Array {
  const tcpLength = 20 + p.len;
  const b = new Uint8Array(20 + tcpLength);
  const v = view(b);
  b[0] = 0x45;
  v.setUint16(2, b.length);
  v.setUint16(4, id & 0xffff);
  v.setUint16(6, 0x4000); // DF, as Linux sets it
  b[8] = 64;
  b[9] = 6;
  b.set(ipToBytes(p.src), 12);
  b.set(ipToBytes(p.dst), 16);
  v.setUint16(10, internetChecksum(b.subarray(0, 20)));
  const t = 20;
  v.setUint16(t, p.srcPort);
  v.setUint16(t + 2, p.dstPort);
  v.setUint32(t + 4, p.seq >>> 0);
  v.setUint32(t + 8, p.flags.includes('ACK') ? p.ack >>> 0 : 0);
  b[t + 12] = 5 << 4;
  b[t + 13] = FLAG_BITS.filter(([f]) => p.flags.includes(f)).reduce((acc, [, bit]) => acc | bit, 0);
  v.setUint16(t + 14, p.window & 0xffff);
  v.setUint16(t + 16, internetChecksum(b.subarray(t), pseudoHeaderSum(p.src, p.dst, tcpLength)));
  return b;
}

/**
 * A copy of the IPv4/TCP packet `b` with its sequence and acknowledgment numbers set to `seq` and
 * `ack` (isn.ts), and its TCP checksum computed again over the pseudo-header, the header with its
 * options, and the payload (RFC 9293 3.1). The IPv4 header does not change. Without ACK the
 * acknowledgment field is left as the sender wrote it.
 */
export function rewriteSeqAck(b: Uint8Array, seq: number, ack: number): Uint8Array {
  const out = new Uint8Array(b);
  const v = view(out);
  const ihl = (out[0] & 0x0f) * 4;
  const total = Math.min(v.getUint16(2), out.length);
  const t = ihl;
  v.setUint32(t + 4, seq >>> 0);
  if ((out[t + 13] & 0x10) !== 0) v.setUint32(t + 8, ack >>> 0);
  v.setUint16(t + 16, 0);
  const tcp = out.subarray(t, total);
  v.setUint16(t + 16, internetChecksum(tcp, pseudoHeaderSum(bytesToIp(out, 12), bytesToIp(out, 16), tcp.length)));
  return out;
}
