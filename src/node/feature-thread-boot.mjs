// A worker thread's first module: worker threads do not inherit tsx's loader, so it is registered here
// before the TypeScript entry is imported.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
