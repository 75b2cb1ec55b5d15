/**
 * Built-in reference cards. Checksums and sizes of the zoo files are the ONNX model hub manifest's (onnx/models,
 * ONNX_HUB_MANIFEST.json, entries vision/classification/alexnet/model/bvlcalexnet-12.onnx and
 * vision/classification/squeezenet/model/squeezenet1.1-7.onnx). `squeezenet1.1` ships with the project
 * (assets/reference/README.md: provenance, checksum, licence).
 */
import { parseCard, type ModelCard } from './card.js';
import { readShippedLabels } from './shipped.js';

const IMAGENET_MEAN_255 = { r: 123.68, g: 116.779, b: 103.939 };

/** torchvision's ImageNet convention: RGB, [0, 1], these mean/std, shorter side 256 then centre crop 224. */
const TORCHVISION_INPUT = {
  height: 224,
  width: 224,
  channels: 3,
  channelOrder: 'RGB',
  scale: 1,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  crop: { shorterSide: 256 },
} as const;

export const BUILTIN_CARDS: Record<string, ModelCard> = {
  'bvlcalexnet-12': parseCard(
    {
      name: 'bvlcalexnet-12',
      description:
        'ONNX model zoo AlexNet (BVLC Caffe → Caffe2 → ONNX, opset 12), pretrained on ImageNet; top-1 57.1%.',
      pretrained: true,
      file: 'bvlcalexnet-12.onnx',
      url: 'https://github.com/onnx/models/raw/main/validated/vision/classification/alexnet/model/bvlcalexnet-12.onnx',
      sha256: '6b0da9510f27f234ee96a85dc3809dd210150fdefad87f6850f9788513216945',
      bytes: 243863787,
      input: {
        name: 'data_0',
        height: 224,
        width: 224,
        channels: 3,
        channelOrder: 'BGR',
        // Caffe convention: 0–255 pixels minus the per-channel mean, no std division; BGR order.
        scale: 255,
        mean: [IMAGENET_MEAN_255.b, IMAGENET_MEAN_255.g, IMAGENET_MEAN_255.r],
        std: [1, 1, 1],
      },
      // The hub manifest (read from the file) lists the output as prob_1; older zoo READMEs say softmaxout_1.
      // The probe reads output names from the session, so either works; this is informational.
      output: { name: 'prob_1', kind: 'probabilities' },
      classes: 1000,
      batchNorm: false,
    },
    'bvlcalexnet-12',
  ),
  'squeezenet1.1': parseCard(
    {
      name: 'squeezenet1.1',
      description:
        "SqueezeNet 1.1 with the ONNX model zoo's ImageNet weights (AlexNet-level accuracy, 4.9 MB), shipped in assets/reference/; no batch norm.",
      pretrained: true,
      shipped: 'squeezenet1.1.onnx',
      sha256: 'd1c04dc6b9fea535dbac92020ff10e0eeee60846ee824101742db8141dc4151b',
      bytes: 4947532,
      labelsFile: 'imagenet-labels.txt',
      input: { name: 'data', ...TORCHVISION_INPUT },
      output: { name: 'logits', kind: 'logits' },
      classes: 1000,
      batchNorm: false,
    },
    'squeezenet1.1',
  ),
  'squeezenet1.1-7': parseCard(
    {
      name: 'squeezenet1.1-7',
      description:
        "The ONNX model zoo's own SqueezeNet 1.1 file (opset 7, batch fixed to 1, other node names than the shipped copy; same weights).",
      pretrained: true,
      file: 'squeezenet1.1-7.onnx',
      url: 'https://github.com/onnx/models/raw/main/validated/vision/classification/squeezenet/model/squeezenet1.1-7.onnx',
      sha256: '1eeff551a67ae8d565ca33b572fc4b66e3ef357b0eb2863bb9ff47a918cc4088',
      bytes: 4956208,
      labelsFile: 'imagenet-labels.txt',
      input: { name: 'data', ...TORCHVISION_INPUT },
      // The last Flatten of the global average pool: class scores before softmax.
      output: { name: 'squeezenet0_flatten0_reshape0', kind: 'logits' },
      classes: 1000,
      batchNorm: false,
    },
    'squeezenet1.1-7',
  ),
  'torchvision-alexnet': parseCard(
    {
      name: 'torchvision-alexnet',
      description: 'torchvision AlexNet (IMAGENET1K_V1 weights) exported to ONNX; outputs logits.',
      pretrained: true,
      file: 'torchvision-alexnet.onnx',
      obtain:
        'torchvision publishes PyTorch weights, not ONNX. Export once with: python3 -c "import torch, torchvision; ' +
        "m = torchvision.models.alexnet(weights='IMAGENET1K_V1').eval(); torch.onnx.export(m, torch.zeros(1, 3, 224, 224), " +
        "'torchvision-alexnet.onnx', input_names=['input'], output_names=['logits'], dynamic_axes={'input': {0: 'N'}}, opset_version=17)\" " +
        'and copy the file into the reference cache (see fetch-reference --help).',
      input: { name: 'input', ...TORCHVISION_INPUT },
      output: { name: 'logits', kind: 'logits' },
      classes: 1000,
      batchNorm: false,
    },
    'torchvision-alexnet',
  ),
};

/** Short names users type. */
export const CARD_ALIASES: Record<string, string> = {
  alexnet: 'bvlcalexnet-12',
  'zoo-alexnet': 'bvlcalexnet-12',
  squeezenet: 'squeezenet1.1',
};

/** A random-weight AlexNet-topology model is never a reference; whatever shows it carries this label. */
export const STRUCTURE_ONLY_LABEL = 'structure only, not pretrained';

export function builtinCard(name: string): ModelCard {
  const card = BUILTIN_CARDS[CARD_ALIASES[name] ?? name];
  if (!card) {
    throw new Error(
      `Unknown model card "${name}"; built-in cards: ${Object.keys(BUILTIN_CARDS).join(', ')} (aliases: ${Object.keys(CARD_ALIASES).join(', ')}), or pass a path to a card JSON file.`,
    );
  }
  return withLabels(card);
}

/** The card with `labels` read from its `labelsFile` (once; the file is shipped with the project). */
export function withLabels(card: ModelCard): ModelCard {
  if (card.labels || !card.labelsFile) return card;
  card.labels = readShippedLabels(card.labelsFile, card.classes);
  return card;
}
