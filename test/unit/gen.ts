// Generators of random VALID `.tcpscn` scenarios for property tests (parser, simulator,
// renderers). A generated scenario is realistic: 2-4 endpoints, the first listens and the
// others connect to it, then data, closes, aborts, `on` triggers, network rules, variants and
// expectations, written with the spellings the spec allows (any-case states and flags, `-` or
// `_`, `A->B` or `A -> B`, comments, CRLF). It parses with no diagnostic at all: no error and
// no warning (every endpoint is used; every trigger can fire as far as the parser can tell).
//
// Sizes stay small (at most ~20 events, sends of a few kB) so a simulator run is quick.

import fc from 'fast-check';

export interface GeneratedScenario {
  text: string;
  /** Endpoint names in declaration order. */
  endpoints: string[];
  /** Variant labels declared (without "default"). */
  variants: string[];
  /** Number of event lines (calls, net rules, expectations). */
  eventCount: number;
  /** Whether a title line was written. */
  hasTitle: boolean;
}

const NAMES = ['client', 'server', 'passerby', 'peer_2', 'alice', 'bob', 'Node-3', 'x'];
const STATES = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RECEIVED',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
];
const FLAGS = ['SYN', 'FIN', 'RST', 'PSH', 'ACK'];
const HAZARDS = ['old-duplicate', 'reset-close', 'time-wait-assassination'];
const ERRORS = ['EADDRINUSE', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTCONN', 'EINVAL'];

/** A state or flag name in one of the spellings the spec accepts. */
function spelled(canonical: string): fc.Arbitrary<string> {
  return fc.constantFrom(
    canonical,
    canonical.toLowerCase(),
    canonical.toLowerCase().replace(/_/g, '-'),
    canonical
      .toLowerCase()
      .split('_')
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join('_'),
  );
}

const durationText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 0, max: 3000 }).map((n) => `${n}ms`),
  fc.integer({ min: 1, max: 50 }).map((n) => `${n / 10}s`),
  fc.integer({ min: 1, max: 9000 }).map((n) => `${n}us`),
  fc.constant('0'),
);
const positiveDurationText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 3000 }).map((n) => `${n}ms`),
  fc.integer({ min: 1, max: 30 }).map((n) => `${n / 10}s`),
);

/** `OPTION = VALUE` with a valid value. */
const optionAssignment: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(fc.constantFrom('msl', 'time_wait', 'latency', 'delayed_ack', 'duration'), durationText),
  fc.tuple(fc.constant('rto'), positiveDurationText),
  fc.tuple(fc.constant('max_retries'), fc.integer({ min: 0, max: 8 }).map(String)),
  fc.tuple(fc.constant('mss'), fc.integer({ min: 100, max: 65535 }).map(String)),
  fc.tuple(fc.constantFrom('rfc1337', 'challenge_ack'), fc.constantFrom('on', 'off')),
  fc.tuple(fc.constant('isn'), fc.constantFrom('fixed', 'clock')),
);

const space = fc.constantFrom(' ', '  ', '\t', ' \t ');
const comment = fc.option(fc.constantFrom('# why', '  # a note with "quotes" and ünïcödé', '#', '# -> * = , +'), {
  nil: undefined,
});

function address(i: number, shareWith: number | null, v6: boolean): string {
  const host = shareWith ?? i;
  return v6 ? `[fd00::${host + 1}]:${80 + host}` : `10.0.0.${host + 1}:${5000 + host}`;
}

interface Ctx {
  names: string[];
  variants: string[];
}

/** Text for titles and `send "TEXT"`: any Unicode on one line (quotes and backslashes included). */
const text = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom('"', '\\', '#', ' ', 'é', '😀', '\u05d0'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
    minLength: 1,
    maxLength: 12,
  })
  .filter((s) => !/[\r\n]/.test(s));

/** A quoted string literal with its escapes. */
function quoted(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function whenArb(ctx: Ctx): fc.Arbitrary<string> {
  const endpoint = fc.integer({ min: 0, max: ctx.names.length - 1 });
  return fc.oneof(
    { weight: 4, arbitrary: durationText },
    { weight: 2, arbitrary: durationText.filter((d) => d !== '0').map((d) => `+${d}`) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          endpoint,
          fc.option(
            durationText.filter((d) => d !== '0'),
            { nil: undefined },
          ),
        )
        .chain(([i, delay]) => {
          // The first endpoint listens, the others connect: pick states each can enter.
          const allowed = STATES.filter((s) => (i === 0 ? s !== 'SYN_SENT' : s !== 'LISTEN' && s !== 'SYN_RECEIVED'));
          return fc
            .constantFrom(...allowed)
            .chain((s) => spelled(s).map((st) => `on ${ctx.names[i]} ${st}${delay ? ` +${delay}` : ''}`));
        }),
    },
  );
}

function callArb(ctx: Ctx): fc.Arbitrary<string> {
  const n = ctx.names.length;
  const actor = fc.integer({ min: 0, max: n - 1 });
  return actor.chain((a) =>
    fc.oneof(
      fc.constantFrom('listen', 'close', 'shutdown', 'abort').map((v) => `${ctx.names[a]} ${v}`),
      fc.integer({ min: 1, max: n - 1 }).map((d) => `${ctx.names[a]} connect ${ctx.names[(a + d) % n]}`),
      fc.integer({ min: 1, max: 5000 }).map((b) => `${ctx.names[a]} send ${b}`),
      text.map((s) => `${ctx.names[a]} send ${quoted(s)}`),
    ),
  );
}

function dirArb(ctx: Ctx, allowAny: boolean): fc.Arbitrary<string> {
  const n = ctx.names.length;
  const pair = fc.tuple(
    fc.integer({ min: 0, max: n - 1 }),
    fc.integer({ min: 1, max: n - 1 }),
    fc.constantFrom('->', ' -> '),
  );
  const between = pair.map(([a, d, arrow]) => `${ctx.names[a]}${arrow}${ctx.names[(a + d) % n]}`);
  return allowAny ? fc.oneof(between, fc.constant('*')) : between;
}

const matchWords: fc.Arbitrary<string[]> = fc.oneof(
  fc.constant([] as string[]),
  fc.constant(['pure-ack'] as string[]),
  fc.uniqueArray(
    fc.oneof(
      fc.constantFrom(...FLAGS).chain(spelled),
      fc.constant('data'),
      fc.integer({ min: 0, max: 4294967295 }).map((s) => `seq=${s}`),
      fc.integer({ min: 0, max: 100000 }).map((s) => `ack=${s}`),
    ),
    { maxLength: 3, selector: (w) => w.split('=')[0]!.toUpperCase() },
  ),
);
const countArb = fc.option(
  fc.oneof(
    fc.integer({ min: 1, max: 5 }).map((c) => `count ${c}`),
    fc.constant('all'),
  ),
  { nil: undefined },
);

function netArb(ctx: Ctx): fc.Arbitrary<string> {
  const withCount = (parts: (string | undefined)[]): string =>
    parts.filter((p) => p !== undefined && p !== '').join(' ');
  return fc.oneof(
    fc.tuple(dirArb(ctx, true), matchWords, countArb).map(([d, m, c]) => withCount(['net drop', d, ...m, c])),
    fc
      .tuple(dirArb(ctx, true), matchWords, positiveDurationText, countArb)
      .map(([d, m, by, c]) => withCount(['net delay', d, ...m, `by ${by}`, c])),
    fc
      .tuple(dirArb(ctx, true), matchWords, fc.option(durationText, { nil: undefined }), countArb)
      .map(([d, m, after, c]) => withCount(['net duplicate', d, ...m, after ? `after ${after}` : undefined, c])),
    fc.integer({ min: 1, max: 40 }).map((k) => `net drop segment ${k}`),
    fc
      .tuple(
        dirArb(ctx, false),
        fc.uniqueArray(fc.constantFrom(...FLAGS), { minLength: 1, maxLength: 3 }),
        fc.option(fc.integer({ min: 0, max: 4294967295 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 4294967295 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 1460 }), { nil: undefined }),
      )
      .chain(([d, flags, seq, ack, len]) =>
        fc
          .tuple(...flags.map(spelled))
          .map((fl) =>
            withCount([
              'net inject',
              d,
              ...fl,
              seq !== undefined ? `seq=${seq}` : undefined,
              ack !== undefined ? `ack=${ack}` : undefined,
              len !== undefined ? `len=${len}` : undefined,
            ]),
          ),
      ),
  );
}

function expectArb(ctx: Ctx): fc.Arbitrary<string> {
  const endpoint = fc.constantFrom(...ctx.names);
  const assertion = fc.oneof(
    fc.tuple(endpoint, fc.constantFrom(...STATES).chain(spelled)).map(([e, s]) => `${e} ${s}`),
    fc.tuple(endpoint, fc.constantFrom(...ERRORS)).map(([e, c]) => `${e} error ${c}`),
    fc.constantFrom(...HAZARDS).map((h) => `hazard ${h}`),
    fc.constant('no hazards'),
    fc.constantFrom(...HAZARDS).map((h) => `no hazard ${h}`),
  );
  const label = fc.option(fc.constantFrom('default', ...ctx.variants), { nil: undefined });
  return fc.tuple(assertion, label).map(([a, l]) => `expect ${a}${l !== undefined ? ` in ${quoted(l)}` : ''}`);
}

function eventArb(ctx: Ctx): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(whenArb(ctx), callArb(ctx)).map(([w, c]) => `${w} ${c}`) },
    { weight: 2, arbitrary: fc.tuple(whenArb(ctx), netArb(ctx)).map(([w, r]) => `${w} ${r}`) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.option(whenArb(ctx), { nil: undefined }), expectArb(ctx))
        .map(([w, e]) => (w ? `${w} ${e}` : e)),
    },
  );
}

export const arbitraryScenario: fc.Arbitrary<GeneratedScenario> = fc
  .record({
    count: fc.integer({ min: 2, max: 4 }),
    names: fc.shuffledSubarray(NAMES, { minLength: 4, maxLength: 4 }),
    title: fc.option(text, { nil: undefined }),
    settings: fc.uniqueArray(optionAssignment, { maxLength: 4, selector: ([k]) => k }),
    v6: fc.boolean(),
    share: fc.boolean(),
    isns: fc.array(fc.option(fc.integer({ min: 0, max: 4294967295 }), { nil: undefined }), {
      minLength: 4,
      maxLength: 4,
    }),
    reuse: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    window: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
    link: fc.option(positiveDurationText, { nil: undefined }),
    variantLabels: fc.uniqueArray(fc.constantFrom('no TIME_WAIT', 'rfc1337', 'slow "net"', 'v\\2', 'ünï'), {
      maxLength: 2,
    }),
    crlf: fc.boolean(),
  })
  .chain((base) => {
    const names = base.names.slice(0, base.count);
    const ctx: Ctx = { names, variants: base.variantLabels };
    return fc
      .record({
        overrides: fc.array(fc.uniqueArray(optionAssignment, { minLength: 1, maxLength: 2, selector: ([k]) => k }), {
          minLength: base.variantLabels.length,
          maxLength: base.variantLabels.length,
        }),
        events: fc.array(eventArb(ctx), { maxLength: 14 }),
        connectTimes: fc.array(fc.integer({ min: 0, max: 500 }), { minLength: names.length, maxLength: names.length }),
        spaces: fc.array(space, { minLength: 8, maxLength: 8 }),
        comments: fc.array(comment, { minLength: 40, maxLength: 40 }),
      })
      .map(({ overrides, events, connectTimes, spaces, comments }) => {
        const lines: string[] = [];
        if (base.title !== undefined) lines.push(`title ${quoted(base.title)}`);
        for (const [k, v] of base.settings) lines.push(`set ${k}${spaces[0]}=${spaces[1]}${v}`);
        names.forEach((name, i) => {
          // With `share`, the last endpoint is a new incarnation of the second one's address.
          const sharing = base.share && i === names.length - 1 && i >= 2 ? 1 : null;
          const opts = [
            base.isns[i] !== undefined ? `isn=${base.isns[i]}` : undefined,
            i === 0 && base.window !== undefined ? `window=${base.window}` : undefined,
            base.reuse[i] ? 'reuse' : undefined,
          ].filter((o) => o !== undefined);
          lines.push([`endpoint ${name}`, address(i, sharing, base.v6), ...opts].join(spaces[2]));
        });
        if (base.link !== undefined) lines.push(`link ${names[0]} ${names[1]} latency ${base.link}`);
        base.variantLabels.forEach((label, i) => {
          const o = overrides[i]!.map(([k, v]) => `${k} = ${v}`).join(`,${spaces[3]}`);
          lines.push(`variant ${quoted(label)}${o ? ` ${o}` : ''}`);
        });
        const eventLines = [
          `0ms${spaces[4]}${names[0]} listen`,
          ...names.slice(1).map((n, i) => `${connectTimes[i + 1]}ms ${n} connect ${names[0]}`),
          ...events,
        ];
        lines.push(...eventLines);
        const withComments = lines.map((l, i) =>
          comments[i % comments.length] ? `${l} ${comments[i % comments.length]}` : l,
        );
        withComments.splice(Math.min(2, withComments.length), 0, '', '# a comment line');
        return {
          text: withComments.join(base.crlf ? '\r\n' : '\n') + (base.crlf ? '\r\n' : '\n'),
          endpoints: names,
          variants: base.variantLabels,
          eventCount: eventLines.length,
          hasTitle: base.title !== undefined,
        };
      });
  });

/** The text of a random valid scenario (see `arbitraryScenario`). */
export const arbitraryScenarioText: fc.Arbitrary<string> = arbitraryScenario.map((s) => s.text);
