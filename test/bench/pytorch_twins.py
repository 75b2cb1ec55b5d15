"""PyTorch twins of actprobe's presets as the bench trains them, timed the same way as the tfjs side
(test/bench/train-throughput.ts): Adam lr 1e-3, batch 64, train mode, random data. Prints one JSON line.
Test-time peer only (Debian python3-torch); the product never imports it.

  python3 pytorch_twins.py MODEL SECONDS THREADS    MODEL: model-m | seednet | alexnet
  python3 pytorch_twins.py MODEL --params           trainable parameter count (the twins test compares it)

Twins (same layers, widths and trainable parameters as train/models/*.ts at the bench's settings):
  model-m  28x28x1, 10 classes (train/models/model-m.ts)
  seednet  width 0.25, 28x28x1, 10 classes: 9 conv+BN+ReLU (2 in a residual block), two SE blocks, FC 256-128-10
           with dropout 0.3 (train/models/seednet.ts)
  alexnet  width 1/16, stem 5x5 stride 2, 64x64x3, 110 classes: 5 convs with bias + ReLU, 3x3/2 pools,
           FC 256-256-110 with dropout 0.5 (train/models/alexnet.ts)
Keras 'same' max pools round up, so the twins' pools use ceil_mode=True; BN eps 1e-3 as Keras."""
import json
import sys
import time

import torch
from torch import nn


def scaled(channels, width):
    return max(1, round(channels * width))


class SE(nn.Module):
    def __init__(self, channels, ratio=8, squeeze=None):
        super().__init__()
        squeeze = squeeze or max(1, channels // ratio)
        self.squeeze = nn.Linear(channels, squeeze)
        self.excite = nn.Linear(squeeze, channels)

    def forward(self, x):
        g = x.mean(dim=(2, 3))
        g = torch.sigmoid(self.excite(torch.relu(self.squeeze(g))))
        return x * g[:, :, None, None]


def bn_block(cin, cout, relu=True):
    # Keras: conv (no bias, since BN follows) + BN(eps 1e-3) + ReLU, 'same' padding.
    layers = [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout, eps=1e-3, momentum=0.1)]
    return layers + [nn.ReLU()] if relu else layers


def model_m():
    return nn.Sequential(
        *bn_block(1, 32), nn.MaxPool2d(2),
        *bn_block(32, 64), nn.MaxPool2d(2),
        *bn_block(64, 128), SE(128, squeeze=8),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10),
    )


class Seednet(nn.Module):
    def __init__(self, width=0.25, channels=1, classes=10, fc=(256, 128), dropout=0.3):
        super().__init__()
        c = lambda n: scaled(n, width)
        pool = lambda: nn.MaxPool2d(2, ceil_mode=True)
        self.stem = nn.Sequential(*bn_block(channels, c(32)), *bn_block(c(32), c(64)), pool())
        self.res = nn.Sequential(*bn_block(c(64), c(64)), *bn_block(c(64), c(64), relu=False))
        self.after_res = nn.Sequential(nn.ReLU(), SE(c(64)), pool())
        self.mid = nn.Sequential(*bn_block(c(64), c(128)), *bn_block(c(128), c(128)), *bn_block(c(128), c(128)), SE(c(128)), pool())
        self.top = nn.Sequential(*bn_block(c(128), c(256)), *bn_block(c(256), c(256)), *bn_block(c(256), c(256)), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Sequential(
            nn.Linear(c(256), fc[0]), nn.ReLU(), nn.Dropout(dropout),
            nn.Linear(fc[0], fc[1]), nn.ReLU(), nn.Dropout(dropout),
            nn.Linear(fc[1], classes),
        )

    def forward(self, x):
        h = self.stem(x)
        h = self.after_res(h + self.res(h))
        return self.head(self.top(self.mid(h)))


def alexnet(width=0.0625, channels=3, classes=110, size=64, stem_kernel=5, stem_stride=2, dropout=0.5):
    c = lambda n: scaled(n, width)
    conv = lambda cin, cout, k, s=1: [nn.Conv2d(cin, cout, k, stride=s, padding=k // 2), nn.ReLU()]
    pool = lambda: nn.MaxPool2d(3, 2)
    side = (size + stem_stride - 1) // stem_stride
    for _ in range(3):
        side = (side - 3) // 2 + 1
    return nn.Sequential(
        *conv(channels, c(64), stem_kernel, stem_stride), pool(),
        *conv(c(64), c(192), 5), pool(),
        *conv(c(192), c(384), 3), *conv(c(384), c(256), 3), *conv(c(256), c(256), 3), pool(),
        nn.Flatten(), nn.Dropout(dropout), nn.Linear(c(256) * side * side, c(4096)), nn.ReLU(),
        nn.Dropout(dropout), nn.Linear(c(4096), c(4096)), nn.ReLU(),
        nn.Linear(c(4096), classes),
    )


TWINS = {
    "model-m": (model_m, (1, 28, 28), 10),
    "seednet": (Seednet, (1, 28, 28), 10),
    "alexnet": (alexnet, (3, 64, 64), 110),
}


def main():
    name = sys.argv[1]
    build, shape, classes = TWINS[name]
    torch.manual_seed(0)
    model = build().train()
    if len(sys.argv) > 2 and sys.argv[2] == "--params":
        print(json.dumps({"params": sum(p.numel() for p in model.parameters() if p.requires_grad)}))
        return
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    torch.set_num_threads(threads)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    batch = 64
    x = torch.rand(batch, *shape)
    y = torch.randint(0, classes, (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(10):
        step()
    steps = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        steps += 1
    elapsed = time.perf_counter() - start
    print(json.dumps({"img_s": steps * batch / elapsed, "steps": steps, "threads": threads, "torch": torch.__version__, "model": name}))


if __name__ == "__main__":
    main()
