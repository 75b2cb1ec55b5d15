/**
 * Imported first by the commands that decode images (train, pipeline, prepare-data): sharp decodes on Node's
 * thread pool, which libuv sizes once, at its first use, from UV_THREADPOOL_SIZE (default 4). On a machine
 * with more cores than that, 4 decodes at a time would cap the image-folder loader whatever its concurrency,
 * so the pool gets one thread per logical CPU unless the user set the variable.
 */
import { availableParallelism } from 'node:os';

if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = String(Math.max(4, availableParallelism()));
