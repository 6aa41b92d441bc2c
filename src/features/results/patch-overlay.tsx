import type { PatchBox } from '../../core/model/detail-patches.ts';

/**
 * Outlines of the 1:1 patches that Detail mode blended into the score, drawn over the large image. The
 * SVG spans the image frame with the image's own aspect ("meet"), as the contained <img> does.
 */
export function PatchOverlay({ patches, width, height }: { patches: readonly PatchBox[]; width: number; height: number }) {
  return (
    <svg className="patch-overlay" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="xMidYMid meet" data-testid="patch-overlay" aria-label={`${patches.length} detail patches`}>
      {patches.map((p, i) => (
        <rect key={i} x={p.x} y={p.y} width={p.size} height={p.size} vectorEffect="non-scaling-stroke" />
      ))}
    </svg>
  );
}
