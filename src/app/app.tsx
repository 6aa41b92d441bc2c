// The root only composes; each feature owns its behaviour.
import { CalibrationBoot, CalibrationPanel } from '../features/calibration/calibration-panel.tsx';
import { CalibrationFacts, RatePanel } from '../features/calibration/rate-panel.tsx';
import { CompareView } from '../features/compare/compare-view.tsx';
import { CullButton, CullingBoot } from '../features/culling/cull-button.tsx';
import { CullingView } from '../features/culling/culling-view.tsx';
import { ConfigWarnings } from '../features/engine/engine-status.tsx';
import { ExportButtons } from '../features/export/export-buttons.tsx';
import { DropZone } from '../features/intake/drop-zone.tsx';
import { PageDropTarget } from '../features/intake/page-drop-target.tsx';
import { ImageGrid } from '../features/results/image-grid.tsx';
import { LargeView } from '../features/results/large-view.tsx';
import { ResultsToolbar } from '../features/results/results-toolbar.tsx';
import { ScoreHistogram } from '../features/results/score-histogram.tsx';
import { RunProgress } from '../features/scoring/run-progress.tsx';
import { TeacherFacts, TeachPanel } from '../features/teacher/teach-panel.tsx';
import { useLeaf } from '../store/store.ts';
import { AppHeader } from './app-header.tsx';
import { UpdatePrompt } from './update-prompt.tsx';

export function App() {
  const hasImages = useLeaf((s) => s.images.order.length > 0);
  return (
    <div className="app">
      <UpdatePrompt />
      <AppHeader />
      <ConfigWarnings />
      <main className="app-main">
        {hasImages ? (
          <>
            <div className="summary-row">
              <RunProgress />
              <ScoreHistogram />
            </div>
            <CalibrationPanel />
            <TeachPanel />
            <ResultsToolbar
              actions={
                <>
                  <CullButton />
                  <ExportButtons />
                </>
              }
            />
            <ImageGrid />
          </>
        ) : (
          <DropZone />
        )}
      </main>
      <LargeView
        extra={(id) => (
          <>
            <CalibrationFacts id={id} />
            <TeacherFacts id={id} />
          </>
        )}
      />
      <RatePanel />
      <CalibrationBoot />
      <CompareView />
      <CullingView />
      <CullingBoot />
      <PageDropTarget />
    </div>
  );
}
