// A small stand-in for the `vscode` module, enough to run the preview manager and its panels in
// node:test. Its webview panel behaves like VS Code's in the way that matters here: once
// disposed, every property and method of the panel throws "Webview is disposed", and errors
// thrown by event listeners are caught and recorded (VS Code logs them as uncaught errors).

import Module from 'node:module';

type Listener<T> = (e: T) => unknown;

export class FakeEmitter<T> {
  private listeners: Listener<T>[] = [];
  constructor(private readonly errors: unknown[]) {}
  readonly event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return { dispose: () => void (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) {
      try {
        const r = l(e);
        if (r instanceof Promise) r.catch((err: unknown) => this.errors.push(err));
      } catch (err) {
        this.errors.push(err);
      }
    }
  }
  get count(): number {
    return this.listeners.length;
  }
}

export interface FakeUri {
  scheme: string;
  path: string;
  toString(skipEncoding?: boolean): string;
}

export function fakeUri(path: string): FakeUri {
  return { scheme: 'file', path, toString: () => `file://${path}` };
}

export class FakePanel {
  disposed = false;
  /** Calls made on the panel after it was disposed (each also threw). */
  touchedAfterDispose: string[] = [];
  disposeCalls = 0;
  posted: unknown[] = [];
  private _title = '';
  private _active = true;
  readonly onDidDisposeEmitter: FakeEmitter<void>;
  readonly onDidChangeViewStateEmitter: FakeEmitter<unknown>;
  readonly onDidReceiveMessageEmitter: FakeEmitter<unknown>;
  readonly webview: Record<string, unknown>;

  constructor(errors: unknown[]) {
    this.onDidDisposeEmitter = new FakeEmitter(errors);
    this.onDidChangeViewStateEmitter = new FakeEmitter(errors);
    this.onDidReceiveMessageEmitter = new FakeEmitter(errors);
    const guard = (what: string) => this.guard(what);
    this.webview = {
      set options(_v: unknown) {
        guard('webview.options');
      },
      set html(_v: string) {
        guard('webview.html');
      },
      get cspSource() {
        guard('webview.cspSource');
        return 'vscode-resource:';
      },
      asWebviewUri: (u: FakeUri) => (guard('webview.asWebviewUri'), u),
      postMessage: (m: unknown) => {
        guard('webview.postMessage');
        this.posted.push(m);
        return Promise.resolve(true);
      },
      onDidReceiveMessage: this.onDidReceiveMessageEmitter.event,
    };
  }

  private guard(what: string): void {
    if (!this.disposed) return;
    this.touchedAfterDispose.push(what);
    throw new Error('Webview is disposed');
  }

  get title(): string {
    this.guard('title');
    return this._title;
  }
  set title(v: string) {
    this.guard('title');
    this._title = v;
  }
  get active(): boolean {
    this.guard('active');
    return this._active;
  }
  get visible(): boolean {
    this.guard('visible');
    return true;
  }
  get viewColumn(): number {
    this.guard('viewColumn');
    return 2;
  }
  reveal(): void {
    this.guard('reveal');
  }
  readonly onDidDispose = (l: Listener<void>) => this.onDidDisposeEmitter.event(l);
  readonly onDidChangeViewState = (l: Listener<unknown>) => this.onDidChangeViewStateEmitter.event(l);

  /** Like VS Code's panel.dispose(): idempotent; marks the panel disposed, then tells the listeners. */
  dispose(): void {
    this.disposeCalls++;
    if (this.disposed) return;
    this.disposed = true;
    this.onDidDisposeEmitter.fire();
  }

  /** The user closes the tab (VS Code disposes the panel itself). */
  closeTab(): void {
    this.dispose();
  }
}

export interface FakeVscode {
  module: Record<string, unknown>;
  errors: unknown[];
  panels: FakePanel[];
  contexts: Map<string, unknown>;
  documents: Map<string, string>;
  /** The URI of each document shown in an editor (window.showTextDocument), in order, with the selected line. */
  shownEditors: { uri: string; line: number | undefined }[];
  /** Reports an edit of the document `uri` (workspace.onDidChangeTextDocument). */
  editDocument(uri: FakeUri): void;
}

/** A text document of the fake workspace: enough of vscode.TextDocument for the preview. */
function fakeDocument(uri: FakeUri, text: string) {
  const lines = text.split('\n');
  return {
    uri,
    version: 1,
    languageId: 'tcpscn',
    getText: () => text,
    lineCount: lines.length,
    lineAt: (l: number) => ({
      text: lines[l],
      range: { end: { character: lines[l].length } },
      firstNonWhitespaceCharacterIndex: lines[l].length - lines[l].trimStart().length,
    }),
  };
}

class FakeSelection {
  constructor(
    readonly anchorLine: number,
    readonly anchorCharacter: number,
    readonly activeLine: number,
    readonly activeCharacter: number,
  ) {}
}

export function makeFakeVscode(): FakeVscode {
  const errors: unknown[] = [];
  const panels: FakePanel[] = [];
  const contexts = new Map<string, unknown>();
  const documents = new Map<string, string>();
  const shownEditors: { uri: string; line: number | undefined }[] = [];
  const activeEditor = new FakeEmitter<unknown>(errors);
  const selection = new FakeEmitter<unknown>(errors);
  const docChange = new FakeEmitter<unknown>(errors);
  const configChange = new FakeEmitter<unknown>(errors);
  const module = {
    Uri: {
      joinPath: (base: FakeUri, ...parts: string[]) => fakeUri([base.path, ...parts].join('/')),
    },
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
    Selection: FakeSelection,
    TextEditorRevealType: { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2, AtTop: 3 },
    window: {
      createWebviewPanel: () => {
        const p = new FakePanel(errors);
        panels.push(p);
        return p;
      },
      onDidChangeActiveTextEditor: activeEditor.event,
      onDidChangeTextEditorSelection: selection.event,
      visibleTextEditors: [],
      activeTextEditor: undefined,
      showTextDocument: async (document: { uri: FakeUri }) => {
        const entry: { uri: string; line: number | undefined } = { uri: document.uri.toString(), line: undefined };
        shownEditors.push(entry);
        return {
          document,
          set selection(s: FakeSelection) {
            entry.line = s.activeLine + 1;
          },
          revealRange: () => {},
        };
      },
    },
    workspace: {
      onDidChangeTextDocument: docChange.event,
      onDidChangeConfiguration: configChange.event,
      getConfiguration: () => ({ get: () => undefined }),
      openTextDocument: async (uri: FakeUri) => {
        const text = documents.get(uri.toString());
        if (text === undefined) throw new Error(`no document ${uri.toString()}`);
        return fakeDocument(uri, text);
      },
    },
    commands: {
      executeCommand: async (command: string, key: string, value: unknown) => {
        if (command === 'setContext') contexts.set(key, value);
      },
    },
  };
  const editDocument = (uri: FakeUri) => docChange.fire({ document: { uri }, contentChanges: [{}] });
  return { module, errors, panels, contexts, documents, shownEditors, editDocument };
}

/** Makes `require('vscode')` return the fake (the sources are loaded as CommonJS by tsx). */
export function installFakeVscode(fake: FakeVscode): void {
  const M = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = M._load;
  M._load = function (this: unknown, request: string, ...rest: unknown[]) {
    if (request === 'vscode') return fake.module;
    return original.call(this, request, ...rest);
  };
}
