// The protocol between the extension host and the preview's webview: the messages both ways
// (messages.ts), the view model they carry (viewModel.ts), the state the webview saves
// (webviewState.ts) and the windowing of big traces (window.ts). src/extension/preview and
// webview/ both import it from here; it imports neither of them, and nothing from DOM, node or
// vscode (its tsconfig gives it no such types).

export * from './ladder';
export * from './messages';
export * from './viewModel';
export * from './webviewState';
export * from './window';
