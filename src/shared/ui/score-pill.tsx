import { formatScore, type ScoreScale } from '../score-scale.ts';

/** Red (worst) .. amber .. green (best) along the active scale. */
export function scoreHue(value: number, scale: Pick<ScoreScale, 'min' | 'max'>): number {
  const t = Math.min(1, Math.max(0, (value - scale.min) / (scale.max - scale.min || 1)));
  return Math.round(8 + t * 132);
}

export function ScorePill({ value, scale, large = false }: { value: number; scale: ScoreScale; large?: boolean }) {
  return (
    <span
      className={large ? 'score-pill large' : 'score-pill'}
      style={{ '--hue': scoreHue(value, scale) } as React.CSSProperties}
      data-testid="score"
      data-score={value}
      title={`${formatScore(value, scale)} on ${scale.name} (${scale.min}–${scale.max})`}
    >
      {formatScore(value, scale)}
    </span>
  );
}
