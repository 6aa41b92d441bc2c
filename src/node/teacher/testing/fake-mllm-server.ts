// A real local HTTP server that speaks the chat-completions protocol of an MLLM teacher, for tests:
// its level log-probs follow the image bytes deterministically, and it can misbehave on demand.

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeMode =
  | 'ok'
  | '429-then-ok'
  | '500-then-ok'
  | '400'
  | 'no-choices'
  | 'no-logprobs'
  | 'malformed-json'
  | 'no-level-tokens'
  | 'slow'
  | 'position-biased';

export interface FakeServerOptions {
  mode?: FakeMode;
  /** For the *-then-ok modes: how many requests fail before the server recovers. */
  failures?: number;
  /** Retry-After header (seconds) sent with 429; omitted when undefined. */
  retryAfterSeconds?: number;
  /** Delay before every answer ('slow' uses it too; default 5 s there, 0 elsewhere). */
  delayMs?: number;
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401. */
  apiKey?: string;
}

export interface RecordedRequest {
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
  /** Data URLs of the images in the user message, in order. */
  readonly images: readonly string[];
}

export interface FakeMllmServer {
  /** e.g. http://127.0.0.1:PORT/v1 */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Highest number of requests the server was answering at once. */
  readonly maxInFlight: number;
  readonly options: FakeServerOptions;
  /** Clears recorded requests, in-flight peak and the failure counter. */
  reset(options?: FakeServerOptions): void;
  close(): Promise<void>;
}

const LEVEL_TOKENS = [' excellent', 'Ġgood', '▁fair', ' Poor', 'bad'] as const; // odd spellings test normalisation
const LEVEL_VALUES = [5, 4, 3, 2, 1];
const FILLERS = ['The', ' very', ' quite', ',', ' a'];

/** Quality the fake "sees" in an image: 1 + 4 * mean byte / 255. */
export function fakeScoreOf(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum += b;
  return 1 + (4 * (bytes.length ? sum / bytes.length : 0)) / 255;
}

export async function startFakeMllmServer(initial: FakeServerOptions = {}): Promise<FakeMllmServer> {
  let options = { ...initial };
  let served = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  // Requests still open from before a reset (e.g. abandoned slow ones) must not count after it.
  let generation = 0;
  const requests: RecordedRequest[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const gen = generation;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const index = served++;
      let done = false;
      const finish = (status: number, body: string, headers: Record<string, string> = {}) => {
        if (done) return;
        done = true;
        if (gen === generation) inFlight--;
        clearTimeout(timer);
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body);
      };
      // A client that gives up (timeout) closes the socket: stop counting it as in flight.
      res.on('close', () => finish(499, ''));

      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      const images = imagesOf(body);
      requests.push({ url: req.url ?? '', authorization: req.headers.authorization, body, images });

      const mode = options.mode ?? 'ok';
      const delay = options.delayMs ?? (mode === 'slow' ? 5000 : 0);
      const timer = setTimeout(() => {
        const [status, text, headers] = answer(mode, index, req, body, images);
        finish(status, text, headers);
      }, delay);
    });
  });

  const answer = (
    mode: FakeMode,
    index: number,
    req: http.IncomingMessage,
    body: unknown,
    images: readonly string[],
  ): [number, string, Record<string, string>?] => {
    if (req.method !== 'POST' || !req.url?.endsWith('/v1/chat/completions')) {
      return [404, JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } })];
    }
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return [401, JSON.stringify({ error: { message: 'invalid api key' } })];
    }
    if (body === undefined || images.length === 0) {
      return [400, JSON.stringify({ error: { message: 'request must be JSON with at least one image' } })];
    }
    const failing = index < (options.failures ?? 1);
    switch (mode) {
      case '429-then-ok':
        if (failing) {
          const headers: Record<string, string> =
            options.retryAfterSeconds === undefined ? {} : { 'retry-after': String(options.retryAfterSeconds) };
          return [429, JSON.stringify({ error: { message: 'rate limited' } }), headers];
        }
        break;
      case '500-then-ok':
        if (failing) return [500, JSON.stringify({ error: { message: 'engine overloaded' } })];
        break;
      case '400':
        return [400, JSON.stringify({ error: { message: 'model does not support images' } })];
      case 'malformed-json':
        return [200, '{"choices": [ this is not json'];
      case 'no-choices':
        return [200, JSON.stringify({ id: 'x', choices: [] })];
      case 'no-logprobs':
        return [200, completion(null)];
      case 'no-level-tokens':
        return [200, completion(FILLERS.map((token, i) => ({ token, logprob: -0.5 - i })))];
      default:
        break;
    }
    const top =
      images.length >= 2
        ? pairLogprobs(mode === 'position-biased' ? 0.99 : pFirstOf(images[0]!, images[1]!))
        : levelLogprobs(fakeScoreOf(bytesOf(images[0]!)));
    return [200, completion(top)];
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    get options() {
      return options;
    },
    reset(next?: FakeServerOptions) {
      if (next) options = { ...next };
      requests.length = 0;
      served = 0;
      generation++;
      inFlight = 0;
      maxInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function imagesOf(body: unknown): string[] {
  const messages = (body as { messages?: { role?: string; content?: unknown }[] } | undefined)?.messages;
  const out: string[] = [];
  for (const m of Array.isArray(messages) ? messages : []) {
    if (m?.role !== 'user' || !Array.isArray(m.content)) continue;
    for (const part of m.content as { type?: string; image_url?: { url?: unknown } }[]) {
      if (part?.type === 'image_url' && typeof part.image_url?.url === 'string') out.push(part.image_url.url);
    }
  }
  return out;
}

function bytesOf(dataUrl: string): Uint8Array {
  const comma = dataUrl.indexOf(',');
  return Buffer.from(dataUrl.slice(comma + 1), 'base64');
}

/** Level log-probs peaked around `score`, plus filler tokens well below them. */
function levelLogprobs(score: number): { token: string; logprob: number }[] {
  const logits = LEVEL_VALUES.map((v) => -((v - score) ** 2) / 0.5);
  const max = Math.max(...logits);
  const logZ = max + Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0));
  // Keep a little mass (~1%) outside the level words, as a real model would.
  const levels = logits.map((l, i) => ({ token: LEVEL_TOKENS[i]!, logprob: l - logZ + Math.log(0.99) }));
  const fillers = FILLERS.map((token, i) => ({ token, logprob: -6 - i }));
  // Drop levels below the fillers, as a top-k cut would.
  return [...levels.filter((t) => t.logprob > -6), ...fillers].sort((a, b) => b.logprob - a.logprob);
}

function pFirstOf(first: string, second: string): number {
  const diff = fakeScoreOf(bytesOf(first)) - fakeScoreOf(bytesOf(second));
  return 1 / (1 + Math.exp(-3 * diff));
}

function pairLogprobs(pFirst: number): { token: string; logprob: number }[] {
  const p = Math.min(0.999, Math.max(0.001, pFirst)) * 0.99;
  return [
    { token: ' first', logprob: Math.log(p) },
    { token: ' second', logprob: Math.log(0.99 - p) },
    { token: ' same', logprob: Math.log(0.01) },
  ].sort((a, b) => b.logprob - a.logprob);
}

function completion(top: { token: string; logprob: number }[] | null): string {
  const token = top?.[0]?.token ?? ' good';
  return JSON.stringify({
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    model: 'fake-mllm',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: token },
        logprobs: top === null ? null : { content: [{ token, logprob: top[0]!.logprob, top_logprobs: top }] },
        finish_reason: 'length',
      },
    ],
  });
}
