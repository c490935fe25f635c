#!/usr/bin/env python3
"""Reference noise from PyTorch's CPU generator (x86 with AVX2), written as a JSON fixture for the engine's tests.

Needs python3-torch (Debian's package is enough):

    /usr/bin/python3 tools/reference-fixtures/torch_noise.py > Tests/GpuWorker.Tests/Diffusion/Noise/Fixtures/cpu.json

Values are float32 bit patterns; long draws are given as the SHA-256 of their little-endian float32 bytes.
"""
import hashlib
import json
import math

import numpy as np
import torch


def bits(tensor):
    return tensor.contiguous().view(torch.int32).flatten().numpy().astype(np.uint32).tolist()


def digest(tensor):
    return hashlib.sha256(tensor.contiguous().numpy().astype("<f4").tobytes()).hexdigest()


def randn(seed, shape):
    torch.manual_seed(seed)
    return torch.randn(shape)


# 1. torch.randn of n values: full blocks, a redrawn tail, the scalar path, 64-bit seeds
draws = []
for seed in [0, 1, 42, 123456789, 4294967295, 2**32 + 7]:
    for n in [5, 16, 24, 100, 1000]:
        draws.append({"seed": seed, "count": n, "values": bits(randn(seed, (n,)))})
long_draws = [{"seed": seed, "shape": list(shape), "sha256": digest(randn(seed, shape))}
              for seed, shape in [(42, (4, 64, 64)), (7, (16, 16, 16)), (1234, (4, 96, 72))]]

# 2. initial latents: ComfyUI's prepare_noise (one draw of the batch) and A1111's CPU source (one draw per image, seed + i)
comfy = [{"seed": 99, "shape": [3, 4, 8, 8], "sha256": digest(randn(99, (3, 4, 8, 8)))},
         {"seed": 99, "shape": [2, 16, 8, 8], "sha256": digest(randn(99, (2, 16, 8, 8)))}]
a1111 = {"seed": 99, "shape": [3, 4, 8, 8],
         "sha256": digest(torch.stack([randn(99 + i, (4, 8, 8)) for i in range(3)]))}


# 3. A1111's variation seed: slerp over dim 1 of each [C, H, W] noise, weight `strength` on the subseed's noise
def slerp(val, low, high):
    low_norm = low / torch.norm(low, dim=1, keepdim=True)
    high_norm = high / torch.norm(high, dim=1, keepdim=True)
    dot = (low_norm * high_norm).sum(1)
    if dot.mean() > 0.9995:
        return low * val + high * (1 - val)
    omega = torch.acos(dot)
    so = torch.sin(omega)
    return (torch.sin((1.0 - val) * omega) / so).unsqueeze(1) * low + (torch.sin(val * omega) / so).unsqueeze(1) * high


shape = (4, 8, 6)
subnoise = randn(2, shape)
noise = randn(1, shape)
variation = {"seed": 1, "subseed": 2, "strength": 0.3, "shape": list(shape), "values": bits(slerp(0.3, noise, subnoise))}


# 4. A1111's seed resize: noise of the old latent size pasted centred into the new (cropped where larger)
def resized(seed, shape, old):
    noise = randn(seed, old)
    x = randn(seed, shape)
    dx = (shape[2] - old[2]) // 2
    dy = (shape[1] - old[1]) // 2
    w = old[2] if dx >= 0 else old[2] + 2 * dx
    h = old[1] if dy >= 0 else old[1] + 2 * dy
    tx, ty = max(dx, 0), max(dy, 0)
    dx, dy = max(-dx, 0), max(-dy, 0)
    x[:, ty:ty + h, tx:tx + w] = noise[:, dy:dy + h, dx:dx + w]
    return x


resize = {"seed": 5, "shape": [4, 8, 12], "from_width": 64, "from_height": 88,
          "values": bits(resized(5, (4, 8, 12), (4, 11, 8)))}

print(json.dumps({"torch": torch.__version__, "draws": draws, "long_draws": long_draws, "comfyui": comfy, "a1111": a1111,
                  "variation": variation, "resize": resize}))
