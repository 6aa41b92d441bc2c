// App configuration, parsed once from the page URL and validated. Pure: unit-tested.
import { parseBackendParam } from '../worker/backend-choice.ts';
import type { BackendName } from '../worker/protocol.ts';

/** Folder under models/ that the app loads when the URL names none. */
export const DEFAULT_MODEL = 'leaf-mnv2-140';

export interface AppConfig {
  /** Forced with ?backend=webgpu|wasm|webgl|cpu; null = choose automatically. */
  readonly backend: BackendName | null;
  readonly modelName: string;
  /** Absolute URL of the model folder, ending in '/'. */
  readonly modelUrl: string;
  /** Inference workers asked for with ?workers=N (1-4); null = one per core (see engine-client/pool-size.ts). */
  readonly workers: number | null;
  /** Problems with the URL parameters, shown to the user; the app runs with defaults instead. */
  readonly warnings: readonly string[];
}

export function parseConfig(href: string, base = '/'): AppConfig {
  const url = new URL(href);
  const warnings: string[] = [];
  let backend: BackendName | null = null;
  try {
    backend = parseBackendParam(url.searchParams.get('backend'));
  } catch (err) {
    warnings.push((err as Error).message);
  }
  let modelName = DEFAULT_MODEL;
  const model = url.searchParams.get('model');
  if (model !== null) {
    if (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(model)) modelName = model;
    else warnings.push(`model "${model}" is not a folder name under models/: using ${DEFAULT_MODEL}`);
  }
  let workers: number | null = null;
  const workersParam = url.searchParams.get('workers');
  if (workersParam !== null) {
    if (/^[1-4]$/.test(workersParam)) workers = Number(workersParam);
    else warnings.push(`workers "${workersParam}" is not a number from 1 to 4: choosing by the number of cores`);
  }
  const modelUrl = new URL(`${base.replace(/\/?$/, '/')}models/${modelName}/`, url.origin).href;
  return { backend, modelName, modelUrl, workers, warnings };
}
