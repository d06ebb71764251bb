/**
 * A small, strict XML 1.0 reader for the tests of the JUnit form: it throws on anything that is
 * not well-formed (unbalanced or mis-nested tags, unquoted or duplicate attributes, a raw `<` or
 * `&` in text, an unknown entity, a character XML forbids) and returns the element tree with
 * attributes and text decoded.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (/[<]/.test(raw)) throw new Error(`raw '<' in ${where}`);
  return raw.replace(/&([^;]*);|&/g, (m, ent: string | undefined) => {
    if (ent === undefined) throw new Error(`raw '&' in ${where}`);
    if (Object.hasOwn(ENTITIES, ent)) return ENTITIES[ent] as string;
    const num = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(ent);
    if (!num) throw new Error(`unknown entity &${ent}; in ${where}`);
    const cp = num[1] !== undefined ? parseInt(num[1], 16) : parseInt(num[2] as string, 10);
    return String.fromCodePoint(cp);
  });
}

function checkChars(s: string): void {
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    const ok =
      cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
    if (!ok) throw new Error(`character U+${cp.toString(16)} is not allowed in XML 1.0`);
  }
}

/** Parses `xml` (one root element, optional XML declaration); throws when not well-formed. */
export function parseXml(xml: string): XmlElement {
  checkChars(xml);
  let i = 0;
  const decl = /^<\?xml[^?]*\?>/.exec(xml);
  if (decl) i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (stack.length === 0) {
      if (text.trim() !== '') throw new Error(`text outside the root element: ${JSON.stringify(text)}`);
    } else {
      (stack[stack.length - 1] as XmlElement).text += decode(text, 'text');
    }
    if (lt === -1) break;
    i = lt;
    if (xml.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_:][-A-Za-z0-9_:.]*)\s*>/.exec(xml.slice(i));
      if (!m) throw new Error(`bad end tag at ${i}`);
      const open = stack.pop();
      if (!open || open.name !== m[1]) throw new Error(`end tag </${m[1]}> does not close <${open?.name ?? ''}>`);
      i += m[0].length;
      continue;
    }
    i++;
    const name = NAME.exec(xml.slice(i));
    if (!name) throw new Error(`bad tag name at ${i}`);
    i += name[0].length;
    const el: XmlElement = { name: name[0], attrs: {}, children: [], text: '' };
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i)) as RegExpExecArray;
      i += ws[0].length;
      if (xml.startsWith('/>', i) || xml.startsWith('>', i)) break;
      if (ws[0].length === 0) throw new Error(`no space before attribute at ${i}`);
      const a = /^([A-Za-z_:][-A-Za-z0-9_:.]*)="([^"]*)"/.exec(xml.slice(i));
      if (!a) throw new Error(`bad attribute at ${i}: ${xml.slice(i, i + 20)}`);
      if (Object.hasOwn(el.attrs, a[1] as string)) throw new Error(`attribute ${a[1]} given twice`);
      el.attrs[a[1] as string] = decode(a[2] as string, `attribute ${a[1]}`);
      i += a[0].length;
    }
    if (stack.length > 0) (stack[stack.length - 1] as XmlElement).children.push(el);
    else if (root) throw new Error('more than one root element');
    else root = el;
    if (xml.startsWith('/>', i)) {
      i += 2;
    } else {
      i += 1;
      stack.push(el);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${(stack[stack.length - 1] as XmlElement).name}>`);
  if (!root) throw new Error('no root element');
  return root;
}
