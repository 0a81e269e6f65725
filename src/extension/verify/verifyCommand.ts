// "TCP Scenario: Verify on this machine's kernel" (tcpscn.verify), the part loaded at activation:
// the kernel runs kept per document, and the context key tcpscn.canVerify, set from the cheap
// capability check (no namespace is created for it) so the command is offered only where it can
// run. The command itself (verifyDocument.ts, with src/verify's kernel driver) is bundled apart
// as dist/verify.js and loaded when the command first runs (src/extension/lazy.ts).

import * as vscode from 'vscode';
import { capabilityProblems, probeCapability } from '../../verify/capability';
import type { Trace } from '../../core/trace';

export const CAN_VERIFY_CONTEXT = 'tcpscn.canVerify';

/** Kernel runs per document, dropped when the document changes (they are of one version). */
export class KernelRuns {
  private readonly runs = new Map<string, { version: number; traces: Trace[] }>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  get(uri: vscode.Uri, version: number): Trace[] {
    const r = this.runs.get(uri.toString());
    return r && r.version === version ? r.traces : [];
  }

  add(uri: vscode.Uri, version: number, trace: Trace): void {
    const key = uri.toString();
    const r = this.runs.get(key);
    const kept = r && r.version === version ? r.traces.filter((t) => t.variant !== trace.variant) : [];
    this.runs.set(key, { version, traces: [...kept, trace] });
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function setVerifyContext(): string[] {
  const problems = capabilityProblems(probeCapability());
  void vscode.commands.executeCommand('setContext', CAN_VERIFY_CONTEXT, problems.length === 0);
  return problems;
}
