// The `vlm` kind: a vision-language model continues the same prompt the HTTP teacher sends ("... The
// quality of the image is"), and its next-token logits are read with the same level-word reading
// (core/teacher/level-words.ts). A server can only report its top 20 tokens; locally every spelling of
// every level word is seen too, so no level needs the "rarer than all seen" floor.
import {
  POINT_PREFIX,
  POINT_USER_TEXT,
  SYSTEM_PROMPT,
  normalizeToken,
  TOP_LOGPROBS,
  levelJudgment,
  readLevelWords,
  topLogprobsFromLogits,
  type TokenLogprob,
} from '../level-words.ts';
import { LEVELS, type TeacherImage } from '../types.ts';
import { LocalModelError } from './local-model-error.ts';
import { LocalTeacher, type ImageJudgment } from './local-teacher.ts';
import { checkPixelSize, lastRow, requireSession } from './model-checks.ts';
import type { ModelFolder } from './model-folder.ts';
import { type LoadedModel, decodeImage, greyImage } from './transformers-runtime.ts';

export class VlmTeacher extends LocalTeacher {
  readonly prompts: { readonly point: string; readonly pair: string };
  private constructor(
    readonly id: string,
    private readonly model: LoadedModel,
    private readonly prompt: string,
    private readonly tokenOf: (id: number) => string,
    /** Every vocabulary id whose token is a level word in some spelling ("Ġgood", "▁Good", ...). */
    private readonly levelIds: readonly number[],
  ) {
    super();
    this.prompts = { point: JSON.stringify({ kind: 'vlm', prompt }), pair: 'derived-thurstone' };
  }

  static async create(id: string, folder: ModelFolder, model: LoadedModel): Promise<VlmTeacher> {
    const [visionFile, embedFile, decoderFile] = folder.graphFiles as [string, string, string];
    const vision = requireSession(model.sessions, 'vision_encoder', visionFile, { inputs: ['pixel_values'], outputs: ['image_features'] });
    requireSession(model.sessions, 'embed_tokens', embedFile, { inputs: ['input_ids'], outputs: ['inputs_embeds'] });
    requireSession(model.sessions, 'decoder_model_merged', decoderFile, { inputs: ['inputs_embeds'], outputs: ['logits'] });

    const names = new Map<number, string>();
    const levelIds: number[] = [];
    const found = new Set<string>();
    for (const [token, tokenId] of model.vocab) {
      names.set(tokenId, token);
      const word = normalizeToken(token);
      if ((LEVELS as readonly string[]).includes(word)) {
        levelIds.push(tokenId);
        found.add(word);
      }
    }
    const missing = LEVELS.filter((l) => !found.has(l));
    if (missing.length) {
      throw new LocalModelError(
        'no-level-words',
        `${folder.dir}/tokenizer.json has no single token for the level word${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: ` +
          `the level reading needs each of ${LEVELS.join(', ')} as one token; this tokenizer cannot serve as a vlm teacher`,
      );
    }
    // The chat template places the image where the model was trained to see it; without one the
    // processor (e.g. PaliGemma's) adds the image tokens to plain text itself.
    const chat = model.chatPrompt([
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: [{ type: 'image' }, { type: 'text', text: POINT_USER_TEXT }] },
    ]);
    const prompt = chat === undefined ? `${SYSTEM_PROMPT} ${POINT_USER_TEXT} ${POINT_PREFIX}` : `${chat}${POINT_PREFIX}`;
    const teacher = new VlmTeacher(id, model, prompt, (i) => names.get(i) ?? `<${i}>`, levelIds);

    const warm = await model.process(greyImage(32, 32), prompt);
    checkPixelSize(vision, visionFile, warm);
    await teacher.candidates(warm);
    return teacher;
  }

  protected async judgeImage(image: TeacherImage): Promise<ImageJudgment> {
    const inputs = await this.model.process(await decodeImage(image.bytes, image.mime), this.prompt);
    const candidates = await this.candidates(inputs);
    const reading = readLevelWords(candidates);
    // Cannot happen with every level word among the candidates; kept so a reading bug cannot pass silently.
    if (!reading.ok) throw new LocalModelError('bad-output', `no level words among the next-token candidates (saw ${reading.seen})`);
    return levelJudgment(reading);
  }

  /** The next-token candidates after the prompt: the top tokens plus every level-word token. */
  private async candidates(inputs: Record<string, unknown>): Promise<TokenLogprob[]> {
    let out;
    try {
      out = await this.model.forward(inputs);
    } catch (err) {
      const message = (err as Error).message;
      if (/Number of tokens and features do not match/.test(message)) {
        throw new LocalModelError('no-image-tokens', `the prompt's image tokens do not match the vision encoder's output (${message}): the folder's processor and chat template do not place the image for this model`);
      }
      throw err;
    }
    if (!out.logits) throw new LocalModelError('missing-output', 'the decoder returned no logits');
    return topLogprobsFromLogits(lastRow(out.logits, 'logits'), this.tokenOf, TOP_LOGPROBS, this.levelIds);
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
