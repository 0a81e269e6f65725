// `--profile rfc|linux` of `tcpscn verify`: the model side run with that profile whatever the file
// sets. The profile is an ordinary scenario option (`set profile = ...`), so the override is one
// more setting, placed first so that the file's explicit `set`s still win over the profile's
// defaults, as they do in the editor; a `profile` the file or its variants set is replaced.

import type { OptionSetting, OptionValue, Scenario } from '../core/ast';
import { OPTION_NAMES, range, type OptionName } from '../core/types';

export const PROFILES = ['rfc', 'linux'] as const;
export type Profile = (typeof PROFILES)[number];

/** True when this build's model knows the `profile` option. */
export function modelHasProfiles(): boolean {
  return (OPTION_NAMES as readonly string[]).includes('profile');
}

/** The scenario with `set profile = P` first and every other `profile` setting removed. */
export function withProfile(scenario: Scenario, profile: Profile): Scenario {
  const name = 'profile' as OptionName;
  const at = range(0, 0, 0);
  const setting: OptionSetting = {
    kind: 'set',
    name: { value: name, range: at },
    value: { value: profile as unknown as OptionValue, range: at },
    range: at,
  };
  const notProfile = (s: OptionSetting) => s.name.value !== name;
  return {
    ...scenario,
    settings: [setting, ...scenario.settings.filter(notProfile)],
    variants: scenario.variants.map((v) => ({ ...v, overrides: v.overrides.filter(notProfile) })),
  };
}

/** The profile a scenario's variant runs with, as written (rfc when not written). */
export function profileOf(scenario: Scenario, variant: string): string {
  let p = 'rfc';
  for (const s of scenario.settings) if (s.name.value === ('profile' as OptionName)) p = String(s.value.value);
  const v = scenario.variants.find((x) => x.label.value === variant);
  for (const s of v?.overrides ?? []) if (s.name.value === ('profile' as OptionName)) p = String(s.value.value);
  return p;
}
