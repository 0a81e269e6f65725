// After an export, the user is told where the file went and can open it in one step (issue 11:
// "exports are saved with no word that they were, nor a way to open the file"). Kept apart
// from export.ts and written against a small interface so that a unit test can press the
// buttons without VS Code.

/** The part of VS Code the notice uses. */
export interface NoticeUi<U> {
  showInformationMessage(message: string, ...items: string[]): PromiseLike<string | undefined>;
  executeCommand(command: string, ...args: unknown[]): PromiseLike<unknown>;
  /** The file as the user knows it: workspace-relative when it is in the workspace. */
  displayPath(file: U): string;
}

export const OPEN = 'Open';
export const REVEAL = 'Reveal in Explorer';

/** `Exported the sequence diagram (SVG) to examples/lost-syn.sequence.svg.` */
export function exportMessage(what: string, where: string): string {
  return `Exported the ${what} to ${where}.`;
}

/**
 * Says where the file went, with "Open" (the file in an editor: VS Code shows an SVG as an
 * image, Markdown as text) and "Reveal in Explorer" (the file selected in the Explorer view, which works
 * in a browser too, unlike the operating system's file manager). Resolves with the button pressed.
 */
export async function announceExport<U>(ui: NoticeUi<U>, file: U, what: string): Promise<string | undefined> {
  const choice = await ui.showInformationMessage(exportMessage(what, ui.displayPath(file)), OPEN, REVEAL);
  if (choice === OPEN) await ui.executeCommand('vscode.open', file);
  else if (choice === REVEAL) await ui.executeCommand('revealInExplorer', file);
  return choice;
}
