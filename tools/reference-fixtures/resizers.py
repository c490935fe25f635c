#!/usr/bin/env python3
"""Reference resizes for the hires fix's upscalers, written as a JSON fixture for the engine's tests.

A1111's Latent upscalers call torch.nn.functional.interpolate on the latents (its shared.latent_upscale_modes); its
Lanczos and Nearest upscalers call Pillow's Image.resize on the 8-bit image. Needs python3-torch and python3-pil
(Debian's packages are enough):

    /usr/bin/python3 tools/reference-fixtures/resizers.py > Tests/GpuWorker.Tests/Diffusion/Imaging/Fixtures/resizers.json

Floats are float32 bit patterns; images are RGB bytes, row-major.
"""
import json

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

LATENT_MODES = [
    ("Latent", "bilinear", False),
    ("Latent (antialiased)", "bilinear", True),
    ("Latent (bicubic)", "bicubic", False),
    ("Latent (bicubic antialiased)", "bicubic", True),
    ("Latent (nearest)", "nearest", False),
    ("Latent (nearest-exact)", "nearest-exact", False),
]


def bits(tensor):
    return tensor.contiguous().view(torch.int32).flatten().numpy().astype(np.uint32).tolist()


torch.manual_seed(20)
latents = torch.randn((2, 4, 5, 7))
latent_cases = []
for name, mode, antialias in LATENT_MODES:
    for size in [(10, 14), (8, 11), (3, 4), (5, 7)]:
        kwargs = {} if mode.startswith("nearest") else {"align_corners": False, "antialias": antialias}
        out = F.interpolate(latents, size=size, mode=mode, **kwargs)
        latent_cases.append({"upscaler": name, "height": size[0], "width": size[1], "values": bits(out)})

rng = np.random.default_rng(20)
pixels = rng.integers(0, 256, size=(7, 9, 3), dtype=np.uint8)
image = Image.fromarray(pixels, "RGB")
pixel_cases = []
for name, resample in [("Lanczos", Image.LANCZOS), ("Nearest", Image.NEAREST)]:
    for width, height in [(18, 14), (13, 10), (27, 21), (5, 4)]:
        out = np.asarray(image.resize((width, height), resample=resample))
        pixel_cases.append({"upscaler": name, "width": width, "height": height, "rgb": out.flatten().tolist()})

json.dump({
    "torch": torch.__version__,
    "pillow": Image.__version__,
    "latents": {"shape": list(latents.shape), "values": bits(latents)},
    "latent_cases": latent_cases,
    "image": {"width": 9, "height": 7, "rgb": pixels.flatten().tolist()},
    "pixel_cases": pixel_cases,
}, __import__("sys").stdout, separators=(",", ":"))
