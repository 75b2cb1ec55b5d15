"""PyTorch twin of actprobe's model M (train/models/model-m.ts), timed the same way as the tfjs side:
Adam lr 1e-3, batch 64, 28x28x1 inputs, 10 classes, train mode, random data. Prints one JSON line.
Test-time peer only (Debian python3-torch); the product never imports it."""
import json
import sys
import time

import torch
from torch import nn


class SE(nn.Module):
    def __init__(self, channels, squeeze):
        super().__init__()
        self.squeeze = nn.Linear(channels, squeeze)
        self.excite = nn.Linear(squeeze, channels)

    def forward(self, x):
        g = x.mean(dim=(2, 3))
        g = torch.sigmoid(self.excite(torch.relu(self.squeeze(g))))
        return x * g[:, :, None, None]


def block(cin, cout):
    # Keras: conv (no bias, since BN follows) + BN(eps 1e-3) + ReLU, 'same' padding.
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout, eps=1e-3, momentum=0.1), nn.ReLU()]


def model_m():
    return nn.Sequential(
        *block(1, 32), nn.MaxPool2d(2),
        *block(32, 64), nn.MaxPool2d(2),
        *block(64, 128), SE(128, 8),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10),
    )


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = model_m().train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    batch = 64
    x = torch.rand(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))

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
    print(json.dumps({"img_s": steps * batch / elapsed, "steps": steps, "threads": threads, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
