// A live MLLM teacher: asks any OpenAI-compatible chat-completions server (vLLM, SGLang, Ollama,
// llama.cpp server, LM Studio) for level-word log-probabilities, Q-Align style, and turns them into
// PointJudgments and position-debiased PairJudgments.

import {
  LEVELS,
  type PairJudgment,
  type PointJudgment,
  type Teacher,
  type TeacherImage,
} from '../../core/teacher/types.ts';
import { Semaphore } from '../../core/semaphore.ts';
import {
  PAIR_PREFIX,
  PAIR_USER_TEXT,
  POINT_PREFIX,
  POINT_USER_TEXT,
  SYSTEM_PROMPT,
  TOP_LOGPROBS,
  levelJudgment,
  readChoiceWords,
  readLevelWords,
  type TokenLogprob,
} from '../../core/teacher/level-words.ts';

/** Re-exported: callers and tests used it from here before the reading moved to core. */
export { normalizeToken } from '../../core/teacher/level-words.ts';

// ---------------------------------------------------------------------------------------------
// Configuration

export interface LiveTeacherConfig {
  /** e.g. http://127.0.0.1:8000/v1 (no trailing slash). */
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string;
  /** Most HTTP requests in flight at once. */
  readonly concurrency: number;
  /** Per-attempt timeout. */
  readonly timeoutMs: number;
  /** Retries after the first attempt, on 429, 5xx, timeouts and network errors. */
  readonly maxRetries: number;
  /** Send the answer prefix as an assistant message to continue (vLLM/SGLang extension). */
  readonly prefill: boolean;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** Upper bound on a server's Retry-After, so a confused server cannot stall a run for hours. */
  readonly maxRetryAfterMs: number;
}

export const LIVE_TEACHER_DEFAULTS = {
  concurrency: 4,
  timeoutMs: 60_000,
  maxRetries: 4,
  prefill: true,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  maxRetryAfterMs: 120_000,
} as const;

/** Raw settings as they come from CLI flags (strings) or code (numbers). */
export interface LiveTeacherFlags {
  readonly baseUrl?: string;
  readonly model?: string;
  readonly apiKey?: string;
  readonly concurrency?: number | string;
  readonly timeoutMs?: number | string;
  readonly maxRetries?: number | string;
  readonly prefill?: boolean;
  readonly backoffBaseMs?: number | string;
  readonly backoffMaxMs?: number | string;
  readonly maxRetryAfterMs?: number | string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Merges flags over environment (LEAF_TEACHER_BASE_URL / _MODEL / _API_KEY, then OPENAI_BASE_URL /
 * OPENAI_API_KEY) over defaults, and validates. Throws an Error with a one-line message.
 */
export function resolveLiveTeacherConfig(flags: LiveTeacherFlags, env: Env = process.env): LiveTeacherConfig {
  const pick = (...values: (string | undefined)[]) => values.map((v) => v?.trim()).find((v) => v);
  const baseUrl = pick(flags.baseUrl, env.LEAF_TEACHER_BASE_URL, env.OPENAI_BASE_URL);
  const model = pick(flags.model, env.LEAF_TEACHER_MODEL);
  const apiKey = pick(flags.apiKey, env.LEAF_TEACHER_API_KEY, env.OPENAI_API_KEY);

  if (!baseUrl) {
    throw new Error('teacher base URL missing: pass --base-url (e.g. http://127.0.0.1:8000/v1) or set LEAF_TEACHER_BASE_URL');
  }
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new Error(`teacher base URL "${baseUrl}" is not a valid URL (expected e.g. http://127.0.0.1:8000/v1)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`teacher base URL "${baseUrl}" must use http or https`);
  }
  if (!model) throw new Error('teacher model missing: pass --model NAME or set LEAF_TEACHER_MODEL');

  const d = LIVE_TEACHER_DEFAULTS;
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    model,
    ...(apiKey ? { apiKey } : {}),
    concurrency: intSetting('concurrency', flags.concurrency, d.concurrency, 1),
    timeoutMs: intSetting('timeout-ms', flags.timeoutMs, d.timeoutMs, 1),
    maxRetries: intSetting('max-retries', flags.maxRetries, d.maxRetries, 0),
    prefill: flags.prefill ?? d.prefill,
    backoffBaseMs: intSetting('backoff-base-ms', flags.backoffBaseMs, d.backoffBaseMs, 0),
    backoffMaxMs: intSetting('backoff-max-ms', flags.backoffMaxMs, d.backoffMaxMs, 0),
    maxRetryAfterMs: intSetting('max-retry-after-ms', flags.maxRetryAfterMs, d.maxRetryAfterMs, 0),
  };
}

function intSetting(name: string, raw: number | string | undefined, fallback: number, min: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = typeof raw === 'number' ? raw : Number(raw.trim());
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`--${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Errors

export type TeacherReplyErrorCode =
  | 'http-status'
  | 'malformed-json'
  | 'no-choices'
  | 'no-logprobs'
  | 'no-level-tokens'
  | 'no-choice-tokens'
  | 'timeout'
  | 'network';

/** The server answered (or failed to answer) in a way no judgment can be read from. */
export class TeacherReplyError extends Error {
  override readonly name = 'TeacherReplyError';
  constructor(
    readonly code: TeacherReplyErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Prompts and the level-word reading live in core/teacher/level-words.ts, shared with the local teacher.

// ---------------------------------------------------------------------------------------------
// The teacher

export class LiveMllmTeacher implements Teacher {
  readonly id: string;
  /** Canonical text of each request template; a change must invalidate cached judgments. */
  readonly prompts: { readonly point: string; readonly pair: string };
  private readonly gate: Semaphore;
  private readonly endpoint: string;

  constructor(readonly config: LiveTeacherConfig) {
    this.id = config.model;
    this.gate = new Semaphore(config.concurrency);
    this.endpoint = `${config.baseUrl}/chat/completions`;
    this.prompts = livePrompts(config.prefill);
  }

  async judgePoint(image: TeacherImage, signal?: AbortSignal): Promise<PointJudgment> {
    const reply = await this.complete(pointContent(image), POINT_PREFIX, signal);
    return pointFromReply(reply, this.where(), this.id, image.key);
  }

  async judgePair(a: TeacherImage, b: TeacherImage, signal?: AbortSignal): Promise<PairJudgment> {
    // Ask in both orders: MLLMs often prefer a position, and only the order-swapped pair reveals it.
    const [ab, ba] = await Promise.all([this.askFirst(a, b, signal), this.askFirst(b, a, signal)]);
    const pAB = (ab.pFirst + (1 - ba.pFirst)) / 2;
    // Reliability = agreement of the two orders (1 - |p1 - (1 - p2)|; 0 for an always-"first" model)
    //   x decisiveness (1 - binary entropy of pAB, mirroring confidenceOf for points)
    //   x mean probability mass on the answer words.
    const agreement = 1 - Math.abs(ab.pFirst - (1 - ba.pFirst));
    const decisiveness = 1 - binaryEntropy(pAB) / Math.LN2;
    const mass = (ab.mass + ba.mass) / 2;
    return { a: a.key, b: b.key, pAB, reliability: clamp01(agreement * decisiveness * mass), teacher: this.id };
  }

  private async askFirst(first: TeacherImage, second: TeacherImage, signal?: AbortSignal) {
    const content = [
      textPart('The first image:'),
      imagePart(first),
      textPart('The second image:'),
      imagePart(second),
      textPart(PAIR_USER_TEXT),
    ];
    const reply = await this.complete(content, PAIR_PREFIX, signal);
    return this.readChoice(topLogprobsOf(reply, this.where()));
  }

  private readChoice(top: readonly TokenLogprob[]) {
    const reading = readChoiceWords(top);
    if (!reading.ok) {
      throw new TeacherReplyError(
        'no-choice-tokens',
        `${this.where()} put neither "first" nor "second" among its top ${top.length} tokens (saw ${reading.seen}): ` +
          `use a model that can compare two images, or a server that supports assistant prefill`,
      );
    }
    return reading;
  }

  private where(): string {
    return `server ${this.config.baseUrl} (model ${this.config.model})`;
  }

  /** One chat completion of a single token with top log-probs; returns the parsed JSON body. */
  private async complete(content: ContentPart[], prefix: string, signal?: AbortSignal): Promise<unknown> {
    const { config } = this;
    const body = chatRequestBody(config, content, prefix);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
    const text = await postWithRetry(
      { url: this.endpoint, headers, body: JSON.stringify(body), where: this.where(), gate: this.gate, config },
      signal,
    );
    try {
      return JSON.parse(text);
    } catch {
      throw new TeacherReplyError(
        'malformed-json',
        `${this.where()} returned a reply that is not JSON (starts ${JSON.stringify(text.slice(0, 60))}): is ${this.endpoint} an OpenAI-compatible endpoint?`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Requests and point replies, shared by the live teacher and the batch files (batch.ts)

/** The chat-completions body of one single-token question with top log-probs. */
export function chatRequestBody(config: Pick<LiveTeacherConfig, 'model' | 'prefill'>, content: readonly ContentPart[], prefix: string): Record<string, unknown> {
  const messages: unknown[] = [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content },
  ];
  const body: Record<string, unknown> = { model: config.model, messages, max_tokens: 1, logprobs: true, top_logprobs: TOP_LOGPROBS, temperature: 0 };
  if (config.prefill) {
    messages.push({ role: 'assistant', content: prefix });
    body.continue_final_message = true;
    body.add_generation_prompt = false;
  }
  return body;
}

/** What the point question shows the model: the image, then the question. */
export function pointContent(image: TeacherImage): ContentPart[] {
  return [imagePart(image), textPart(POINT_USER_TEXT)];
}

/** The canonical text of each request template (the cache's prompt key): a change must invalidate cached judgments. */
export function livePrompts(prefill: boolean): { readonly point: string; readonly pair: string } {
  const template = { system: SYSTEM_PROMPT, topLogprobs: TOP_LOGPROBS, prefill };
  return {
    point: JSON.stringify({ ...template, user: POINT_USER_TEXT, prefix: POINT_PREFIX }),
    pair: JSON.stringify({ ...template, user: PAIR_USER_TEXT, prefix: PAIR_PREFIX }),
  };
}

/** A point judgment read from a chat-completions reply body; `where` names the source in errors. */
export function pointFromReply(reply: unknown, where: string, teacher: string, imageKey: string): PointJudgment {
  const top = topLogprobsOf(reply, where);
  const reading = readLevelWords(top);
  if (!reading.ok) {
    throw new TeacherReplyError(
      'no-level-tokens',
      `${where} put ${reading.present === 0 ? 'none' : 'only one'} of the level words (${LEVELS.join(', ')}) ` +
        `among its top ${top.length} tokens (saw ${reading.seen}): use a model that follows the rating prompt, ` +
        `or a server that supports assistant prefill (vLLM continue_final_message)`,
    );
  }
  return { image: imageKey, ...levelJudgment(reading), teacher };
}

// ---------------------------------------------------------------------------------------------
// Reply parsing

export type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

function textPart(text: string): ContentPart {
  return { type: 'text', text };
}

function imagePart(image: TeacherImage): ContentPart {
  const url = `data:${image.mime};base64,${Buffer.from(image.bytes).toString('base64')}`;
  return { type: 'image_url', image_url: { url } };
}

/** choices[0].logprobs.content[0].top_logprobs, validated. */
function topLogprobsOf(reply: unknown, where: string): TokenLogprob[] {
  const choices = (reply as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices) || choices.length === 0) {
    throw new TeacherReplyError('no-choices', `${where} returned a reply without choices`);
  }
  const content = (choices[0] as { logprobs?: { content?: unknown } | null })?.logprobs?.content;
  const first = Array.isArray(content) ? (content[0] as { top_logprobs?: unknown } | undefined) : undefined;
  const top = first?.top_logprobs;
  const entries = Array.isArray(top)
    ? top.filter(
        (t): t is TokenLogprob =>
          typeof t?.token === 'string' && typeof t?.logprob === 'number' && Number.isFinite(t.logprob),
      )
    : [];
  if (entries.length === 0) {
    throw new TeacherReplyError(
      'no-logprobs',
      `${where} returned no logprobs: start it with logprobs enabled (vLLM: --max-logprobs ${TOP_LOGPROBS})`,
    );
  }
  return entries;
}

function binaryEntropy(p: number): number {
  let h = 0;
  if (p > 0) h -= p * Math.log(p);
  if (p < 1) h -= (1 - p) * Math.log(1 - p);
  return h;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

// ---------------------------------------------------------------------------------------------
// HTTP: bounded concurrency, per-attempt timeout, retries with backoff

/** A counting semaphore; waiters are served in arrival order. */

interface PostRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly where: string;
  readonly gate: Semaphore;
  readonly config: LiveTeacherConfig;
}

type Attempt =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly retryable: boolean; readonly error: TeacherReplyError; readonly retryAfterMs?: number };

async function postWithRetry(req: PostRequest, signal?: AbortSignal): Promise<string> {
  const { config } = req;
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    // The slot is held for one attempt only, so backoff sleeps do not block other requests.
    const result = await req.gate.run(() => attemptOnce(req, signal));
    if (result.ok) return result.text;
    if (!result.retryable || attempt >= config.maxRetries) {
      if (attempt === 0) throw result.error;
      const { code, message, status } = result.error;
      throw new TeacherReplyError(code, `${message} (gave up after ${attempt + 1} attempts)`, status);
    }
    const backoff = Math.min(config.backoffMaxMs, config.backoffBaseMs * 2 ** attempt);
    const jittered = backoff * (0.5 + Math.random() * 0.5); // jitter spreads out synchronised retries
    await sleep(result.retryAfterMs !== undefined ? Math.min(result.retryAfterMs, config.maxRetryAfterMs) : jittered, signal);
  }
}

async function attemptOnce(req: PostRequest, signal?: AbortSignal): Promise<Attempt> {
  const { config, where } = req;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, config.timeoutMs);
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    signal?.throwIfAborted();
    const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, signal: controller.signal });
    const text = await res.text();
    if (res.ok) return { ok: true, text };
    const retryable = res.status === 429 || res.status >= 500;
    const hint = res.status === 404 ? ' (does the base URL end in /v1?)' : '';
    const error = new TeacherReplyError(
      'http-status',
      `${where} answered HTTP ${res.status}${hint}: ${errorSnippet(text)}`,
      res.status,
    );
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
    return { ok: false, retryable, error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    if (timedOut) {
      const error = new TeacherReplyError('timeout', `${where} did not answer within ${config.timeoutMs} ms`);
      return { ok: false, retryable: true, error };
    }
    const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    return { ok: false, retryable: true, error: new TeacherReplyError('network', `${where} could not be reached: ${cause}`) };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The server's own error message where it sent one (OpenAI style {error:{message}}), shortened to one line. */
function errorSnippet(text: string): string {
  let message = text;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const candidate = typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message);
    if (typeof candidate === 'string') message = candidate;
  } catch {
    // not JSON: show the raw text
  }
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}...` : line || '(empty body)';
}

/** Retry-After as delta-seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
