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

/** WCAG 2's contrast for normal text (AA). */
export const MIN_CONTRAST = 4.5;

/** `#rgb`, `#rrggbb`, `#rrggbbaa` or `rgb()/rgba()` as 0-255 channels and alpha, or null. */
export function parseColour(c: string): { r: number; g: number; b: number; a: number } | null {
  const s = c.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,4})$/.exec(s);
  if (m) {
    const [r, g, b, a] = [...m[1]].map((h) => parseInt(h + h, 16));
    return { r, g, b, a: a === undefined ? 1 : a / 255 };
  }
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(s);
  if (m) {
    const n = parseInt(m[1], 16);
    return { r: n >> 16, g: (n >> 8) & 255, b: n & 255, a: m[2] ? parseInt(m[2], 16) / 255 : 1 };
  }
  m = /^rgba?\(([^)]+)\)$/.exec(s);
  if (m) {
    const p = m[1]
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    if (p.length >= 3 && p.every(Number.isFinite)) return { r: p[0], g: p[1], b: p[2], a: p[3] ?? 1 };
  }
  return null;
}

function luminance(c: { r: number; g: number; b: number }): number {
  const f = (v: number): number => {
    const x = v / 255;
    return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
}

/**
 * The contrast ratio (WCAG 2) of text in `fg` on `back`, both laid over `page` when they are
 * translucent; Infinity when a colour cannot be read (it is then not judged here).
 */
export function contrastRatio(fg: string, back: string, page: string): number {
  const p = parseColour(page);
  const b = parseColour(back);
  const f = parseColour(fg);
  if (!p || !b || !f) return Infinity;
  const over = (top: typeof b, under: typeof b) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const behind = over(b, { ...p, a: 1 });
  const x = luminance(over(f, behind));
  const y = luminance(behind);
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
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
  // Bars carry state names: a selection-like tint keeps the theme's text readable on them, when
  // it does. High-contrast themes select in a colour as strong as their text (white on Dark High
  // Contrast, #0F4A85 under #292929 text on Light High Contrast): there the bars are the
  // editor's background inside the contrast border, as high-contrast themes draw their widgets.
  const selection = cssVar('--vscode-editor-selectionBackground', dark ? '#264f78' : '#add6ff');
  const bar = contrastRatio(fg, selection, bg) >= MIN_CONTRAST ? selection : bg;
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
