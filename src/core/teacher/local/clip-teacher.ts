// The `clip` kind: a CLIP-style dual encoder used zero-shot with antonym prompt pairs (CLIP-IQA); the
// prompt logits become a level distribution in core/teacher/clip-levels.ts.
import { CLIP_PROMPT_PAIRS, readClipLogits } from '../clip-levels.ts';
import type { TeacherImage } from '../types.ts';
import { LocalModelError } from './local-model-error.ts';
import { LocalTeacher, type ImageJudgment } from './local-teacher.ts';
import { checkPixelSize, lastRow, requireSession } from './model-checks.ts';
import type { ModelFolder } from './model-folder.ts';
import { type Inputs, type LoadedModel, decodeImage, greyImage } from './transformers-runtime.ts';

const PROMPTS = CLIP_PROMPT_PAIRS.flat();

export class ClipTeacher extends LocalTeacher {
  readonly prompts = { point: JSON.stringify({ kind: 'clip', pairs: CLIP_PROMPT_PAIRS }), pair: 'derived-thurstone' };
  private constructor(
    readonly id: string,
    private readonly model: LoadedModel,
    private readonly text: Inputs,
  ) {
    super();
  }

  static async create(id: string, folder: ModelFolder, model: LoadedModel): Promise<ClipTeacher> {
    const file = folder.graphFiles[0]!;
    const session = requireSession(model.sessions, 'model', file, { inputs: ['input_ids', 'pixel_values'], outputs: ['logits_per_image'] });
    // A word the tokenizer cannot spell becomes [UNK], and the prompt pair stops meaning anything.
    if (model.unkToken !== undefined) {
      const unknown = PROMPTS.filter((p) => model.tokenize(p).includes(model.unkToken!));
      if (unknown.length) {
        throw new LocalModelError(
          'unknown-prompt-words',
          `${folder.dir}/tokenizer.json cannot spell the quality prompts ${unknown.map((p) => JSON.stringify(p)).join(', ')} (they tokenize to ${model.unkToken}): is it the tokenizer of this CLIP model?`,
        );
      }
    }
    // SigLIP was trained on fixed-length padded text; CLIP pads to the longest prompt.
    const text = model.tokenizeBatch(PROMPTS, /siglip/.test(folder.config.model_type ?? '') ? 'max_length' : true);
    const teacher = new ClipTeacher(id, model, text);
    // Warm-up on a grey image: input sizes and outputs are checked here, not on the first real image.
    const pixels = await model.process(greyImage(32, 32));
    checkPixelSize(session, file, pixels);
    await teacher.logits(pixels);
    return teacher;
  }

  protected async judgeImage(image: TeacherImage): Promise<ImageJudgment> {
    const pixels = await this.model.process(await decodeImage(image.bytes, image.mime));
    const { probs, score, reliability } = readClipLogits(await this.logits(pixels));
    return { probs, score, reliability };
  }

  private async logits(pixels: Inputs): Promise<number[]> {
    const out = await this.model.forward({ ...this.text, ...pixels });
    const logits = out.logits_per_image;
    if (!logits) throw new LocalModelError('missing-output', 'the model returned no logits_per_image');
    const row = lastRow(logits, 'logits_per_image');
    if (row.length !== PROMPTS.length) {
      throw new LocalModelError('bad-output', `logits_per_image has ${row.length} columns for ${PROMPTS.length} prompts (dims ${logits.dims.join('x')})`);
    }
    return row;
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
