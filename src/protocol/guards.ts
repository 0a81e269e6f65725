// The small checks the protocol's validators are built from. Nothing crossing postMessage (or
// coming back from a webview's saved state) is trusted: every field is checked before use.

export type Rec = Record<string, unknown>;

export function isRec(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
export const isStr = (x: unknown): x is string => typeof x === 'string';
export const isBool = (x: unknown): x is boolean => typeof x === 'boolean';
export const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
export const isInt = (x: unknown): x is number => Number.isSafeInteger(x);
export const isNat = (x: unknown): x is number => isInt(x) && x >= 0;
export const isPos = (x: unknown): x is number => isInt(x) && x >= 1;
export const orNull =
  <T>(f: (x: unknown) => x is T) =>
  (x: unknown): x is T | null =>
    x === null || f(x);
export const arrayOf =
  <T>(f: (x: unknown) => x is T) =>
  (x: unknown): x is T[] =>
    Array.isArray(x) && x.every(f);
