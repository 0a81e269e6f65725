// Mermaid's `base` theme is the only one that takes themeVariables, and it needs literal
// colours (it computes shades from them; a `var(--x)` string throws). So the VS Code theme's
// CSS variables are read from the page and passed on as values.

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export function themeKind(body: HTMLElement = document.body): ThemeKind {
  const c = body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-dark')) return 'dark';
  return 'light';
}

function cssVar(name: string, fallback: string): string {
  const v =
    getComputedStyle(document.documentElement).getPropertyValue(name).trim() ||
    getComputedStyle(document.body).getPropertyValue(name).trim();
  return v && !v.includes('var(') ? v : fallback;
}

export function mermaidThemeVariables(kind: ThemeKind): Record<string, string | boolean> {
  const dark = kind === 'dark' || kind === 'high-contrast';
  const fg = cssVar('--vscode-editor-foreground', dark ? '#d4d4d4' : '#1f1f1f');
  const bg = cssVar('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff');
  const widget = cssVar('--vscode-editorWidget-background', dark ? '#252526' : '#f3f3f3');
  const border = cssVar(
    kind.startsWith('high-contrast') ? '--vscode-contrastBorder' : '--vscode-editorWidget-border',
    dark ? '#6b6b6b' : '#c8c8c8',
  );
  const accent = cssVar('--vscode-focusBorder', dark ? '#007fd4' : '#0090f1');
  const noteBg = cssVar('--vscode-editorHoverWidget-background', dark ? '#2d2d30' : '#f8f8f8');
  const muted = cssVar('--vscode-descriptionForeground', dark ? '#a0a0a0' : '#616161');
  // Bars carry state names: a selection-like tint keeps the theme's text readable on them.
  const bar = cssVar('--vscode-editor-selectionBackground', dark ? '#264f78' : '#add6ff');
  const font = cssVar('--vscode-font-family', 'system-ui, sans-serif');
  return {
    darkMode: dark,
    background: bg,
    fontFamily: font,
    primaryColor: widget,
    primaryTextColor: fg,
    primaryBorderColor: border,
    secondaryColor: noteBg,
    tertiaryColor: bg,
    lineColor: fg,
    textColor: fg,
    mainBkg: widget,
    // Sequence diagram
    actorBkg: widget,
    actorBorder: accent,
    actorTextColor: fg,
    actorLineColor: muted,
    signalColor: fg,
    signalTextColor: fg,
    labelBoxBkgColor: widget,
    labelBoxBorderColor: border,
    labelTextColor: fg,
    loopTextColor: fg,
    noteBkgColor: noteBg,
    noteTextColor: fg,
    noteBorderColor: border,
    activationBkgColor: widget,
    activationBorderColor: border,
    sequenceNumberColor: bg,
    // Gantt (state timeline)
    sectionBkgColor: noteBg,
    altSectionBkgColor: bg,
    sectionBkgColor2: widget,
    gridColor: border,
    taskBkgColor: bar,
    taskBorderColor: border,
    taskTextColor: fg,
    taskTextLightColor: fg,
    taskTextOutsideColor: fg,
    taskTextDarkColor: fg,
    activeTaskBkgColor: bar,
    activeTaskBorderColor: accent,
    doneTaskBkgColor: noteBg,
    doneTaskBorderColor: border,
    critBkgColor: cssVar('--vscode-editorError-foreground', '#f14c4c'),
    critBorderColor: cssVar('--vscode-editorError-foreground', '#f14c4c'),
    todayLineColor: accent,
    vertLineColor: cssVar('--vscode-editorWarning-foreground', '#cca700'),
  };
}

/** The theme as Mermaid is given it: its kind and every colour it reads. */
export function themeSignature(): string {
  const kind = themeKind();
  return `${kind} ${JSON.stringify(mermaidThemeVariables(kind))}`;
}

/**
 * Calls `onChange` after each change of the VS Code theme. VS Code sets the theme's kind as a
 * class of <body> and its colours as `--vscode-*` properties of <html>'s style, in one task.
 * Watching the class alone missed a switch between two themes of one kind (Dark+ to Monokai:
 * the class stays `vscode-dark`), leaving the diagrams in the old theme's colours; so both are
 * watched and the colours Mermaid would get are compared.
 */
export function watchTheme(onChange: () => void): MutationObserver {
  let last = themeSignature();
  const observer = new MutationObserver(() => {
    const now = themeSignature();
    if (now === last) return;
    last = now;
    onChange();
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  return observer;
}
