// A small, lossless-enough XML tree for XMP sidecars: elements, attributes and text are parsed so that
// properties can be found and changed; comments, processing instructions (<?xpacket?>), CDATA and DOCTYPE
// are kept verbatim, so merging into a sidecar another editor wrote keeps everything we do not understand.
// Pure TypeScript (no DOMParser): it runs in the page, the worker and Node alike.

export interface XmlAttr {
  name: string;
  value: string;
  /** Whitespace before the attribute as written (Lightroom puts one per line); a single space when absent. */
  pre?: string;
}

export interface XmlElement {
  readonly kind: 'element';
  name: string;
  attrs: XmlAttr[];
  /** Whitespace between the last attribute and '>' or '/>', as written. */
  tagTail?: string;
  children: XmlNode[];
}

export interface XmlText {
  readonly kind: 'text';
  text: string;
}

/** Comment, processing instruction, CDATA section or DOCTYPE, as written. */
export interface XmlRaw {
  readonly kind: 'raw';
  readonly raw: string;
}

export type XmlNode = XmlElement | XmlText | XmlRaw;

export interface XmlDocument {
  /** Everything before the root element (XML declaration, <?xpacket begin?>, whitespace). */
  readonly prolog: XmlNode[];
  readonly root: XmlElement;
  readonly epilog: XmlNode[];
}

export class XmlParseError extends Error {
  readonly code = 'invalid-xml';
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super(`${reason} at character ${offset}`);
    this.name = 'XmlParseError';
  }
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string, at: number): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (_m, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code > 0x10ffff) throw new XmlParseError(`bad character reference &${ref};`, at);
      return String.fromCodePoint(code);
    }
    const v = NAMED[ref];
    if (v === undefined) throw new XmlParseError(`unknown entity &${ref};`, at);
    return v;
  });
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const SPACE = /\s*/y;

/** Parses a whole document with exactly one root element. Throws XmlParseError with the offset of the fault. */
export function parseXml(src: string): XmlDocument {
  let i = 0;
  const text = src.charCodeAt(0) === 0xfeff ? src.slice(1) : src;

  const skipSpace = () => {
    SPACE.lastIndex = i;
    SPACE.exec(text);
    i = SPACE.lastIndex;
  };
  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (!m) throw new XmlParseError('expected a name', i);
    i = NAME.lastIndex;
    return m[0];
  };
  const until = (end: string, what: string): string => {
    const j = text.indexOf(end, i);
    if (j < 0) throw new XmlParseError(`unterminated ${what}`, i);
    const s = text.slice(i, j + end.length);
    i = j + end.length;
    return s;
  };
  /** Comment, PI, CDATA or DOCTYPE at i, or null. */
  const readRaw = (): XmlRaw | null => {
    if (text.startsWith('<!--', i)) return { kind: 'raw', raw: until('-->', 'comment') };
    if (text.startsWith('<![CDATA[', i)) return { kind: 'raw', raw: until(']]>', 'CDATA section') };
    if (text.startsWith('<?', i)) return { kind: 'raw', raw: until('?>', 'processing instruction') };
    if (text.startsWith('<!DOCTYPE', i)) return { kind: 'raw', raw: until('>', 'DOCTYPE') };
    return null;
  };

  const readElement = (): XmlElement => {
    const start = i;
    i++; // '<'
    const name = readName();
    const attrs: XmlAttr[] = [];
    let tagTail = '';
    for (;;) {
      const ws = i;
      skipSpace();
      tagTail = text.slice(ws, i);
      if (text.startsWith('/>', i)) {
        i += 2;
        return { kind: 'element', name, attrs, tagTail, children: [] };
      }
      if (text[i] === '>') {
        i++;
        break;
      }
      if (i >= text.length) throw new XmlParseError(`unterminated tag <${name}>`, start);
      if (ws === i) throw new XmlParseError(`no space before an attribute of <${name}>`, i);
      const an = readName();
      skipSpace();
      if (text[i] !== '=') throw new XmlParseError(`attribute ${an} has no value`, i);
      i++;
      skipSpace();
      const q = text[i];
      if (q !== '"' && q !== "'") throw new XmlParseError(`attribute ${an} value is not quoted`, i);
      const end = text.indexOf(q, i + 1);
      if (end < 0) throw new XmlParseError(`unterminated value of attribute ${an}`, i);
      const raw = text.slice(i + 1, end);
      if (raw.includes('<')) throw new XmlParseError(`'<' inside the value of attribute ${an}`, i);
      if (attrs.some((a) => a.name === an)) throw new XmlParseError(`attribute ${an} appears twice`, i);
      attrs.push({ name: an, value: decodeEntities(raw, i), pre: tagTail });
      i = end + 1;
    }
    const children: XmlNode[] = [];
    for (;;) {
      if (i >= text.length) throw new XmlParseError(`element <${name}> is not closed`, start);
      if (text.startsWith('</', i)) {
        i += 2;
        const close = readName();
        if (close !== name) throw new XmlParseError(`</${close}> closes <${name}>`, i);
        skipSpace();
        if (text[i] !== '>') throw new XmlParseError(`malformed closing tag </${close}`, i);
        i++;
        return { kind: 'element', name, attrs, tagTail, children };
      }
      const raw = readRaw();
      if (raw) children.push(raw);
      else if (text[i] === '<') children.push(readElement());
      else {
        const j = text.indexOf('<', i);
        const end = j < 0 ? text.length : j;
        children.push({ kind: 'text', text: decodeEntities(text.slice(i, end), i) });
        i = end;
      }
    }
  };

  const prolog: XmlNode[] = [];
  const epilog: XmlNode[] = [];
  let root: XmlElement | null = null;
  while (i < text.length) {
    const ws = i;
    skipSpace();
    if (i > ws) (root ? epilog : prolog).push({ kind: 'text', text: text.slice(ws, i) });
    if (i >= text.length) break;
    const raw = readRaw();
    if (raw) (root ? epilog : prolog).push(raw);
    else if (text[i] === '<' && !root) root = readElement();
    else throw new XmlParseError(root ? 'content after the root element' : 'text before the root element', i);
  }
  if (!root) throw new XmlParseError('no root element', 0);
  return { prolog, root, epilog };
}

const escText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s: string) => escText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#xA;').replace(/\t/g, '&#x9;').replace(/\r/g, '&#xD;');

function writeNode(n: XmlNode, out: string[]): void {
  if (n.kind === 'raw') out.push(n.raw);
  else if (n.kind === 'text') out.push(escText(n.text));
  else {
    out.push('<', n.name);
    for (const a of n.attrs) out.push(a.pre || ' ', a.name, '="', escAttr(a.value), '"');
    if (n.tagTail) out.push(n.tagTail);
    if (n.children.length === 0) out.push('/>');
    else {
      out.push('>');
      for (const c of n.children) writeNode(c, out);
      out.push('</', n.name, '>');
    }
  }
}

export function serializeXml(doc: XmlDocument): string {
  const out: string[] = [];
  for (const n of doc.prolog) writeNode(n, out);
  writeNode(doc.root, out);
  for (const n of doc.epilog) writeNode(n, out);
  return out.join('');
}

/** Namespace declarations in scope, prefix -> URI ('' is the default namespace). */
export type NsScope = ReadonlyMap<string, string>;

export function scopeOf(el: XmlElement, parent: NsScope): NsScope {
  let scope: Map<string, string> | null = null;
  for (const a of el.attrs) {
    if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
      scope ??= new Map(parent);
      scope.set(a.name === 'xmlns' ? '' : a.name.slice(6), a.value);
    }
  }
  return scope ?? parent;
}

/** The namespace URI and local part of an element or attribute name; attributes have no default namespace. */
export function expandName(name: string, scope: NsScope, isAttr: boolean): { ns: string | null; local: string } {
  const c = name.indexOf(':');
  if (c < 0) return { ns: isAttr ? null : (scope.get('') ?? null), local: name };
  return { ns: scope.get(name.slice(0, c)) ?? null, local: name.slice(c + 1) };
}
