// The preview's HTML shell. The page loads exactly one script, the bundled webview entry, by
// nonce; Mermaid's lazily loaded chunks come from the same folder as the entry (the nonce of a
// module script carries over to what it imports). Styles need 'unsafe-inline' because Mermaid
// writes a <style> element and style= attributes into every SVG and cannot take a nonce; it
// needs no 'unsafe-eval', no fonts from outside and no network. Pure: no vscode import, so the
// policy can be unit-tested.

import { randomBytes } from 'node:crypto';

export interface HtmlParts {
  /** webview.cspSource */
  cspSource: string;
  nonce: string;
  /** asWebviewUri(dist/webview/main.js) as a string. */
  scriptUri: string;
  /** asWebviewUri(dist/webview/main.css) as a string. */
  styleUri: string;
}

/** A fresh nonce: 32 random bytes as base64url (no characters that need quoting). */
export function makeNonce(): string {
  return randomBytes(32).toString('base64url');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function buildHtml(p: HtmlParts): string {
  const csp = contentSecurityPolicy(p.cspSource, p.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(p.styleUri)}">
<title>TCP Scenario Preview</title>
</head>
<body>
<div id="app">
  <header id="toolbar">
    <span id="doc-title"></span>
    <span id="lock-state" hidden>Locked</span>
    <label id="variant-label" for="variant-select" hidden>Variant</label>
    <vscode-dropdown id="variant-select" hidden></vscode-dropdown>
    <span id="zoom-controls" role="group" aria-label="Zoom">
      <vscode-button id="zoom-out" appearance="secondary" title="Zoom out (Ctrl+wheel)" aria-label="Zoom out">\u2212</vscode-button>
      <span id="zoom-level">100%</span>
      <vscode-button id="zoom-in" appearance="secondary" title="Zoom in (Ctrl+wheel)" aria-label="Zoom in">+</vscode-button>
      <vscode-button id="zoom-fit" appearance="secondary" title="Fit to width">Fit width</vscode-button>
      <vscode-button id="zoom-reset" appearance="secondary" title="Actual size">100%</vscode-button>
    </span>
  </header>
  <div id="banner" role="alert" hidden></div>
  <div id="summary" role="region" aria-label="Run results"></div>
  <div id="announcer" class="sr-only" role="status" aria-live="polite" aria-atomic="true"></div>
  <div id="placeholder">Waiting for the scenario\u2026</div>
  <!-- The default tab (Sequence) comes first: the toolkit draws its selection line under the first
       tab until a change of tab moves it, so a default anywhere else looked unselected. -->
  <vscode-panels id="tabs" activeid="tab-sequence" aria-label="Views">
    <vscode-panel-tab id="tab-sequence">Sequence</vscode-panel-tab>
    <vscode-panel-tab id="tab-ladder">Ladder</vscode-panel-tab>
    <vscode-panel-tab id="tab-timeline">Timeline</vscode-panel-tab>
    <vscode-panel-tab id="tab-trace">Trace</vscode-panel-tab>
    <vscode-panel-view id="view-sequence">
      <div class="view-body">
        <div id="window-bar" hidden>
          <span id="window-note"></span>
          <vscode-button id="window-first" appearance="secondary">First</vscode-button>
          <vscode-button id="window-prev" appearance="secondary">Previous</vscode-button>
          <vscode-button id="window-next" appearance="secondary">Next</vscode-button>
          <vscode-button id="window-last" appearance="secondary">Last</vscode-button>
        </div>
        <div id="sequence" class="diagrams"></div>
      </div>
    </vscode-panel-view>
    <vscode-panel-view id="view-ladder">
      <div class="view-body"><div id="ladder" class="diagrams"><div class="variant-pane"><div id="ladder-viewport" class="viewport"><div id="ladder-canvas" class="canvas"></div><div id="ladder-header" hidden></div></div></div></div></div>
    </vscode-panel-view>
    <vscode-panel-view id="view-timeline">
      <div class="view-body"><div id="timeline" class="diagrams"></div></div>
    </vscode-panel-view>
    <vscode-panel-view id="view-trace">
      <div class="view-body"><div id="trace"></div></div>
    </vscode-panel-view>
  </vscode-panels>
</div>
<script type="module" nonce="${attr(p.nonce)}" src="${attr(p.scriptUri)}"></script>
</body>
</html>`;
}
