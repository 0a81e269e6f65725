// Where `import ... from 'vscode'` leads in the layers that must not use VS Code's API (the core,
// the protocol and the webview: see their tsconfig's `paths`). Without this, the import would
// find node_modules/@types/vscode and compile, types or no types. This file is in none of those
// layers, so such an import fails `tsc -b` with TS6307 ("... is not listed within the file list
// of project ..."), and the import has no members besides (TS2305 / TS2339).
export {};
