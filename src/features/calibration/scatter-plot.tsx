import type { FitSummary } from '../../store/calibration-slice.ts';

const W = 300;
const H = 200;
const PAD = 30;

/** Ratings (dots) against the student score, the fitted curve, and each rated image's calibrated prediction (rings). */
export function ScatterPlot({ fit, range }: { fit: FitSummary; range: { min: number; max: number } }) {
  const scores = [...fit.curve.map((c) => c.score), ...fit.points.map((p) => p.score)];
  if (scores.length === 0) return null;
  let lo = Math.min(...scores);
  let hi = Math.max(...scores);
  if (hi - lo < 1e-9) (lo -= 0.5), (hi += 0.5);
  const x = (s: number) => PAD + ((s - lo) / (hi - lo)) * (W - PAD - 8);
  const y = (v: number) => H - PAD - ((v - range.min) / (range.max - range.min)) * (H - PAD - 8);
  const path = fit.curve.map((c, i) => `${i ? 'L' : 'M'}${x(c.score).toFixed(1)},${y(c.value).toFixed(1)}`).join('');
  return (
    <svg className="scatter" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Ratings against the model score, with the fitted curve" data-testid="calibration-plot">
      <line x1={PAD} y1={H - PAD} x2={W - 8} y2={H - PAD} className="axis" />
      <line x1={PAD} y1={8} x2={PAD} y2={H - PAD} className="axis" />
      <text x={(W + PAD) / 2} y={H - 6} className="label" textAnchor="middle">
        model score
      </text>
      <text x={10} y={(H - PAD) / 2} className="label" textAnchor="middle" transform={`rotate(-90 10 ${(H - PAD) / 2})`}>
        your rating
      </text>
      <text x={PAD - 4} y={y(range.max) + 4} className="tick" textAnchor="end">
        {range.max}
      </text>
      <text x={PAD - 4} y={y(range.min)} className="tick" textAnchor="end">
        {range.min}
      </text>
      <path d={path} className="curve" data-testid="calibration-curve" />
      {fit.points.map((p) => (
        <g key={p.id}>
          <line x1={x(p.score)} x2={x(p.score)} y1={y(p.rating)} y2={y(p.pred)} className="resid" />
          <circle cx={x(p.score)} cy={y(p.pred)} r={4} className="pred" />
          <circle cx={x(p.score)} cy={y(p.rating)} r={3} className="rating" data-testid="calibration-point" />
        </g>
      ))}
    </svg>
  );
}
