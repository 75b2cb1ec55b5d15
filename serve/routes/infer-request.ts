/**
 * Open Inference Protocol v2 request body, validated at the edge: the JSON's form is a 400, a well-formed
 * request that does not fit this model (name, datatype, shape, size) is a 422 naming what was expected.
 */
import { z } from 'zod';
import { badRequest, unprocessable } from '../errors.js';
import type { ServedModel } from '../models/served-model.js';

export const activationModes = ['none', 'stats', 'full'] as const;
export type ActivationMode = (typeof activationModes)[number];

const tensorSchema = z.object({
  name: z.string(),
  shape: z.array(z.int().nonnegative()),
  datatype: z.string(),
  data: z.array(z.unknown()),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

const requestSchema = z.object({
  id: z.string().optional(),
  parameters: z
    .looseObject({
      activations: z.enum(activationModes).optional(),
      layers: z.array(z.string()).optional(),
    })
    .optional(),
  inputs: z.array(tensorSchema).min(1),
  outputs: z.array(z.looseObject({ name: z.string() })).optional(),
});

export interface InferRequest {
  id?: string;
  mode: ActivationMode;
  layers?: string[];
  input: Float32Array;
  images: number;
}

/** OIP allows row-major nested arrays as well as flat ones; anything but finite numbers is refused. */
function flatten(data: unknown[], out: number[]): void {
  for (const v of data) {
    if (typeof v === 'number') out.push(v);
    else if (Array.isArray(v)) flatten(v, out);
    else throw badRequest(`tensor data must hold only numbers, found ${JSON.stringify(v)?.slice(0, 40)}`);
  }
}

/**
 * `inputData`: the inputs' data already read as float32 by parseInferJson (their `data` in `body` is then
 * `[]`); without it the values come from `body`.
 */
export function parseInferRequest(
  body: unknown,
  model: ServedModel,
  maxImages: number,
  inputData?: ReadonlyArray<Float32Array | undefined>,
): InferRequest {
  if (body === undefined) throw badRequest('missing JSON body (send Content-Type: application/json)');
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw badRequest(`invalid inference request at ${i.path.join('.') || '(body)'}: ${i.message}`);
  }
  const req = parsed.data;
  if (req.inputs.length !== 1)
    throw unprocessable(`model ${model.name} takes one input "${model.inputName}", got ${req.inputs.length}`);
  const t = req.inputs[0];
  const [c, h, w] = model.imageDims;
  if (t.name !== model.inputName)
    throw unprocessable(`unknown input "${t.name}"; model ${model.name} takes "${model.inputName}"`);
  if (t.datatype !== 'FP32') throw unprocessable(`input ${t.name}: datatype ${t.datatype} is not accepted; send FP32`);
  const [n, ...rest] = t.shape;
  if (t.shape.length !== 4 || rest[0] !== c || rest[1] !== h || rest[2] !== w) {
    throw unprocessable(`input ${t.name}: shape [${t.shape.join(', ')}] does not match [N, ${c}, ${h}, ${w}]`);
  }
  if (n < 1 || n > maxImages) throw unprocessable(`input ${t.name}: batch ${n} is outside 1..${maxImages}`);
  for (const o of req.outputs ?? []) {
    if (o.name !== model.outputName)
      throw unprocessable(
        `unknown output "${o.name}"; model ${model.name} outputs "${model.outputName}" (layers come through parameters.activations)`,
      );
  }
  let input = inputData?.[0];
  if (!input) {
    const flat: number[] = [];
    flatten(t.data, flat);
    input = Float32Array.from(flat);
  }
  if (input.length !== n * c * h * w)
    throw unprocessable(
      `input ${t.name}: ${input.length} values for shape [${t.shape.join(', ')}] which needs ${n * c * h * w}`,
    );
  return { id: req.id, mode: req.parameters?.activations ?? 'none', layers: req.parameters?.layers, input, images: n };
}
