import { useEffect, useState } from 'react';
import { explainImage } from '../../engine-client/scoring-service.ts';
import type { Explanation } from '../../worker/protocol.ts';

export type ExplainState = { status: 'off' } | { status: 'loading' } | { status: 'ready'; explanation: Explanation } | { status: 'failed'; message: string };

/** The quality map and measured reasons of an image, asked of the worker while `on` (one image at a time). */
export function useExplanation(id: string, on: boolean): ExplainState {
  const [state, setState] = useState<ExplainState>({ status: 'off' });
  useEffect(() => {
    if (!on) {
      setState({ status: 'off' });
      return;
    }
    let live = true;
    setState({ status: 'loading' });
    explainImage(id).then(
      (explanation) => live && setState({ status: 'ready', explanation }),
      (err: unknown) => live && setState({ status: 'failed', message: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
    };
  }, [id, on]);
  return state;
}

/**
 * Cells of the Detail view scored by the Detail head, drawn over the image: red where a cell scores below
 * the whole image, green above (opacity by how far, full at one level). Same frame as PatchOverlay.
 */
export function QualityMapOverlay({ explanation, score, width, height }: { explanation: Explanation; score: number; width: number; height: number }) {
  const { rows, cols, scores } = explanation.map;
  const [cw, ch] = [width / cols, height / rows];
  return (
    <svg className="quality-map" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="xMidYMid meet" data-testid="quality-map" data-rows={rows} data-cols={cols} aria-label="Quality map">
      {scores.map((s, i) => {
        const delta = s - score;
        const [r, c] = [Math.floor(i / cols), i % cols];
        return (
          <g key={i} data-testid="quality-cell" data-score={s.toFixed(3)}>
            <rect x={c * cw} y={r * ch} width={cw} height={ch} fill={delta < 0 ? '#d0342c' : '#2f9e55'} fillOpacity={Math.min(0.6, Math.abs(delta) * 0.6)} stroke="#fff" strokeOpacity={0.35} strokeWidth={Math.max(1, width / 600)} />
            <text x={(c + 0.5) * cw} y={(r + 0.5) * ch} fontSize={Math.min(cw, ch) / 5} textAnchor="middle" dominantBaseline="middle" fill="#fff">
              {s.toFixed(1)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
