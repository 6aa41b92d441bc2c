import { formatScore } from '../../shared/score-scale.ts';
import { scoreHue } from '../../shared/ui/score-pill.tsx';
import { histogram, selectAllScores, selectScale } from '../../store/selectors.ts';
import { useLeaf } from '../../store/store.ts';

const BINS = 20;
const W = 600;
const H = 96;
const PAD = 18;

/** Distribution of all scores on the active scale; clicking a bar filters to it, clicking again clears. */
export function ScoreHistogram() {
  const scores = useLeaf(selectAllScores);
  const scale = useLeaf(selectScale);
  const filter = useLeaf((s) => s.settings.filter);
  const setFilter = useLeaf((s) => s.setFilter);
  // The scale carries the profile's id (stable across renames); people know the profile by its name.
  const profileName = useLeaf((s) => (scale?.profileId ? (s.calibration.profiles.find((p) => p.id === scale.profileId)?.name ?? s.calibration.active?.name) : null));
  if (!scale || scores.length === 0) return null;
  const counts = histogram(scores, scale.min, scale.max, BINS);
  const peak = Math.max(1, ...counts);
  const binW = (W - 2 * PAD) / BINS;
  const step = (scale.max - scale.min) / BINS;
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => scale.min + t * (scale.max - scale.min));
  return (
    <figure className="histogram" data-testid="histogram">
      <figcaption>
        Scores on {scale.name} ({scale.min}–{scale.max}
        {scale.profileId ? `, calibrated: ${profileName ?? 'profile'}` : ''}) · mean {formatScore(mean, scale)} · n = {scores.length}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H + 16}`} role="img" aria-label={`Histogram of ${scores.length} scores`}>
        {counts.map((c, i) => {
          const lo = scale.min + i * step;
          const hi = lo + step;
          const active = filter.min !== null && filter.max !== null && Math.abs(filter.min - lo) < 1e-9 && Math.abs(filter.max - hi) < 1e-9;
          const h = (c / peak) * (H - 8);
          return (
            <g key={i} className={active ? 'bin active' : 'bin'} onClick={() => (active ? setFilter({ min: null, max: null }) : setFilter({ min: lo, max: hi }))}>
              <title>{`${formatScore(lo, scale)}–${formatScore(hi, scale)}: ${c} image${c === 1 ? '' : 's'}`}</title>
              <rect x={PAD + i * binW} y={0} width={binW} height={H} fill="transparent" />
              <rect x={PAD + i * binW + 1} y={H - h} width={binW - 2} height={h} rx={2} fill={`hsl(${scoreHue(lo + step / 2, scale)} 65% 48%)`} />
            </g>
          );
        })}
        <line x1={PAD} x2={W - PAD} y1={H + 0.5} y2={H + 0.5} className="axis" />
        {ticks.map((t) => (
          <text key={t} x={PAD + ((t - scale.min) / (scale.max - scale.min)) * (W - 2 * PAD)} y={H + 13} textAnchor="middle" className="tick">
            {Number(t.toFixed(2))}
          </text>
        ))}
      </svg>
    </figure>
  );
}
