#!/usr/bin/env python3
"""Reference values of AUTOMATIC1111's "NV" noise source, written independently in plain Python (no numpy).

Philox 4x32-10 with counter (call, 0, i, 0) and key (seed low, seed high); the first two output words go through the
first Box-Muller value in double precision and are rounded to float32. Prints a JSON fixture of float32 bit patterns:

    python3 tools/reference-fixtures/nv_philox.py > Tests/GpuWorker.Tests/Diffusion/Noise/Fixtures/nv.json
"""
import json
import math
import struct

M0, M1 = 0xD2511F53, 0xCD9E8D57
W0, W1 = 0x9E3779B9, 0xBB67AE85
MASK = 0xFFFFFFFF


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def bits(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def philox(counter0, counter2, seed):
    c = [counter0, 0, counter2, 0]
    k0, k1 = seed & MASK, (seed >> 32) & MASK
    for round_index in range(10):
        if round_index:
            k0, k1 = (k0 + W0) & MASK, (k1 + W1) & MASK
        p0, p1 = c[0] * M0, c[2] * M1
        c = [((p1 >> 32) ^ c[1] ^ k0) & MASK, p1 & MASK, ((p0 >> 32) ^ c[3] ^ k1) & MASK, p0 & MASK]
    return c[0], c[1]


STEP = f32(2.3283064e-10)
STEP_2PI = f32(2.3283064e-10 * 6.2831855)


def normal(x, y):
    u = x * STEP + STEP / 2
    v = y * STEP_2PI + STEP_2PI / 2
    return f32(math.sqrt(-2.0 * math.log(u)) * math.sin(v))


def draws(seed, calls, count):
    return [[bits(normal(*philox(call, i, seed))) for i in range(count)] for call in range(calls)]


cases = [{"seed": seed, "count": count, "calls": draws(seed, 2, count)}
         for seed, count in [(0, 16), (42, 64), (3_000_000_000, 64), (2**40 + 5, 32)]]
print(json.dumps({"source": "nv", "float32_bits": True, "cases": cases}))
