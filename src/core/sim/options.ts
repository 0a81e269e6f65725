// Resolving a run's options: DEFAULT_OPTIONS, then the scenario's `set` statements, then the
// chosen variant's overrides (spec, "Variants" and "Options").

import type { OptionSetting, OptionValue, Scenario } from '../ast';
import { DEFAULT_OPTIONS, type OptionName, type Options } from '../types';
import { coerceOptionValue, optionSpec } from '../vocabulary';

export const DEFAULT_VARIANT = 'default';

/** `'default'` first, then each `variant` label in file order. */
export function variantLabels(scenario: Scenario): string[] {
  const labels = [DEFAULT_VARIANT];
  for (const v of scenario.variants) if (!labels.includes(v.label.value)) labels.push(v.label.value);
  return labels;
}

export function resolveOptions(scenario: Scenario, variant: string): Options {
  const options: Options = { ...DEFAULT_OPTIONS };
  for (const s of scenario.settings) applySetting(options, s);
  if (variant !== DEFAULT_VARIANT) {
    const decl = scenario.variants.find((v) => v.label.value === variant);
    if (decl) for (const s of decl.overrides) applySetting(options, s);
  }
  return options;
}

function applySetting(options: Options, s: OptionSetting): void {
  applyOption(options, s.name.value, s.value.value);
}

/**
 * Sets the `Options` field of an option from its table entry (vocabulary.ts): the value is
 * taken as the entry's kind takes it; a value of the wrong kind is ignored (the parser
 * reports it).
 */
export function applyOption(options: Options, name: OptionName, value: OptionValue): void {
  const spec = optionSpec(name);
  if (!spec) return;
  const v = coerceOptionValue(spec, value);
  if (v !== undefined) (options as Record<string, unknown>)[spec.field] = v;
}
