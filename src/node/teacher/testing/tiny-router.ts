// A tiny local router in front of several chat-completions replicas, for tests: round-robin, and no retry
// of its own (a replica that is gone answers 502), like the thinnest of the routers people put in front of
// vLLM/SGLang replicas. The client's own retries must carry the run past a replica's death.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TinyRouter {
  readonly baseUrl: string;
  /** Requests answered 502 because their replica was gone. */
  readonly badGateway: number;
  close(): Promise<void>;
}

export async function startTinyRouter(replicas: readonly string[]): Promise<TinyRouter> {
  let next = 0;
  let badGateway = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const upstream = replicas[next++ % replicas.length]!.replace(/\/v1$/, '');
      try {
        const r = await fetch(`${upstream}${req.url}`, { method: req.method, headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) });
        const text = await r.text();
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(text);
      } catch {
        badGateway++;
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `replica ${upstream} is unreachable` } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get badGateway() {
      return badGateway;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
