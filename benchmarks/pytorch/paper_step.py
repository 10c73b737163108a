#!/usr/bin/env python3
"""ColorTrack's training step written in PyTorch, as the throughput reference for
`colortrack-bench train --compare-pytorch`: the paper preset (below), or with --preset small-lab4 the
shipped model's (Lab input, ResNet 32/64/128 at output stride 4, per-frame 1x3x3 head 64 ch without
coordinate channels, the Lab colour-regression loss: Huber between the pointer's copy of the
references' cell colours and the target's).

Same network and step as lib/ColorTrack (Model/ColorizationModel.cs, Training/ColorizationObjective.cs,
Training/ColorizationTrainer.cs): ResNet-18 trunk on gray 256x256 frames (widths 64/128/256/256,
strides 1/2/1/1, dilations 1/1/2/4 -> 32x32x256), 2 coordinate channels, Appendix B's 3D stack
(1x3x3 dilated / 3x1x1 convs at 256 channels, BN+ReLU, 1x1x1 conv to 64), the colour-copy loss
(softmax pointer over the 3 reference frames, log of the copied one-hot distribution, NLL), Adam.

Run with Debian's python3-torch and OpenBLAS:
    apt-get install -y python3-torch libopenblas0-pthread
    /usr/bin/python3 benchmarks/pytorch/paper_step.py --batch 8 --steps 3 --threads 2
Prints one JSON line: {"clips_per_second": median, "seconds_per_step": [...], "median_cpu_seconds": ...}
(process CPU time per step is the steadier figure on a machine shared with other jobs).
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride, dilation):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, padding=dilation, dilation=dilation, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, padding=dilation, dilation=dilation, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.downsample is None else self.downsample(x)))


class Backbone(nn.Module):
    def __init__(self, widths=(64, 128, 256, 256), blocks=(2, 2, 2, 2), strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4), cin=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, widths[0], 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        layers, cin = [], widths[0]
        for w, n, s, d in zip(widths, blocks, strides, dilations):
            stage = []
            for b in range(n):
                stage.append(BasicBlock(cin, w, s if b == 0 else 1, d))
                cin = w
            layers.append(nn.Sequential(*stage))
        self.layers = nn.ModuleList(layers)

    def forward(self, x):
        x = self.maxpool(F.relu(self.bn1(self.conv1(x))))
        for layer in self.layers:
            x = layer(x)
        return x


class Head(nn.Module):
    def __init__(self, cin, width=256, dilations=(1, 2, 4, 8, 16), dim=64, temporal=True):
        super().__init__()
        mods = []
        for d in dilations:
            mods += [nn.Conv3d(cin, width, (1, 3, 3), padding=(0, d, d), dilation=(1, d, d), bias=False),
                     nn.BatchNorm3d(width), nn.ReLU()]
            if temporal:
                mods += [nn.Conv3d(width, width, (3, 1, 1), padding=(1, 0, 0), bias=False),
                         nn.BatchNorm3d(width), nn.ReLU()]
            cin = width
        mods.append(nn.Conv3d(cin, dim, 1))
        self.layers = nn.Sequential(*mods)

    def forward(self, x):
        return self.layers(x)


class ColorizationModel(nn.Module):
    def __init__(self, preset="paper"):
        super().__init__()
        self.coords = preset == "paper"
        if preset == "paper":
            self.backbone = Backbone()
            self.head = Head(256 + 2)
        else:  # small-lab4
            self.backbone = Backbone((32, 64, 128), (1, 1, 1), (1, 1, 1), (1, 2, 4), cin=3)
            self.head = Head(128, 64, (1, 2, 4, 8), 64, temporal=False)

    def forward(self, gray):  # [B, T, C, H, W] -> [B, T, D, h, w]
        b, t = gray.shape[:2]
        f = self.backbone(gray.flatten(0, 1))
        c, h, w = f.shape[1:]
        x = f.view(b, t, c, h, w).permute(0, 2, 1, 3, 4)
        if not self.coords:
            return self.head(x).permute(0, 2, 1, 3, 4).contiguous()
        ys = torch.linspace(-1, 1, h).view(h, 1).expand(h, w)
        xs = torch.linspace(-1, 1, w).view(1, w).expand(h, w)
        coords = torch.stack([xs, ys]).view(1, 2, 1, h, w).expand(b, 2, t, h, w)
        return self.head(torch.cat([x, coords], 1)).permute(0, 2, 1, 3, 4).contiguous()


def colorization_loss(emb, bins, k):
    b, t, d = emb.shape[:3]
    refs = emb[:, :t - 1].permute(0, 1, 3, 4, 2).reshape(b, -1, d)   # [B, N, D]
    tgt = emb[:, t - 1].flatten(2).transpose(1, 2)                   # [B, M, D]
    a = torch.softmax(torch.bmm(tgt, refs.transpose(1, 2)), dim=-1)  # [B, M, N]
    c = F.one_hot(bins[:, :t - 1].reshape(b, -1), k).float()          # [B, N, K]
    y = torch.bmm(a, c)                                              # [B, M, K]
    return F.nll_loss(y.clamp_min(1e-8).log().reshape(-1, k), bins[:, t - 1].reshape(-1))


def lab_loss(emb, cell_lab):
    """The regression objective (Training/ReconstructionObjective.cs): Huber(beta 0.1) of the copied colours."""
    b, t, d = emb.shape[:3]
    c = cell_lab.shape[2]
    refs = emb[:, :t - 1].permute(0, 1, 3, 4, 2).reshape(b, -1, d)
    tgt = emb[:, t - 1].flatten(2).transpose(1, 2)
    a = torch.softmax(torch.bmm(tgt, refs.transpose(1, 2)), dim=-1)
    y = torch.bmm(a, cell_lab[:, :t - 1].permute(0, 1, 3, 4, 2).reshape(b, -1, c))
    return F.smooth_l1_loss(y, cell_lab[:, t - 1].flatten(2).transpose(1, 2), beta=0.1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--bins", type=int, default=16)
    p.add_argument("--preset", choices=["paper", "small-lab4"], default="paper")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = ColorizationModel(a.preset)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lab = a.preset == "small-lab4"
    size = 128 if lab and a.size == 256 else a.size
    stride = 4 if lab else 8
    gray = torch.rand(a.batch, 4, 3 if lab else 1, size, size) * 2 - 1
    bins = torch.randint(0, a.bins, (a.batch, 4, size // stride, size // stride))
    cell_lab = torch.rand(a.batch, 4, 3, size // stride, size // stride) * 2 - 1
    times, cpu = [], []
    for i in range(a.warmup + a.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        emb = model(gray)
        loss = lab_loss(emb, cell_lab) if lab else colorization_loss(emb, bins, a.bins)
        opt.zero_grad()
        loss.backward()
        opt.step()
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        if i >= a.warmup:
            times.append(dt)
            cpu.append(dc)
    med = statistics.median(times)
    print(json.dumps({"torch": torch.__version__, "preset": a.preset, "threads": torch.get_num_threads(), "batch": a.batch, "size": size,
                      "seconds_per_step": times, "median_seconds": med, "clips_per_second": a.batch / med,
                      "cpu_seconds_per_step": cpu, "median_cpu_seconds": statistics.median(cpu),
                      "loss": float(loss)}))


if __name__ == "__main__":
    main()
