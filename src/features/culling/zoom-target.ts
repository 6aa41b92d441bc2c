// Where Z zooms to: the centre of the first 1:1 detail patch (the sharpest region Detail mode found),
// else the image centre; in the coordinates of the displayed (natural-size) image.
import type { ImageItem } from '../../store/images-slice.ts';

export interface ZoomTarget {
  readonly x: number;
  readonly y: number;
  readonly source: 'sharpest-patch' | 'centre';
}

export function zoomTarget(item: Pick<ImageItem, 'score' | 'width' | 'height'>, natural: { width: number; height: number }): ZoomTarget {
  const patch = item.score?.patches?.[0];
  if (!patch || !item.width || !item.height) return { x: natural.width / 2, y: natural.height / 2, source: 'centre' };
  // Patches are in decoded pixels, which are the original's unless the decode was downscaled.
  const sx = natural.width / item.width;
  const sy = natural.height / item.height;
  return { x: (patch.x + patch.size / 2) * sx, y: (patch.y + patch.size / 2) * sy, source: 'sharpest-patch' };
}
