// "TCP Scenario: Verify on this machine's kernel" (tcpscn.verify): runs `tcpscn verify` on the
// active document's variant with a progress notification, writes the side-by-side report to the
// output channel, and adds the kernel's run to the preview as one more variant with what differs
// marked (src/verify/marks.ts). Bundled apart as dist/verify.js (esbuild.mjs) and loaded only when
// the command first runs (src/extension/lazy.ts): the kernel driver is big and rarely used.

import * as vscode from 'vscode';
import { analyze } from '../../core/index';
import { runFacts, verifyScenario } from '../../cli/verify';
import { findAgent } from '../../verify/agentPath';
import { capabilityProblems, probeCapability } from '../../verify/capability';
import { runOnKernel } from '../../verify/kernel';
import { markKernelTrace } from '../../verify/marks';
import { formatReport } from '../../verify/report';
import { LANGUAGE_ID } from '../analysisCache';
import type { KernelRuns } from './verifyCommand';

export async function verifyDocument(
  uri: vscode.Uri | undefined,
  runs: KernelRuns,
  channel: vscode.OutputChannel,
  extensionPath: string,
): Promise<{ sameStructure: boolean; label: string } | undefined> {
  const problems = capabilityProblems(probeCapability());
  if (problems.length) {
    void vscode.window.showErrorMessage(`Verify cannot run here: ${problems.join('; ')}`);
    return undefined;
  }
  const document = uri
    ? await vscode.workspace.openTextDocument(uri)
    : vscode.window.activeTextEditor?.document.languageId === LANGUAGE_ID
      ? vscode.window.activeTextEditor.document
      : undefined;
  if (!document) {
    void vscode.window.showInformationMessage('Open a .tcpscn file to verify it on the kernel.');
    return undefined;
  }
  const text = document.getText();
  const version = document.version;
  const analysis = analyze(text, { variants: [] });
  if (analysis.hasErrors) {
    void vscode.window.showErrorMessage('Fix the errors of this file before verifying it on the kernel.');
    return undefined;
  }
  const labels = [
    'default',
    ...analysis.scenario.variants.map((v) => v.label.value).filter((l, i, a) => a.indexOf(l) === i),
  ];
  const variant =
    labels.length === 1
      ? 'default'
      : await vscode.window.showQuickPick(labels, { placeHolder: 'Which variant to run on the kernel?' });
  if (!variant) return undefined;
  const outcome = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Running "${variant}" on this machine's kernel (real time)`,
    },
    (progress) =>
      verifyScenario(text, variant, undefined, {
        runKernel: runOnKernel,
        agentPath: findAgent(`${extensionPath}/dist`),
        progress: (line) => progress.report({ message: line }),
      }),
  );
  const c = outcome.comparison;
  const marked = markKernelTrace(outcome.run.trace, c, outcome.run.kernel);
  runs.add(document.uri, version, marked);
  channel.clear();
  channel.appendLine(
    formatReport(c, runFacts(outcome, vscode.workspace.asRelativePath(document.uri), variant, null)).join('\n'),
  );
  const first = [c.segments.result, c.states.result, c.errors.result].find((r) => r.verdict === 'differs')?.first;
  const summary = c.sameStructure
    ? `The kernel did what the model did${c.withinTolerance ? '' : ' (other timing)'}.`
    : `The kernel differs from the model: ${first ?? ''}`;
  void vscode.window.showInformationMessage(summary, 'Show report').then((choice) => {
    if (choice) channel.show(true);
  });
  return { sameStructure: c.sameStructure, label: marked.variant };
}
