// Completion, hover and quick fixes, as one bundle apart (dist/assist.js, esbuild.mjs) that
// register.ts loads when the editor first asks for one of them (src/extension/lazy.ts): the core's
// completion grammar, hover texts and quick fixes are not needed to activate the extension, to
// check a document or to draw its preview.

export { TcpscnCodeActionProvider } from './codeActions';
export { TcpscnCompletionProvider } from './completion';
export { TcpscnHoverProvider } from './hover';
export { DocumentDeclarations } from './lineAssist';
