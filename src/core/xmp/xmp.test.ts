import { describe, expect, it } from 'vitest';
import { LEAF_NS, protectEditorRating, sidecarProperties, XMP_NS, xmpRating } from './leaf-sidecar.ts';
import { planSidecars, sidecarPath } from './sidecar-name.ts';
import { parseXml, serializeXml, XmlParseError } from './xml-tree.ts';
import { mergeSidecar, readProperty, XmpError } from './xmp-merge.ts';

// As Lightroom writes them: attribute form, several namespaces, an rdf:Bag of keywords.
const LIGHTROOM = `<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
   xmp:Rating="2"
   xmp:Label="Red"
   crs:Exposure2012="+0.35">
   <dc:subject>
    <rdf:Bag>
     <rdf:li>beach &amp; sea</rdf:li>
    </rdf:Bag>
   </dc:subject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
`;

// As darktable writes them: element form for some properties, other prefixes.
const DARKTABLE = `<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:ap="http://ns.adobe.com/xap/1.0/" xmlns:darktable="http://darktable.sf.net/" darktable:xmp_version="5">
   <ap:Rating>1</ap:Rating>
   <darktable:history><rdf:Seq/></darktable:history>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>`;

const LEAF = { ns: LEAF_NS, prefix: 'leaf', name: 'Score', value: '3.250' };
const rating = (v: string) => ({ ns: XMP_NS, prefix: 'xmp', name: 'Rating', value: v });

describe('xml tree', () => {
  it('round-trips a document, keeping processing instructions, comments and entities', () => {
    const src = '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<!-- c --><a x="1 &amp; 2"><b>t &lt; u</b><![CDATA[<raw>]]><c/></a>\n<?xpacket end="w"?>';
    const doc = parseXml(src);
    expect(doc.root.attrs[0]).toMatchObject({ name: 'x', value: '1 & 2' });
    expect(serializeXml(doc)).toBe(src);
  });

  it('names the fault and where it is', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(XmlParseError);
    expect(() => parseXml('<a><b></a>')).toThrow(/<\/a> closes <b>/);
    expect(() => parseXml('not xml at all')).toThrow(/text before the root element at character 0/);
    expect(() => parseXml('<a x=1/>')).toThrow(/not quoted/);
    expect(() => parseXml('<a>&nbsp;</a>')).toThrow(/unknown entity/);
  });
});

describe('xmp merge', () => {
  it('builds a new sidecar that reads back', () => {
    const text = mergeSidecar(null, [rating('4'), LEAF]);
    expect(text.startsWith('<?xpacket begin=')).toBe(true);
    expect(readProperty(text, XMP_NS, 'Rating')).toBe('4');
    expect(readProperty(text, LEAF_NS, 'Score')).toBe('3.250');
    expect(text).toContain('xmlns:leaf="https://leaf-iqa.github.io/ns/xmp/1.0/"');
  });

  it('updates attribute-form properties in place and keeps everything else', () => {
    const text = mergeSidecar(LIGHTROOM, [rating('-1'), LEAF]);
    expect(readProperty(text, XMP_NS, 'Rating')).toBe('-1');
    expect(readProperty(text, XMP_NS, 'Label')).toBe('Red');
    expect(text).toContain('crs:Exposure2012="+0.35"');
    expect(text).toContain('<rdf:li>beach &amp; sea</rdf:li>');
    expect(text.match(/Rating/g)).toHaveLength(1);
    // Unchanged apart from the two properties.
    expect(text.replace('xmp:Rating="-1"', 'xmp:Rating="2"').replace(/\n {3}xmlns:leaf="[^"]*"\n {3}leaf:Score="3.250"/, '')).toBe(LIGHTROOM);
  });

  it('updates element-form properties under whatever prefix the file uses', () => {
    const text = mergeSidecar(DARKTABLE, [rating('5'), { ns: XMP_NS, prefix: 'xmp', name: 'Label', value: 'Green' }]);
    expect(text).toContain('<ap:Rating>5</ap:Rating>');
    expect(text).toContain('ap:Label="Green"');
    expect(text).not.toContain('xmlns:xmp=');
    expect(text).toContain('<darktable:history><rdf:Seq/></darktable:history>');
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  });

  it('numbers a prefix that the file binds to another namespace', () => {
    const other = LIGHTROOM.replace('xmlns:dc=', 'xmlns:leaf="urn:someone-else" xmlns:dc=');
    const text = mergeSidecar(other, [LEAF]);
    expect(text).toMatch(/xmlns:leaf2="https:\/\/leaf-iqa.github.io\/ns\/xmp\/1.0\/"\s+leaf2:Score="3.250"/);
    expect(readProperty(text, LEAF_NS, 'Score')).toBe('3.250');
  });

  it('adds a Description when the RDF has none', () => {
    const text = mergeSidecar('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>', [rating('3')]);
    expect(readProperty(text, XMP_NS, 'Rating')).toBe('3');
  });

  it('refuses what is not XMP, saying why', () => {
    expect(() => mergeSidecar('garbage', [rating('1')])).toThrow(XmpError);
    expect(() => mergeSidecar('<a/>', [rating('1')])).toThrow(/no rdf:RDF element/);
    expect(() => mergeSidecar('<x:xmpmeta><rdf:RDF>', [rating('1')])).toThrow(/not valid XML/);
  });
});

describe('leaf sidecar facts', () => {
  it('writes -1 for rejects, stars otherwise, and nothing when undecided', () => {
    expect(xmpRating(4, 'reject')).toBe(-1);
    expect(xmpRating(4, 'pick')).toBe(4);
    expect(xmpRating(null, null)).toBeNull();
    const props = sidecarProperties({ stars: null, flag: 'pick', ratingBy: null, pickLabel: 'Green', score: null });
    expect(props.map((p) => `${p.prefix}:${p.name}=${p.value}`)).toEqual(['xmp:Label=Green', 'leaf:Flag=pick']);
    const scored = sidecarProperties({ stars: 3, flag: null, ratingBy: 'hand', pickLabel: 'Green', score: { value: 61.23456, scale: 'MOS', min: 0, max: 100, model: 'm', modelVersion: 'v1' } });
    expect(scored.find((p) => p.name === 'Score')!.value).toBe('61.235');
    expect(scored.find((p) => p.name === 'Rating')!.value).toBe('3');
    expect(scored.some((p) => p.name === 'Label')).toBe(false);
  });
});

describe('ratings set in another editor', () => {
  const facts = (ratingBy: 'hand' | 'rule') => sidecarProperties({ stars: 3, flag: null, ratingBy, pickLabel: '', score: null });
  it('a rule does not replace them; a hand decision does; a rating LEAF rules wrote is updated', () => {
    expect(protectEditorRating(LIGHTROOM, facts('rule')).kept).toBe(true);
    const kept = mergeSidecar(LIGHTROOM, protectEditorRating(LIGHTROOM, facts('rule')).props);
    expect(readProperty(kept, XMP_NS, 'Rating')).toBe('2'); // Lightroom's 2, not the rule's 3
    expect(readProperty(kept, LEAF_NS, 'RatingBy')).toBeNull();
    const byHand = mergeSidecar(LIGHTROOM, protectEditorRating(LIGHTROOM, sidecarProperties({ stars: 5, flag: null, ratingBy: 'hand', pickLabel: '', score: null })).props);
    expect(readProperty(byHand, XMP_NS, 'Rating')).toBe('5');
    const ours = mergeSidecar(null, sidecarProperties({ stars: 4, flag: null, ratingBy: 'rule', pickLabel: '', score: null }));
    const again = mergeSidecar(ours, protectEditorRating(ours, facts('rule')).props);
    expect(readProperty(again, XMP_NS, 'Rating')).toBe('3');
    expect(protectEditorRating(null, facts('rule')).kept).toBe(false);
  });
});

describe('sidecar names', () => {
  it('follows both conventions, in sub-folders, with dotted folders', () => {
    expect(sidecarPath('a/IMG_0001.CR3', 'full')).toBe('a/IMG_0001.CR3.xmp');
    expect(sidecarPath('a/IMG_0001.CR3', 'stem')).toBe('a/IMG_0001.xmp');
    expect(sidecarPath('v1.2/noext', 'stem')).toBe('v1.2/noext.xmp');
  });

  it('reports two images that would share one sidecar', () => {
    const plan = planSidecars(['IMG_1.CR3', 'IMG_1.jpg', 'IMG_2.jpg'], 'stem');
    expect(plan.clashes).toEqual([{ image: 'IMG_1.jpg', sidecar: 'IMG_1.xmp', with: 'IMG_1.CR3' }]);
    expect(planSidecars(['IMG_1.CR3', 'IMG_1.jpg'], 'full').clashes).toEqual([]);
  });
});
