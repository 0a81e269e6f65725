// Resolving a run's options: DEFAULT_OPTIONS, then the scenario's `set` statements, then the
// chosen variant's overrides (spec, "Variants" and "Options").

import type { OptionSetting, OptionValue, Scenario } from '../ast';
import { DEFAULT_OPTIONS, type OptionName, type Options } from '../types';

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

/** Maps a spec option name onto its `Options` field; a value of the wrong type is ignored (the parser reports it). */
export function applyOption(options: Options, name: OptionName, value: OptionValue): void {
  const num = typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
  const bool = typeof value === 'boolean' ? value : null;
  switch (name) {
    case 'msl':
      if (num !== null) options.msl = num;
      break;
    case 'time_wait':
      if (num !== null) options.timeWait = num;
      break;
    case 'latency':
      if (num !== null) options.latency = num;
      break;
    case 'rto':
      if (num !== null) options.rto = num;
      break;
    case 'max_retries':
      if (num !== null) options.maxRetries = Math.floor(num);
      break;
    case 'mss':
      // A segment carries at least one byte, or a send could never be cut into segments.
      if (num !== null) options.mss = Math.max(1, Math.floor(num));
      break;
    case 'delayed_ack':
      if (num !== null) options.delayedAck = num;
      break;
    case 'rfc1337':
      if (bool !== null) options.rfc1337 = bool;
      break;
    case 'challenge_ack':
      if (bool !== null) options.challengeAck = bool;
      break;
    case 'isn':
      if (value === 'fixed' || value === 'clock') options.isn = value;
      break;
    case 'duration':
      if (num !== null) options.duration = num;
      break;
  }
}
