import { LEVELS, type LevelProbs } from '../../core/teacher/types.ts';

/** The model's probability for each quality level, excellent first. */
export function LevelBars({ probs }: { probs: LevelProbs }) {
  return (
    <div className="level-bars" data-testid="level-bars">
      {LEVELS.map((level, i) => (
        <div key={level} className="level-row">
          <span className="level-name">{level}</span>
          <span className="level-track">
            <span className="level-fill" style={{ width: `${(probs[i]! * 100).toFixed(1)}%` }} />
          </span>
          <span className="level-value">{(probs[i]! * 100).toFixed(0)}%</span>
        </div>
      ))}
    </div>
  );
}
