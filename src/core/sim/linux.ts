// The `linux` profile's constants and pure rules: Linux 6.x (CONFIG_HZ = 250) as measured on
// a real kernel (see README.md, "The `linux` profile"). Options that a profile only defaults
// (TIME_WAIT, delayed ACK, RTO floor, SYN retries, fin_timeout, ...) are in the option table;
// what is here are the kernel's fixed numbers and the formulas that use them.

/** TCP_TIMEOUT_MIN, in jiffies (8 ms at HZ = 250): how soon a SYN is re-sent after a RST for a bad ACK in SYN_SENT. */
export const TCP_TIMEOUT_MIN = 2;
/** TCP_TIMEOUT_FALLBACK: the RTO once the handshake gave no RTT sample (RFC 6298 5.7). */
export const TCP_TIMEOUT_FALLBACK = 3_000;
/** TCP_DELACK_MAX: the longest a delayed ACK waits in pingpong mode. */
export const TCP_DELACK_MAX = 200;
/** HZ/2: the longest a delayed ACK waits otherwise (tcp_send_delayed_ack). */
export const DELACK_MAX_BULK = 500;
/** TCP_MAX_QUICKACKS: most ACKs sent at once in quick-ack mode. */
export const TCP_MAX_QUICKACKS = 16;
/** TCP_MSS_DEFAULT and TCP_MIN_MSS: bounds of the first estimate of the peer's MSS (tcp_initialize_rcv_mss). */
export const TCP_MSS_DEFAULT = 536;
export const TCP_MIN_MSS = 88;
/** tcp_orphan_retries = 0 means 8 for a socket that sent recently (tcp_orphan_retries()). */
export const ORPHAN_RETRIES = 8;
/** tcp_timewait_state_process: a SYN reopening a TIME_WAIT gets ISN = SND.NXT + 65535 + 2. */
export const TIME_WAIT_ISN_STEP = 65537;
/** secure_tcp_seq: the ISN clock is ktime_get_real_ns() >> 6, one tick per 64 ns, 15 625 per ms. */
export const ISN_PER_MS = 15_625;
/** The largest window without window scaling (RFC 7323 is off in the model). */
export const MAX_WINDOW = 65_535;

/**
 * tcp_model_timeout: the time budget `tcp_retries2 = n` gives data before ETIMEDOUT, as if the
 * RTO had started at `rtoBase` (TCP_RTO_MIN) and doubled n times, with doubling stopping at
 * `rtoMax` (TCP_RTO_MAX): (2^(n+1) - 1) × rtoBase up to the threshold, then rtoMax per retry.
 */
export function retryBudget(n: number, rtoBase: number, rtoMax: number): number {
  const thresh = rtoBase > 0 ? Math.floor(Math.log2(rtoMax / rtoBase)) : n;
  if (n <= thresh) return (2 ** (n + 1) - 1) * rtoBase;
  return (2 ** (thresh + 1) - 1) * rtoBase + (n - thresh) * rtoMax;
}

/**
 * tcp_select_initial_window: the window of a SYN or SYN,ACK is the receive space rounded down
 * to a multiple of the MSS (65 535 with MSS 1460 gives 64 240), no more than 65 535.
 */
export function initialWindow(rcvWnd: number, mss: number): number {
  const space = Math.min(rcvWnd, MAX_WINDOW);
  return space > mss ? space - (space % mss) : space;
}

/** tcp_initialize_rcv_mss: the first guess of the peer's segment size, before any data. */
export function initialRcvMss(mss: number, rcvWnd: number): number {
  return Math.max(TCP_MIN_MSS, Math.min(mss, Math.floor(rcvWnd / 2), TCP_MSS_DEFAULT));
}

/** tcp_incr_quickack: how many ACKs go out at once: the window over two segments, 2 at least, 16 at most. */
export function quickAcks(rcvWnd: number, rcvMss: number): number {
  const q = Math.floor(rcvWnd / (2 * rcvMss));
  return Math.min(q === 0 ? 2 : q, TCP_MAX_QUICKACKS);
}

/**
 * How long after it is armed a kernel timer of `delay` ms fires (kernel/time/timer.c), with
 * `hz` ticks per second, and the granule of the wheel level it fired from. The kernel rounds
 * the delay up to whole ticks (msecs_to_jiffies), d, and files the timer in the wheel level of d
 * (granules g of 1, 8, 64, 512, ... ticks for d below 63, 504, 4032, 32256, ... ticks;
 * calc_wheel_index), whose calc_index rounds the ABSOLUTE expiry (jiffies + d) up to the next
 * multiple of g, never early. So the delay depends on where jiffies stand in the granule:
 *
 * - Armed at an arbitrary instant (a segment arrived, an application called): nothing ties a
 *   scenario's time to the kernel's ticks, so the delay is uniform over (d, d + g] ticks, and
 *   the model takes its middle, d + g/2, the least expected error: a 1 s RTO fires 1016 ms later
 *   (the kernel: 1000-1032, measured 1002.5, 1028, 1031.6), a 40 ms delayed ACK 42 ms (measured
 *   41-42), a "now" (ATO 0) 2 ms (measured 2.7), a 60 s TIME_WAIT 61.024 s (60.1-62.4).
 * - Armed by a timer of the same socket as it fires (`armedOn` its granule gp, e.g. the RTO
 *   re-armed by its retransmission): the softirq runs it when jiffies reach its bucket, a
 *   multiple of gp. With g <= gp the new expiry is exact, d - (d mod g) + g ticks: a doubled
 *   RTO of 608 ms (152 ticks) fires 640 ms later, 1216 ms 1248 (measured 640 and 1248 on both
 *   data-retransmission examples). With g > gp the delay is uniform over the multiples of gp in
 *   the granule, and the model takes its middle again, d - (d mod gp) + (g + gp)/2.
 */
export function timerDelay(delay: number, hz: number, armedOn = 0): { delay: number; granule: number } {
  const tick = 1000 / hz;
  const d = Math.max(0, Math.ceil(delay / tick - 1e-9));
  let lvl = 0;
  while (lvl < 8 && d >= 63 * 8 ** lvl) lvl++;
  const g = 8 ** lvl;
  let ticks: number;
  if (armedOn <= 0) ticks = d + g / 2;
  else if (g <= armedOn) ticks = d - (d % g) + g;
  else ticks = d - (d % armedOn) + (g + armedOn) / 2;
  return { delay: ticks * tick, granule: g };
}
