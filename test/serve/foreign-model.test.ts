/**
 * A model without actprobe metadata (e.g. from another exporter): /infer and layer listing still work
 * (layers named after ONNX nodes), /classify says why it cannot preprocess.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportLayersModel } from '../../export/index.js';
import { encodeModel } from '../../onnx/encode.js';
import { buildModel } from '../../train/models/index.js';
import { pngImage, tempDir } from './fixtures.js';
import { call, expectCleanError, inferBody, postImage, postJson, startServer, type TestServer } from './helpers.js';

let root: string;
let server: TestServer;

beforeAll(async () => {
  root = await tempDir('foreign');
  await tf.setBackend('cpu');
  const { model } = buildModel({ height: 8, width: 8, channels: 1, classes: 3 }, { preset: 'tiny' });
  const onnx = exportLayersModel(model).model;
  await mkdir(join(root, 'plain'));
  await writeFile(join(root, 'plain', 'model.onnx'), encodeModel({ ...onnx, metadata: {} }));
  server = await startServer({ models: root });
});
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('a model without actprobe metadata', () => {
  it('describes itself from the graph: static input dims, node-named layers, index labels', async () => {
    const r = await call(`${server.url}/v2/models/plain`);
    expect(r.json).toMatchObject({
      inputs: [{ shape: [-1, 1, 8, 8] }],
      outputs: [{ shape: [-1, 3] }],
      labels: ['0', '1', '2'],
      preprocessing: null,
    });
    const layers = (r.json.layers as Array<{ name: string; op: string }>).map((l) => `${l.name}:${l.op}`);
    expect(layers).toEqual(expect.arrayContaining(['conv1:Conv', 'conv1/relu:Relu', 'gap:ReduceMean']));
  });

  it('answers /infer with stats of a node', async () => {
    const r = await postJson(
      `${server.url}/v2/models/plain/infer`,
      inferBody([1, 8, 8], 1, { parameters: { activations: 'stats', layers: ['conv1/relu'] } }),
    );
    expect(r.status, r.text).toBe(200);
    expect(r.json.activations).toMatchObject([{ name: 'conv1/relu', op: 'Relu', shape: [1, 8, 8, 8] }]);
  });

  it('refuses /classify with the reason', async () => {
    expectCleanError(
      await postImage(`${server.url}/v1/models/plain/classify`, await pngImage(8, 8, 1)),
      422,
      /no actprobe metadata.*\/v2\/models\/plain\/infer/,
    );
  });
});
