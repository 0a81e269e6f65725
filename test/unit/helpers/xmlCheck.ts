// A strict little well-formedness check for the SVG the ladder writes (no DOM in Node): every
// tag closed in order, attributes `name="value"` with no raw `<` or stray `&`, text with no raw
// `<` or stray `&`, no character XML 1.0 forbids. Returns the problems found (empty: fine).

const NAME = /^[A-Za-z_][\w.:-]*$/;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9A-Fa-f]+);/g;
const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkText(text: string, where: string, problems: string[]): void {
  if (text.includes('<')) problems.push(`raw < in ${where}`);
  if (text.replace(ENTITY, '').includes('&')) problems.push(`stray & in ${where}: ${text.slice(0, 80)}`);
  if (FORBIDDEN.test(text)) problems.push(`forbidden character in ${where}`);
}

export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let i = 0;
  let roots = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = lt < 0 ? xml.slice(i) : xml.slice(i, lt);
    if (stack.length === 0 && text.trim() !== '') problems.push(`text outside the root: ${text.slice(0, 40)}`);
    checkText(text, `text before offset ${lt}`, problems);
    if (lt < 0) break;
    const gt = xml.indexOf('>', lt);
    if (gt < 0) {
      problems.push(`unclosed tag at ${lt}`);
      break;
    }
    const tag = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const m = /^([^\s]+)([\s\S]*)$/.exec(body);
    if (!m || !NAME.test(m[1])) {
      problems.push(`bad tag <${tag.slice(0, 40)}>`);
      continue;
    }
    let rest = m[2];
    const seen = new Set<string>();
    while (rest.trim() !== '') {
      const a = /^\s+([A-Za-z_][\w.:-]*)="([^"]*)"/.exec(rest);
      if (!a) {
        problems.push(`bad attribute in <${m[1]}>: ${rest.slice(0, 40)}`);
        break;
      }
      if (seen.has(a[1])) problems.push(`attribute ${a[1]} twice in <${m[1]}>`);
      seen.add(a[1]);
      checkText(a[2], `attribute ${a[1]} of <${m[1]}>`, problems);
      rest = rest.slice(a[0].length);
    }
    if (stack.length === 0) roots++;
    if (!selfClosing) stack.push(m[1]);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
