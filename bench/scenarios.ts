// Scenario generators for the benchmarks. Sizes are given in segments: the real count comes
// from the trace and is what the tables report.
//
// `transfer(n)`: one connection, `mss = 10`, one `send` big enough for about n segments. With
// delayed_ack 0 every data segment is acknowledged at once, so a send of B bytes makes about
// 2 * B / 10 segments, plus the handshake (3) and the four-segment close (4).
// `manyConnections(n)`: k client endpoints, each with a handshake, 20 bytes of data and a close
// to one listening server (about 9 segments each): many TCBs, many timers, many trace rows.

export function transfer(targetSegments: number): string {
  const dataSegments = Math.max(1, Math.round((targetSegments - 7) / 2));
  return [
    `title "Bulk transfer, about ${targetSegments} segments"`,
    'set mss = 10',
    'endpoint client 10.0.0.1:5000',
    'endpoint server 10.0.0.2:80',
    '0 server listen',
    '0 client connect server',
    `200ms client send ${dataSegments * 10}`,
    '+10s client close',
    '+1ms server close',
    'expect no hazards',
    '',
  ].join('\n');
}

export function manyConnections(targetSegments: number): string {
  const k = Math.max(1, Math.round(targetSegments / 9));
  const lines = ['title "Many connections"', 'set time_wait = 1s', 'endpoint server 10.0.0.2:80'];
  for (let i = 0; i < k; i++) lines.push(`endpoint c${i} 10.0.${(i >> 8) & 255}.${i & 255}:${1024 + (i % 60000)}`);
  lines.push('0 server listen');
  for (let i = 0; i < k; i++) {
    const t = 10 + i * 5;
    lines.push(`${t}ms c${i} connect server`, `${t + 200}ms c${i} send 20`, `${t + 400}ms c${i} close`);
  }
  lines.push('');
  return lines.join('\n');
}

/** A text of about `bytes` characters made of valid, commented event lines (parser stress). */
export function megabyteFile(bytes: number): string {
  const head = [
    'title "A very long file"',
    'endpoint client 10.0.0.1:5000',
    'endpoint server 10.0.0.2:80',
    '0 server listen',
    '0 client connect server',
  ];
  const lines = [...head];
  let size = head.join('\n').length;
  let i = 0;
  while (size < bytes) {
    const line = `${1000 + i}ms expect client ESTABLISHED   # check ${i}: still connected after ${i} ms of quiet`;
    lines.push(line);
    size += line.length + 1;
    i++;
  }
  return lines.join('\n');
}
