// What to write for each scored image: its sidecar path (per the naming setting) and the XMP properties
// (decision + LEAF score on the displayed scale). Images whose sidecar another image already claims are
// returned apart, so one never silently overwrites the other's.
import { planSidecars } from '../../core/xmp/sidecar-name.ts';
import { sidecarProperties } from '../../core/xmp/leaf-sidecar.ts';
import type { XmpProperty } from '../../core/xmp/xmp-merge.ts';
import { decisionOf } from '../../store/culling-selectors.ts';
import { displayScore, selectScale } from '../../store/selectors.ts';
import type { LeafState } from '../../store/store.ts';

export interface SidecarJob {
  readonly imagePath: string;
  readonly sidecarPath: string;
  readonly props: readonly XmpProperty[];
}

export function sidecarJobs(s: LeafState): { jobs: SidecarJob[]; clashes: string[] } {
  const scale = selectScale(s);
  const model = s.engine.model;
  const items = s.images.order.map((id) => s.images.byId[id]!).filter((it) => it.status === 'scored' && it.contentKey);
  const plan = planSidecars(
    items.map((it) => it.path),
    s.culling.settings.naming,
  );
  const clashing = new Set(plan.clashes.map((c) => c.image));
  const jobs: SidecarJob[] = [];
  items.forEach((it, i) => {
    if (clashing.has(it.path)) return;
    const d = decisionOf(s, it.id);
    const value = displayScore(s, it);
    jobs.push({
      imagePath: it.path,
      sidecarPath: plan.paths[i]!,
      props: sidecarProperties({
        stars: d.stars,
        flag: d.flag,
        ratingBy: d.flag === 'reject' ? d.flagBy : d.starsBy,
        pickLabel: s.culling.settings.pickLabel.trim(),
        score: value !== null && scale && model ? { value, scale: scale.name, min: scale.min, max: scale.max, model: model.name, modelVersion: model.version } : null,
      }),
    });
  });
  return { jobs, clashes: plan.clashes.map((c) => `${c.image} (its sidecar ${c.sidecar} belongs to ${c.with})`) };
}
