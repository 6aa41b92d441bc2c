// What both local kinds share: a Teacher whose point judgments come from one in-process model run per
// image (serialised: a second concurrent run only competes for the same cores), remembered per image so
// pairs cost nothing, and pairs derived from the two images' level distributions (Thurstone, as the
// distillation does for point-only teachers): the local models judge one image at a time.
import { derivePair } from '../../distill/pairs.ts';
import type { LevelProbs, PairJudgment, PointJudgment, PromptedTeacher, TeacherImage } from '../types.ts';
import { Semaphore } from '../../semaphore.ts';

export interface ImageJudgment {
  readonly probs: LevelProbs;
  readonly score: number;
  readonly reliability: number;
}

export abstract class LocalTeacher implements PromptedTeacher {
  abstract readonly id: string;
  abstract readonly prompts: { readonly point: string; readonly pair: string };
  private readonly gate = new Semaphore(1);
  private readonly memo = new Map<string, Promise<PointJudgment>>();

  /** One model run on one image. */
  protected abstract judgeImage(image: TeacherImage): Promise<ImageJudgment>;
  abstract dispose(): Promise<void>;

  judgePoint(image: TeacherImage, signal?: AbortSignal): Promise<PointJudgment> {
    signal?.throwIfAborted();
    let pending = this.memo.get(image.key);
    if (!pending) {
      pending = this.gate.run(async () => {
        signal?.throwIfAborted();
        const j = await this.judgeImage(image);
        return { image: image.key, ...j, teacher: this.id };
      });
      // A failure is not remembered, so a retry runs the model again.
      pending.catch(() => this.memo.delete(image.key));
      this.memo.set(image.key, pending);
    }
    return pending;
  }

  async judgePair(a: TeacherImage, b: TeacherImage, signal?: AbortSignal): Promise<PairJudgment> {
    const [ja, jb] = await Promise.all([this.judgePoint(a, signal), this.judgePoint(b, signal)]);
    return this.pairFromPoints(ja, jb);
  }

  /** Lets the judgment cache derive pairs from cached points instead of running the model again. */
  pairFromPoints(a: PointJudgment, b: PointJudgment): PairJudgment {
    return derivePair(a, b);
  }
}
