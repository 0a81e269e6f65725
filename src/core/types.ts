// Vocabulary shared by every part of the core: TCP's own words (states, flags, errors),
// the scenario-wide options, and source positions for diagnostics.

// The words themselves live in vocabulary.ts (the one list of the language's words); they
// are re-exported here because every part of the core already imports its types from here.
export {
  DEFAULT_OPTIONS,
  ERROR_CODES,
  FLAGS,
  HAZARD_KINDS,
  OPTION_NAMES,
  TCP_STATES,
  VERBS,
  type ErrorCode,
  type Flag,
  type HazardKind,
  type OptionName,
  type Options,
  type Profile,
  type TcpState,
  type Verb,
} from './vocabulary';
import { FLAGS, TCP_STATES, type Flag, type Options, type TcpState } from './vocabulary';

/** The effective TIME_WAIT length of a set of options. */
export function timeWaitOf(options: Options): number {
  return options.timeWait ?? 2 * options.msl;
}

/** Hard limits of a run (spec: "A run that reaches 100 000 segments or 10 000 000 events stops"). */
export interface Limits {
  maxSegments: number;
  maxEvents: number;
}
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({ maxSegments: 100_000, maxEvents: 10_000_000 });

/** A position in a document: zero-based line and zero-based UTF-16 column, as VS Code counts. */
export interface Position {
  line: number;
  character: number;
}

/** A half-open range [start, end) in a document. */
export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  message: string;
  range: Range;
  /** A stable machine-readable code, e.g. `unknown-state`, `expectation-failed`. */
  code: string;
}

export function range(line: number, startCharacter: number, endCharacter: number): Range {
  return { start: { line, character: startCharacter }, end: { line, character: endCharacter } };
}

/**
 * Normalizes a state or flag name as the spec allows: any case, `-` or `_`.
 * `fin-wait-1` -> `FIN_WAIT_1`. Returns the canonical spelling, not checked for validity.
 */
export function normalizeName(word: string): string {
  return word.toUpperCase().replace(/-/g, '_');
}

export function parseTcpState(word: string): TcpState | undefined {
  const n = normalizeName(word);
  return (TCP_STATES as readonly string[]).includes(n) ? (n as TcpState) : undefined;
}

export function parseFlag(word: string): Flag | undefined {
  const n = normalizeName(word);
  return (FLAGS as readonly string[]).includes(n) ? (n as Flag) : undefined;
}
