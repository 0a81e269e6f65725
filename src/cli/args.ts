// Argument parsing for the four commands: positional arguments plus a fixed set of options
// per command; anything else is a wrong invocation (status 2).

import { UsageError } from './io';

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string | true>;
}

interface OptionSpec {
  /** Canonical name, e.g. `--format`. */
  name: string;
  aliases?: string[];
  takesValue: boolean;
}

export function parseArgs(command: string, args: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  let onlyPositional = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (onlyPositional || a === '-' || !a.startsWith('-')) {
      positional.push(a);
      continue;
    }
    if (a === '--') {
      onlyPositional = true;
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const spec = specs.find((s) => s.name === flag || s.aliases?.includes(flag));
    if (!spec) throw new UsageError(`${command}: unknown option ${flag}`);
    if (options.has(spec.name)) throw new UsageError(`${command}: ${spec.name} given twice`);
    if (!spec.takesValue) {
      if (eq > 0) throw new UsageError(`${command}: ${spec.name} takes no value`);
      options.set(spec.name, true);
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = a.slice(eq + 1);
    else value = args[++i];
    if (value === undefined) throw new UsageError(`${command}: ${spec.name} needs a value`);
    options.set(spec.name, value);
  }
  return { positional, options };
}

export function stringOption(p: ParsedArgs, name: string): string | undefined {
  const v = p.options.get(name);
  return typeof v === 'string' ? v : undefined;
}
