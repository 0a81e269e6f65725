// "Start from an example": a new, empty `.tcpscn` file offers the textbook situations as a
// CodeLens on its first line, and the walkthrough's steps run the same commands. The examples
// are the project's own files (examples/), shipped in the .vsix and read from the extension's
// folder, so what a user starts from is exactly what the tests run.

import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../analysisCache';

export const START_FROM_EXAMPLE_COMMAND = 'tcpscn.startFromExample';
export const NEW_SCENARIO_COMMAND = 'tcpscn.newScenario';

export interface StarterExample {
  label: string;
  file: string;
  detail: string;
}

/** The four situations a first scenario grows from: the handshake and the three classic troubles. */
export const STARTER_EXAMPLES: readonly StarterExample[] = [
  {
    label: 'Handshake and close',
    file: 'handshake-and-close.tcpscn',
    detail: 'Three-way handshake, a request and a reply, the four-segment close, TIME_WAIT',
  },
  {
    label: 'Lost SYN',
    file: 'lost-syn.tcpscn',
    detail: 'The first SYN is dropped; the client retransmits it after the RTO',
  },
  {
    label: 'Lost final ACK',
    file: 'time-wait-lost-final-ack.tcpscn',
    detail: "TIME_WAIT answers the peer's retransmitted FIN (and without it, a reset)",
  },
  {
    label: 'Old duplicate',
    file: 'time-wait-old-duplicate.tcpscn',
    detail: 'A delayed segment of an old connection lands in a new one on the same port',
  },
];

/** Whether a document's text is empty enough to offer the examples (blank lines only). */
export function offersExamples(text: string): boolean {
  return text.trim() === '';
}

/** The CodeLens of an empty document: "Start from an example…" (none once it has text). */
export function exampleLenses(document: vscode.TextDocument): vscode.CodeLens[] {
  // Only a short document can be blank: a long one is not read just to find out.
  if (document.lineCount > 20 || !offersExamples(document.getText())) return [];
  return [
    new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
      title: '$(book) Start from an example\u2026',
      command: START_FROM_EXAMPLE_COMMAND,
      arguments: [document.uri],
    }),
  ];
}

async function pickExample(): Promise<StarterExample | undefined> {
  const picked = await vscode.window.showQuickPick(
    STARTER_EXAMPLES.map((e) => ({ label: e.label, detail: e.detail, example: e })),
    { title: 'Start from an example', placeHolder: 'Which situation?' },
  );
  return picked?.example;
}

async function exampleText(extensionUri: vscode.Uri, e: StarterExample): Promise<string> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'examples', e.file));
  return new TextDecoder().decode(bytes);
}

/**
 * Fills `uri` (an empty `.tcpscn` document) with the example picked, or, when there is no such
 * document or it has text already, opens the example as a new untitled scenario. Resolves with
 * the document written, for tests.
 */
async function startFromExample(
  extensionUri: vscode.Uri,
  uri?: unknown,
  chosen?: string,
): Promise<vscode.Uri | undefined> {
  const example = STARTER_EXAMPLES.find((e) => e.file === chosen) ?? (await pickExample());
  if (!example) return undefined;
  const text = await exampleText(extensionUri, example);
  if (uri instanceof vscode.Uri) {
    const document = await vscode.workspace.openTextDocument(uri);
    if (offersExamples(document.getText())) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), text);
      await vscode.workspace.applyEdit(edit);
      await vscode.window.showTextDocument(document);
      return uri;
    }
  }
  const document = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: text });
  await vscode.window.showTextDocument(document);
  return document.uri;
}

export function registerExamples(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(START_FROM_EXAMPLE_COMMAND, (uri?: unknown, example?: string) =>
      startFromExample(context.extensionUri, uri, example),
    ),
    // The walkthrough's "a scenario of your own": an untitled scenario started from an example.
    vscode.commands.registerCommand(NEW_SCENARIO_COMMAND, (example?: string) =>
      startFromExample(context.extensionUri, undefined, example),
    ),
  );
}
