// A local stand-in for a batch engine (vLLM's run_batch, an OpenAI-style batch API), for tests: reads an
// OpenAI Batch API input JSONL, sends each request's body to a chat-completions server, and writes the
// output JSONL in the batch format ({id, custom_id, response: {status_code, request_id, body}, error}).
// It can fail chosen lines, repeat lines, and cut the output file mid-line, as real runs sometimes do.
import fs from 'node:fs';

export interface BatchRunnerFaults {
  /** 0-based request indices the engine reports as failed (error object, no response). */
  readonly fail?: readonly number[];
  /** Request indices whose result line is written twice. */
  readonly duplicate?: readonly number[];
  /** Cut the output file this many bytes before its end (a truncated download). */
  readonly truncateBytes?: number;
}

export async function runBatchFile(input: string, output: string, baseUrl: string, faults: BatchRunnerFaults = {}): Promise<number> {
  const requests = fs
    .readFileSync(input, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { custom_id: string; url: string; body: Record<string, unknown> });
  const lines: string[] = [];
  for (const [i, r] of requests.entries()) {
    let line: Record<string, unknown>;
    if (faults.fail?.includes(i)) {
      line = { id: `batch_req_${i}`, custom_id: r.custom_id, response: null, error: { code: 'engine_error', message: 'CUDA out of memory' } };
    } else {
      const res = await fetch(`${baseUrl.replace(/\/v1$/, '')}${r.url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(r.body) });
      const body = (await res.json()) as Record<string, unknown>;
      // Engines name the model they served in the reply.
      line = { id: `batch_req_${i}`, custom_id: r.custom_id, response: { status_code: res.status, request_id: `req_${i}`, body: { ...body, model: r.body.model } }, error: null };
    }
    lines.push(JSON.stringify(line));
    if (faults.duplicate?.includes(i)) lines.push(JSON.stringify(line));
  }
  let text = `${lines.join('\n')}\n`;
  if (faults.truncateBytes) text = text.slice(0, text.length - faults.truncateBytes);
  fs.writeFileSync(output, text);
  return requests.length;
}
