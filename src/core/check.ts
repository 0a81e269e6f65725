// Checks that need the whole file: names used before or after their declaration, duplicate
// declarations, and warnings where the author probably erred (an endpoint nobody uses, an
// `on` trigger that cannot fire). The parser calls this once every line has been read; a
// statement found wrong here is marked failed and so left out of the Scenario.

import type { Located, Statement } from './ast';
import { clipQuotes, didYouMean } from './suggest';
import type { Diagnostic, TcpState, Verb } from './types';

/** What the parser made of one non-blank line. */
export interface LineResult {
  line: number;
  /** The statement, complete or partial (null when the line ended before one was built). */
  stmt: Statement | null;
  /** True when any error concerns this line: the statement is left out. */
  failed: boolean;
}

/** A use of an endpoint name, collected even from lines with other errors (they still show intent). */
export interface NameRef {
  name: Located<string>;
  /** actor: does `verb`; peer: `connect PEER`; rule: in a net rule's direction; expect: in an assertion; trigger: `on NAME STATE`; link: in a link. */
  role: 'actor' | 'peer' | 'rule' | 'expect' | 'trigger' | 'link';
  verb?: Verb;
  /** For a trigger: the state it waits for. */
  state?: TcpState;
  result: LineResult;
}

export function checkScenario(
  results: readonly LineResult[],
  refs: readonly NameRef[],
  variantRefs: readonly { label: Located<string>; result: LineResult }[],
  declaredEndpoints: ReadonlySet<string>,
  declaredVariants: ReadonlySet<string>,
  diagnostics: Diagnostic[],
): void {
  const error = (result: LineResult, range: Located<unknown>['range'], code: string, message: string): void => {
    result.failed = true;
    diagnostics.push({ severity: 'error', code, message: clipQuotes(message), range });
  };
  const warn = (range: Located<unknown>['range'], code: string, message: string): void => {
    diagnostics.push({ severity: 'warning', code, message: clipQuotes(message), range });
  };

  // Declarations: one endpoint per name, one variant per label.
  const endpointLine = new Map<string, number>();
  const addressOf = new Map<string, string>();
  const validEndpoints: { name: Located<string>; result: LineResult }[] = [];
  const variantLine = new Map<string, number>();
  for (const r of results) {
    const s = r.stmt;
    if (s?.kind === 'endpoint') {
      const first = endpointLine.get(s.name.value);
      if (first !== undefined) {
        error(
          r,
          s.name.range,
          'duplicate-endpoint',
          `endpoint \`${s.name.value}\` is already declared on line ${first + 1}; give this one another name (two endpoints may share an address and port)`,
        );
      } else {
        endpointLine.set(s.name.value, r.line);
        addressOf.set(s.name.value, `${s.address}|${s.port}`);
        validEndpoints.push({ name: s.name, result: r });
      }
    } else if (s?.kind === 'variant') {
      const label = s.label.value;
      if (label === 'default') {
        error(
          r,
          s.label.range,
          'duplicate-variant',
          '"default" is the label of the scenario without overrides; choose another label',
        );
        continue;
      }
      const first = variantLine.get(label);
      if (first !== undefined)
        error(
          r,
          s.label.range,
          'duplicate-variant',
          `variant "${label}" is already declared on line ${first + 1}; labels must differ`,
        );
      else variantLine.set(label, r.line);
    }
  }

  // Uses of names.
  const known = [...declaredEndpoints];
  for (const ref of refs) {
    if (declaredEndpoints.has(ref.name.value)) continue;
    const hint = didYouMean(ref.name.value, known) || ` (declare it with \`endpoint ${ref.name.value} ADDRESS:PORT\`)`;
    error(ref.result, ref.name.range, 'unknown-endpoint', `unknown endpoint \`${ref.name.value}\`${hint}`);
  }
  const labels = [...declaredVariants, 'default'];
  for (const v of variantRefs) {
    if (v.label.value === 'default' || declaredVariants.has(v.label.value)) continue;
    const hint =
      didYouMean(v.label.value, labels, (c) => `"${c}"`) ||
      (declaredVariants.size === 0
        ? ' (the file declares no variant; only "default" exists)'
        : ` (variants: ${labels.map((l) => `"${l}"`).join(', ')})`);
    error(v.result, v.label.range, 'unknown-variant', `no variant is labelled "${v.label.value}"${hint}`);
  }

  // Links: one per pair of endpoints.
  const linkLine = new Map<string, number>();
  for (const r of results) {
    const s = r.stmt;
    if (s?.kind !== 'link' || r.failed) continue;
    const key = [s.a.value, s.b.value].sort().join('\u0000');
    const first = linkLine.get(key);
    if (first !== undefined)
      error(
        r,
        s.range,
        'duplicate-link',
        `the link between \`${s.a.value}\` and \`${s.b.value}\` is already given on line ${first + 1}`,
      );
    else linkLine.set(key, r.line);
  }

  // Warnings: unused endpoints and triggers that cannot fire.
  const used = new Set<string>();
  const listens = new Set<string>();
  const connects = new Set<string>();
  const connectedAddresses = new Set<string>();
  for (const ref of refs) {
    if (ref.role !== 'link') used.add(ref.name.value);
    if (ref.role === 'actor' && ref.verb === 'listen') listens.add(ref.name.value);
    if (ref.role === 'actor' && ref.verb === 'connect') connects.add(ref.name.value);
    if (ref.role === 'peer') {
      const a = addressOf.get(ref.name.value);
      if (a) connectedAddresses.add(a);
    }
  }
  for (const e of validEndpoints) {
    if (e.result.failed || used.has(e.name.value)) continue;
    warn(
      e.name.range,
      'unused-endpoint',
      `endpoint \`${e.name.value}\` is never used: it makes no call, nothing connects to it, and no rule, trigger or expectation names it`,
    );
  }
  for (const ref of refs) {
    if (ref.role !== 'trigger' || !ref.state || !endpointLine.has(ref.name.value)) continue;
    const name = ref.name.value;
    const state = ref.state;
    const address = addressOf.get(name);
    const connectedTo = address !== undefined && connectedAddresses.has(address);
    let why: string | null = null;
    if (!listens.has(name) && !connects.has(name)) {
      why = `\`${name}\` never calls \`listen\` or \`connect\`, so it never leaves CLOSED`;
    } else if (state === 'LISTEN' && !listens.has(name)) {
      why = `\`${name}\` never calls \`listen\``;
    } else if (state === 'SYN_SENT' && !connects.has(name)) {
      why = `\`${name}\` never calls \`connect\``;
    } else if (state === 'SYN_RECEIVED' && !listens.has(name) && !connectedTo) {
      why = `\`${name}\` never listens and nothing connects to it, so it never receives a SYN`;
    }
    if (why)
      warn(ref.name.range, 'trigger-never-fires', `this trigger can never fire: ${why} (${state} is never entered)`);
  }
}
