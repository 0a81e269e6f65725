// `tcpscn verify FILE [--variant L] [--profile rfc|linux] [--pcap OUT.pcap] [--json] [--cap S]
// [--wait-time-wait]`: the scenario on this machine's kernel next to the model (src/verify/).
// Unlike the other commands it is asynchronous and real-time, so it has its own entry, with its
// outside world (files, the capability probe, the kernel run) injected for tests.
//
// Exit status: 0 same structure, 1 the structure differs or the file has errors, 2 a wrong
// invocation, 3 this machine cannot run it (what is missing is printed).

import type { Scenario } from '../core/ast';
import { analyze, parse, simulate } from '../core/index';
import { resolveOptions, variantLabels } from '../core/sim/options';
import { DEFAULT_LIMITS } from '../core/types';
import { capabilityProblems, EXIT_CANNOT_RUN, type CapabilityFacts } from '../verify/capability';
import { compareTraces, type Comparison } from '../verify/compare';
import { modelIsns } from '../verify/isn';
import { synGiveUpMs, sysctlsFor, type KernelRun, type KernelRunInput } from '../verify/kernel';
import { writePcap } from '../verify/pcap';
import { modelHasProfiles, PROFILES, profileOf, withProfile, type Profile } from '../verify/profile';
import { formatReport, type RunFacts } from '../verify/report';
import { parseArgs, stringOption } from './args';
import { formatDiagnostic } from './commands';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CliResult } from './io';

export const VERIFY_USAGE = `Usage: tcpscn verify FILE [--variant LABEL] [--profile rfc|linux] [--pcap OUT.pcap] [--json]
                     [--cap SECONDS] [--wait-time-wait]

Runs the scenario on this machine's Linux kernel (network namespaces and TUN devices, in real
time) and prints the model and the kernel side by side with a verdict per aspect.
  --variant LABEL    the variant to run (default: "default")
  --profile P        run the model with this profile, whatever the file sets
  --pcap OUT.pcap    write what crossed the wire (LINKTYPE_RAW, IPv4) for Wireshark, each packet
                     as its receiving kernel saw it (where the scenario writes ISNs the wire
                     rewrites sequence numbers: seq in the scenario's, ack in the receiver's)
  --json             print {model, kernel, comparison, ...} as JSON
  --cap SECONDS      stop the kernel run after this long (default: the scenario's duration, else
                     130 s or the model's end + 5 s if later, or the kernel's own connect
                     time-out + 5 s when the model's connect times out; at most 300 s)
  --wait-time-wait   keep running while TIME_WAIT is held (60 s on Linux) instead of stopping

Exit status: 0 same structure, 1 differs (or the file has errors), 2 wrong invocation,
3 this machine cannot run it (needs Linux, root, /dev/net/tun, python3 and ip).
`;

export interface VerifyDeps {
  readFile(path: string): string;
  writeFile(path: string, data: Uint8Array): void;
  probe(): CapabilityFacts;
  runKernel(input: KernelRunInput): Promise<KernelRun>;
  agentPath: string;
  /** Progress lines while the kernel runs. */
  progress(line: string): void;
}

/** The result of one verify, for the CLI, the examples table and the extension. */
export interface VerifyOutcome {
  comparison: Comparison;
  run: KernelRun;
  model: import('../core/trace').Trace;
  profile: string;
}

const CAP_DEFAULT_S = 130;
/** However long the model's run, the kernel's stops by this (a bounded command). */
const CAP_LIMIT_S = 300;

/**
 * How long the kernel may run: `--cap`, else the scenario's `duration`, else 130 s or, when the
 * model itself runs longer (Linux's SYN retries take 131 s), the model's end plus 5 s, or, when
 * the model's connect times out, the kernel's own time to give up (`kernelGiveUpMs`, synGiveUpMs:
 * Linux ignores `rto`) plus 5 s; at most 300 s.
 */
export function kernelCapMs(
  capS: number | null,
  duration: number | null,
  modelEndedAt: number,
  kernelGiveUpMs = 0,
): number {
  if (capS !== null) return capS * 1000;
  if (duration !== null) return Math.min(duration, CAP_LIMIT_S * 1000);
  const end = Math.max(modelEndedAt, kernelGiveUpMs) + 5000;
  return Math.min(Math.max(CAP_DEFAULT_S * 1000, end), CAP_LIMIT_S * 1000);
}

export async function verifyCommand(args: readonly string[], deps: VerifyDeps): Promise<CliResult> {
  try {
    return await verifyInner(args, deps);
  } catch (e) {
    if (e instanceof UsageError) return { stdout: '', stderr: `tcpscn: ${e.message}\n`, code: EXIT_USAGE };
    throw e;
  }
}

async function verifyInner(args: readonly string[], deps: VerifyDeps): Promise<CliResult> {
  if (args.includes('--help') || args.includes('-h')) return { stdout: VERIFY_USAGE, stderr: '', code: EXIT_OK };
  const p = parseArgs('verify', args, [
    { name: '--variant', takesValue: true },
    { name: '--profile', takesValue: true },
    { name: '--pcap', takesValue: true },
    { name: '--json', takesValue: false },
    { name: '--cap', takesValue: true },
    { name: '--wait-time-wait', takesValue: false },
  ]);
  if (p.positional.length !== 1) throw new UsageError('verify: expects exactly one FILE');
  const file = p.positional[0];
  const profile = stringOption(p, '--profile');
  if (profile !== undefined && !(PROFILES as readonly string[]).includes(profile)) {
    throw new UsageError(`verify: --profile must be rfc or linux, not ${JSON.stringify(profile)}`);
  }
  if (profile !== undefined && !modelHasProfiles()) {
    throw new UsageError('verify: --profile: this version of the model has no `profile` option');
  }
  const capText = stringOption(p, '--cap');
  const capS = capText === undefined ? null : Number(capText);
  if (capS !== null && !(Number.isFinite(capS) && capS > 0))
    throw new UsageError('verify: --cap takes a positive number of seconds');
  let text: string;
  try {
    text = deps.readFile(file);
  } catch (e) {
    throw new UsageError(`${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const problems = capabilityProblems(deps.probe());
  if (problems.length) {
    return {
      stdout: '',
      stderr: `tcpscn verify cannot run on this machine:\n${problems.map((x) => `  - ${x}`).join('\n')}\n`,
      code: EXIT_CANNOT_RUN,
    };
  }

  const checked = analyze(text, { variants: [] });
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    return { stdout: '', stderr: errors.map((d) => formatDiagnostic(file, d)).join('\n') + '\n', code: EXIT_FAILED };
  }
  const variant = stringOption(p, '--variant') ?? 'default';
  if (!variantLabels(checked.scenario).includes(variant)) {
    throw new UsageError(`verify: ${file} has no variant ${JSON.stringify(variant)}`);
  }
  const outcome = await verifyScenario(text, variant, profile as Profile | undefined, deps, {
    capS,
    waitTimeWait: p.options.has('--wait-time-wait'),
  });
  const pcapPath = stringOption(p, '--pcap') ?? null;
  if (pcapPath) deps.writeFile(pcapPath, writePcap(outcome.run.packets));
  const code = outcome.comparison.sameStructure ? EXIT_OK : EXIT_FAILED;
  if (p.options.has('--json')) {
    const json = {
      file,
      variant,
      profile: outcome.profile,
      kernel: outcome.run.kernel,
      sysctls: outcome.run.sysctls,
      notHonoured: outcome.run.notHonoured,
      wireNotes: outcome.run.wireNotes,
      warnings: outcome.run.warnings,
      stoppedBy: outcome.run.stoppedBy,
      lateness: outcome.run.lateness,
      verdicts: {
        segments: outcome.comparison.segments.result,
        states: outcome.comparison.states.result,
        errors: outcome.comparison.errors.result,
        sameStructure: outcome.comparison.sameStructure,
        withinTolerance: outcome.comparison.withinTolerance,
      },
      model: outcome.model,
      kernelTrace: { ...outcome.run.trace, source: 'linux' },
    };
    return { stdout: JSON.stringify(json, null, 2) + '\n', stderr: '', code };
  }
  const lines = formatReport(outcome.comparison, runFacts(outcome, file, variant, pcapPath));
  return { stdout: lines.join('\n') + '\n', stderr: '', code };
}

/** Runs the model (with the profile, if given) and the kernel on one variant, and compares them. */
/** What the report says of a run besides the comparison (the CLI and the VS Code command share it). */
export function runFacts(outcome: VerifyOutcome, file: string, variant: string, pcap: string | null): RunFacts {
  return {
    file,
    variant,
    profile: outcome.profile,
    kernel: outcome.run.kernel,
    sysctls: outcome.run.sysctls,
    notHonoured: outcome.run.notHonoured,
    wireNotes: outcome.run.wireNotes,
    warnings: outcome.run.warnings,
    stoppedBy: outcome.run.stoppedBy,
    endedAt: outcome.run.trace.endedAt,
    lateness: outcome.run.lateness,
    pcap,
  };
}

export async function verifyScenario(
  text: string,
  variant: string,
  profile: Profile | undefined,
  deps: Pick<VerifyDeps, 'runKernel' | 'agentPath' | 'progress'>,
  limits: { capS?: number | null; waitTimeWait?: boolean } = {},
): Promise<VerifyOutcome> {
  const capS = limits.capS ?? null;
  const parsed = parse(text).scenario;
  const scenario: Scenario = profile ? withProfile(parsed, profile) : parsed;
  const model = simulate(scenario, variant, DEFAULT_LIMITS).trace;
  const options = resolveOptions(scenario, variant);
  // A connect the model sees time out times out on the kernel too, but by the kernel's clock.
  const timesOut = model.errors.some((e) => e.call === 'connect' && e.code === 'ETIMEDOUT');
  const giveUp = timesOut ? synGiveUpMs(sysctlsFor(scenario, variant, options)) : 0;
  const capMs = kernelCapMs(capS, options.duration, model.endedAt, giveUp);
  deps.progress(`running on the kernel (at most ${Math.round(capMs / 1000)} s)...`);
  const run = await deps.runKernel({
    scenario,
    variant,
    options,
    agentPath: deps.agentPath,
    capMs,
    waitTimeWait: limits.waitTimeWait ?? false,
    log: deps.progress,
    modelIsns: modelIsns(model),
  });
  const comparison = compareTraces(model, run.trace, { kernelCutInTimeWait: run.cutInTimeWait });
  return { comparison, run, model, profile: profileOf(scenario, variant) };
}
