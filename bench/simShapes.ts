// Scenario generators whose size grows with k, one per way the simulator's cost could grow with
// the size of a run: many connections through one server (the bench's shape), many net rules
// used up one after the other, many sends queued behind a small window, many expectations
// checked against a growing list of errors, many triggers. Used by bench/growth.ts.

function clients(k: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < k; i++) lines.push(`endpoint c${i} 10.1.${(i >> 8) & 255}.${i & 255}:${1024 + (i % 60000)}`);
  return lines;
}

/** k clients, each: connect, send 20 bytes, close, to one listening server (about 9 segments each). */
export function manyConnections(k: number): string {
  const lines = ['set time_wait = 1s', 'endpoint server 10.0.0.2:80', ...clients(k), '0 server listen'];
  for (let i = 0; i < k; i++) {
    const t = 10 + i * 5;
    lines.push(`${t}ms c${i} connect server`, `${t + 200}ms c${i} send 20`, `${t + 400}ms c${i} close`);
  }
  return `${lines.join('\n')}\n`;
}

/** The same, with a one-shot `net delay` armed per connection (k rules, each used up at once). */
export function manyRules(k: number): string {
  const lines = ['set time_wait = 1s', 'endpoint server 10.0.0.2:80', ...clients(k), '0 server listen'];
  for (let i = 0; i < k; i++) {
    const t = 10 + i * 5;
    lines.push(
      `${t}ms net delay c${i}->server SYN by 1ms`,
      `${t}ms c${i} connect server`,
      `${t + 200}ms c${i} send 20`,
      `${t + 400}ms c${i} close`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** One connection, k sends of 10 bytes queued at one instant behind a one-segment window. */
export function manySends(k: number): string {
  const lines = [
    'set mss = 10',
    'set delayed_ack = 0',
    'endpoint client 10.0.0.1:5000',
    'endpoint server 10.0.0.2:80 window=10',
    '0 server listen',
    '0 client connect server',
  ];
  for (let i = 0; i < k; i++) lines.push('100ms client send 10');
  return `${lines.join('\n')}\n`;
}

/** k clients refused by a closed port, each with an `expect error` checked after its refusal, and a trigger. */
export function manyErrors(k: number): string {
  const lines = ['endpoint server 10.0.0.2:80', ...clients(k)];
  for (let i = 0; i < k; i++) {
    const t = 10 + i * 2;
    lines.push(
      `${t}ms c${i} connect server`,
      `${t + 1}ms expect c${i} error ECONNREFUSED`,
      `on c${i} SYN_SENT expect c${i} SYN_SENT`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * One connection, `set mss = 1`, k bytes sent at once and the first data segment lost: up to a
 * window of one-byte segments in flight awaiting acknowledgment, and as many held by the
 * receiver until the retransmission fills the gap.
 */
export function fullWindow(k: number): string {
  return [
    'set mss = 1',
    'endpoint client 10.0.0.1:5000',
    'endpoint server 10.0.0.2:80',
    '0 server listen',
    '0 client connect server',
    '100ms net drop client->server data count 1',
    `100ms client send ${k}`,
    '',
  ].join('\n');
}
