// The classic pcap file format (the one Wireshark and tcpdump read everywhere): a global header,
// then one record per packet. LINKTYPE_RAW (101): each record is a bare IPv4 packet, which is
// exactly what the TUN devices carry (IFF_NO_PI). Pure: packets in, bytes out.

export const LINKTYPE_RAW = 101;
const MAGIC_MICROSECONDS = 0xa1b2c3d4;

export interface PcapRecord {
  /** Time since the Unix epoch, in microseconds. */
  timeUs: number;
  data: Uint8Array;
}

export function writePcap(records: readonly PcapRecord[]): Uint8Array {
  const size = 24 + records.reduce((n, r) => n + 16 + r.data.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, MAGIC_MICROSECONDS, true);
  v.setUint16(4, 2, true); // version 2.4
  v.setUint16(6, 4, true);
  v.setInt32(8, 0, true); // thiszone
  v.setUint32(12, 0, true); // sigfigs
  v.setUint32(16, 65535, true); // snaplen
  v.setUint32(20, LINKTYPE_RAW, true);
  let at = 24;
  for (const r of records) {
    const us = Math.max(0, Math.round(r.timeUs));
    v.setUint32(at, Math.floor(us / 1e6), true);
    v.setUint32(at + 4, us % 1e6, true);
    v.setUint32(at + 8, r.data.length, true);
    v.setUint32(at + 12, r.data.length, true);
    out.set(r.data, at + 16);
    at += 16 + r.data.length;
  }
  return out;
}

/** Reads a file written by writePcap (little-endian, microseconds); throws on anything else. */
export function readPcap(b: Uint8Array): { linkType: number; records: PcapRecord[] } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 24 || v.getUint32(0, true) !== MAGIC_MICROSECONDS) throw new Error('not a little-endian pcap file');
  const linkType = v.getUint32(20, true);
  const records: PcapRecord[] = [];
  let at = 24;
  while (at + 16 <= b.length) {
    const sec = v.getUint32(at, true);
    const usec = v.getUint32(at + 4, true);
    const incl = v.getUint32(at + 8, true);
    if (at + 16 + incl > b.length) throw new Error(`truncated record at byte ${at}`);
    records.push({ timeUs: sec * 1e6 + usec, data: b.slice(at + 16, at + 16 + incl) });
    at += 16 + incl;
  }
  if (at !== b.length) throw new Error(`trailing ${b.length - at} bytes`);
  return { linkType, records };
}
