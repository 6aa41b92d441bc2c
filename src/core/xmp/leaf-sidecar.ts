// What LEAF writes into a sidecar: the editors' own rating and label (xmp:Rating -1 for a reject, else
// 0-5 stars; xmp:Label for a pick) and the LEAF score in LEAF's own namespace, so no editor's field is
// misused for it. Only what LEAF knows is written: an image with no stars and no flag keeps the sidecar's
// rating, and a label is written only for picks.
import { readProperty, type XmpProperty } from './xmp-merge.ts';

export const XMP_NS = 'http://ns.adobe.com/xap/1.0/';
export const LEAF_NS = 'https://leaf-iqa.github.io/ns/xmp/1.0/';

export type Flag = 'pick' | 'reject';

export type Source = 'hand' | 'rule';

export interface SidecarFacts {
  readonly stars: number | null;
  readonly flag: Flag | null;
  /** Who decided what xmp:Rating carries (the flag's source for a reject, else the stars'). */
  readonly ratingBy: Source | null;
  /** Written as xmp:Label on picks (e.g. 'Green', or 'Select' for Capture One). */
  readonly pickLabel: string;
  readonly score: { readonly value: number; readonly scale: string; readonly min: number; readonly max: number; readonly model: string; readonly modelVersion: string } | null;
}

/** xmp:Rating as editors read it: -1 rejected, 0-5 stars, null when LEAF has nothing to say. */
export function xmpRating(stars: number | null, flag: Flag | null): number | null {
  if (flag === 'reject') return -1;
  return stars;
}

export function sidecarProperties(f: SidecarFacts): XmpProperty[] {
  const props: XmpProperty[] = [];
  const xmp = (name: string, value: string) => props.push({ ns: XMP_NS, prefix: 'xmp', name, value });
  const leaf = (name: string, value: string) => props.push({ ns: LEAF_NS, prefix: 'leaf', name, value });
  const rating = xmpRating(f.stars, f.flag);
  if (rating !== null) {
    xmp('Rating', String(rating));
    leaf('RatingBy', f.ratingBy ?? 'hand');
  }
  if (f.flag === 'pick' && f.pickLabel) xmp('Label', f.pickLabel);
  leaf('Flag', f.flag ?? 'none');
  if (f.score) {
    leaf('Score', f.score.value.toFixed(3));
    leaf('Scale', f.score.scale);
    leaf('ScaleMin', String(f.score.min));
    leaf('ScaleMax', String(f.score.max));
    leaf('Model', f.score.model);
    leaf('ModelVersion', f.score.modelVersion);
  }
  return props;
}

/**
 * A rule's rating never replaces a rating set elsewhere (by hand in Lightroom, darktable...): when the
 * existing sidecar has an xmp:Rating that LEAF's rules did not write, the rule's Rating is dropped.
 * Throws XmpError when `existing` is not XMP, like mergeSidecar.
 */
export function protectEditorRating(existing: string | null, props: readonly XmpProperty[]): { props: XmpProperty[]; kept: boolean } {
  const ruleRating = props.some((p) => p.ns === LEAF_NS && p.name === 'RatingBy' && p.value === 'rule');
  if (!existing || !ruleRating) return { props: [...props], kept: false };
  const theirs = readProperty(existing, XMP_NS, 'Rating');
  if (theirs === null || readProperty(existing, LEAF_NS, 'RatingBy') === 'rule') return { props: [...props], kept: false };
  return { props: props.filter((p) => !(p.ns === XMP_NS && p.name === 'Rating') && !(p.ns === LEAF_NS && p.name === 'RatingBy')), kept: true };
}
