// "TCP Scenario: Verify on this machine's kernel" inside a real extension host: the command is
// registered, and where this machine can run it (Linux, root, /dev/net/tun: CI's machines) it
// runs a refused connect on the kernel and the preview gets the kernel's run as one more
// variant; elsewhere it returns nothing (it says what is missing). Either way the command runs
// from dist/verify.js, which extension.js loads only when the command first runs
// (src/extension/lazy.ts): the test sees it loaded.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { capabilityProblems, probeCapability } from '../../src/verify/capability';

interface Variant {
  label: string;
  segmentRows?: unknown;
}
interface State {
  lazyBundlesLoaded: string[];
  previews: { uri: string; lastUpdate?: { variants: Variant[] } }[];
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const tests: Record<string, () => Promise<void>> = {
  async 'Verify on this machine’s kernel adds the kernel run to the preview'() {
    const [uri] = await vscode.workspace.findFiles('**/connection-refused.tcpscn', '**/node_modules/**', 1);
    assert.ok(uri, 'the test workspace has connection-refused.tcpscn');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor('the command', async () => (await vscode.commands.getCommands(true)).includes('tcpscn.verify'));
    const canRun = capabilityProblems(probeCapability()).length === 0;
    const result = (await vscode.commands.executeCommand('tcpscn.verify', uri)) as
      { sameStructure: boolean; label: string } | undefined;
    const after = (await vscode.commands.executeCommand('tcpscn._test.previewState')) as State;
    assert.ok(after.lazyBundlesLoaded.includes('verify.js'), `loaded: ${after.lazyBundlesLoaded.join(', ')}`);
    if (!canRun) {
      assert.equal(result, undefined);
      return;
    }
    assert.ok(result, 'the command ran');
    assert.match(result.label, /^Linux \S+ \(kernel: /);
    const labels = await waitFor('the kernel variant in the preview', async () => {
      const s = (await vscode.commands.executeCommand('tcpscn._test.previewState')) as State;
      const p = s.previews.find((x) => x.uri === uri.toString());
      const l = p?.lastUpdate?.variants.map((v) => v.label);
      return l && l.includes(result.label) && l;
    });
    assert.deepEqual(labels, ['default', result.label]);
  },
};
