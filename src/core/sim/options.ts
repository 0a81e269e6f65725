// Resolving a run's options: the profile's defaults (DEFAULT_OPTIONS for `rfc`), then the
// scenario's `set` statements, then the chosen variant's overrides (spec, "Variants" and "Options").

import type { OptionSetting, OptionValue, Scenario } from '../ast';
import { DEFAULT_OPTIONS, type OptionName, type Options } from '../types';
import { coerceOptionValue, DEFAULT_PROFILE, defaultOptions, optionSpec, PROFILES, type Profile } from '../vocabulary';

export const DEFAULT_VARIANT = 'default';

/** `'default'` first, then each `variant` label in file order. */
export function variantLabels(scenario: Scenario): string[] {
  const labels = [DEFAULT_VARIANT];
  for (const v of scenario.variants) if (!labels.includes(v.label.value)) labels.push(v.label.value);
  return labels;
}

/**
 * The profile first (the variant's, else the file's `set profile`, else `rfc`) gives every
 * default, from the option table; then the file's `set` lines and the variant's overrides, so
 * an explicit value wins over the profile's (`set profile = linux` with `set msl = 2s` keeps
 * MSL at 2 s, in every variant).
 */
export function resolveOptions(scenario: Scenario, variant: string): Options {
  const decl = variant !== DEFAULT_VARIANT ? scenario.variants.find((v) => v.label.value === variant) : undefined;
  const overrides = decl ? decl.overrides : [];
  let profile: Profile = DEFAULT_PROFILE;
  for (const s of [...scenario.settings, ...overrides]) {
    const v = s.value.value;
    if (s.name.value === 'profile' && typeof v === 'string' && (PROFILES as readonly string[]).includes(v))
      profile = v as Profile;
  }
  const options: Options = profile === DEFAULT_PROFILE ? { ...DEFAULT_OPTIONS } : defaultOptions(profile);
  for (const s of scenario.settings) applySetting(options, s);
  for (const s of overrides) applySetting(options, s);
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
