// Sets simple XMP properties in a sidecar, creating it or merging into one another editor wrote. Only the
// properties we set change: every other property, namespace, comment and the xpacket wrapper stay as they
// were. A property already present is updated where it is (attribute or element form); a new one is added
// as an attribute of the first rdf:Description, declaring its namespace there if it is not in scope.
import { expandName, type NsScope, parseXml, scopeOf, serializeXml, XmlParseError, type XmlDocument, type XmlElement } from './xml-tree.ts';

export const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

export interface XmpProperty {
  readonly ns: string;
  /** Prefix to declare when the namespace is not in scope yet. */
  readonly prefix: string;
  readonly name: string;
  readonly value: string;
}

export class XmpError extends Error {
  constructor(
    readonly code: 'invalid-xmp',
    message: string,
  ) {
    super(message);
    this.name = 'XmpError';
  }
}

const EMPTY_SIDECAR =
  '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' +
  '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="LEAF">\n' +
  ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n' +
  '  <rdf:Description rdf:about=""/>\n' +
  ' </rdf:RDF>\n' +
  '</x:xmpmeta>\n' +
  '<?xpacket end="w"?>\n';

interface Located {
  readonly el: XmlElement;
  /** Mutable: a namespace we declare on the element joins it. */
  scope: NsScope;
}

function findRdf(el: XmlElement, parent: NsScope): Located | null {
  const scope = scopeOf(el, parent);
  const n = expandName(el.name, scope, false);
  if (n.ns === RDF_NS && n.local === 'RDF') return { el, scope };
  for (const c of el.children) {
    if (c.kind !== 'element') continue;
    const found = findRdf(c, scope);
    if (found) return found;
  }
  return null;
}

function descriptions(rdf: Located): Located[] {
  return rdf.el.children.flatMap((c) => {
    if (c.kind !== 'element') return [];
    const scope = scopeOf(c, rdf.scope);
    const n = expandName(c.name, scope, false);
    return n.ns === RDF_NS && n.local === 'Description' ? [{ el: c, scope }] : [];
  });
}

function parseSidecar(text: string): { doc: XmlDocument; rdf: Located } {
  let doc: XmlDocument;
  try {
    doc = parseXml(text);
  } catch (err) {
    if (err instanceof XmlParseError) throw new XmpError('invalid-xmp', `not valid XML (${err.message})`);
    throw err;
  }
  const rdf = findRdf(doc.root, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]));
  if (!rdf) throw new XmpError('invalid-xmp', 'no rdf:RDF element, so it is not XMP');
  return { doc, rdf };
}

function prefixOf(name: string): string {
  const c = name.indexOf(':');
  return c < 0 ? '' : name.slice(0, c);
}

/** A prefix for `ns` usable on `el`: one already bound to it, else `wanted` (numbered if that is taken). */
function ensurePrefix(target: Located, ns: string, wanted: string): string {
  for (const [p, uri] of target.scope) if (uri === ns && p !== '') return p;
  let p = wanted;
  for (let k = 2; target.scope.has(p) || target.el.attrs.some((a) => a.name === `xmlns:${p}`); k++) p = `${wanted}${k}`;
  target.el.attrs.push({ name: `xmlns:${p}`, value: ns, pre: attrSpacing(target.el) });
  target.scope = new Map(target.scope).set(p, ns);
  return p;
}

/** New attributes follow the file's layout: on their own line when the last attribute is. */
function attrSpacing(el: XmlElement): string {
  const last = el.attrs[el.attrs.length - 1]?.pre;
  return last?.includes('\n') ? last : ' ';
}

function setOne(descs: Located[], prop: XmpProperty): void {
  let done = false;
  for (const d of descs) {
    d.el.attrs = d.el.attrs.filter((a) => {
      const n = expandName(a.name, d.scope, true);
      if (n.ns !== prop.ns || n.local !== prop.name) return true;
      if (done) return false; // a duplicate elsewhere: the first occurrence wins
      a.value = prop.value;
      done = true;
      return true;
    });
    d.el.children = d.el.children.filter((c) => {
      if (c.kind !== 'element') return true;
      const n = expandName(c.name, scopeOf(c, d.scope), false);
      if (n.ns !== prop.ns || n.local !== prop.name) return true;
      if (done) return false;
      // Element form: becomes a simple literal (an rdf:resource or nested structure would contradict it).
      c.attrs = c.attrs.filter((a) => expandName(a.name, d.scope, true).ns !== RDF_NS);
      c.children = [{ kind: 'text', text: prop.value }];
      done = true;
      return true;
    });
  }
  if (done) return;
  const target = descs[0]!;
  const p = ensurePrefix(target, prop.ns, prop.prefix);
  target.el.attrs.push({ name: `${p}:${prop.name}`, value: prop.value, pre: attrSpacing(target.el) });
}

/**
 * The sidecar text with `props` set. `existing` null: a new sidecar. Throws XmpError when `existing` is not
 * XMP (the caller must then leave that file alone rather than replace it).
 */
export function mergeSidecar(existing: string | null, props: readonly XmpProperty[]): string {
  const { doc, rdf } = parseSidecar(existing ?? EMPTY_SIDECAR);
  let descs = descriptions(rdf);
  if (descs.length === 0) {
    const rdfPrefix = prefixOf(rdf.el.name);
    const q = rdfPrefix ? `${rdfPrefix}:` : '';
    const el: XmlElement = { kind: 'element', name: `${q}Description`, attrs: [{ name: `${q}about`, value: '' }], children: [] };
    rdf.el.children.push(el, { kind: 'text', text: '\n' });
    descs = [{ el, scope: rdf.scope }];
  }
  for (const prop of props) setOne(descs, prop);
  return serializeXml(doc);
}

/** The value of a simple property (attribute or element form) in a sidecar, or null when absent. */
export function readProperty(text: string, ns: string, name: string): string | null {
  const { rdf } = parseSidecar(text);
  for (const d of descriptions(rdf)) {
    for (const a of d.el.attrs) {
      const n = expandName(a.name, d.scope, true);
      if (n.ns === ns && n.local === name) return a.value;
    }
    for (const c of d.el.children) {
      if (c.kind !== 'element') continue;
      const n = expandName(c.name, scopeOf(c, d.scope), false);
      if (n.ns === ns && n.local === name) return c.children.map((t) => (t.kind === 'text' ? t.text : '')).join('');
    }
  }
  return null;
}
