#!/usr/bin/env python3
"""Forger's latent vectors, reproduced outside the service (pure Python 3, no packages).

Vector i of a seed depends only on (seed, i): the k-th 64-bit draw is SplitMix64's
mix64(seed + (k + 1) * 0x9E3779B97F4A7C15); a unit double is its top 53 bits times 2**-53.
Uniform [low, high] latents take low + (high - low) * u(i * dim + j) for component j; normal
(mean, std) latents take Box-Muller on draws 2(i * dim + j) and 2(i * dim + j) + 1. Values are
computed in double and rounded to float32, as the service does.

  python3 latents.py --seed 7 --index 12 --dim 100 --uniform -1 1        # one vector, one value a line
  python3 latents.py --seed 7 --index 0 --count 4 --dim 100 --out z.f32  # raw little-endian float32
"""
import argparse
import math
import struct
import sys

MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15


def mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def unit(seed, k):
    return (mix64((seed + (k + 1) * GAMMA) & MASK) >> 11) * 2.0 ** -53


def vector(seed, i, dim, uniform=None, normal=None):
    """Vector i of the seed as float32 values (Python floats holding them exactly)."""
    out = []
    for j in range(dim):
        k = i * dim + j
        if uniform is not None:
            low, high = uniform
            value = low + (high - low) * unit(seed, k)
        else:
            mean, std = normal
            u1, u2 = unit(seed, 2 * k), unit(seed, 2 * k + 1)
            value = mean + std * math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)
        out.append(struct.unpack('<f', struct.pack('<f', value))[0])
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--seed', type=int, required=True)
    p.add_argument('--index', type=int, default=0, help='first vector (the offset)')
    p.add_argument('--count', type=int, default=1)
    p.add_argument('--dim', type=int, required=True, help="the manifest's latent.dim")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument('--uniform', type=float, nargs=2, metavar=('LOW', 'HIGH'))
    g.add_argument('--normal', type=float, nargs=2, metavar=('MEAN', 'STD'))
    p.add_argument('--out', help='write little-endian float32 [count, dim] here instead of text')
    a = p.parse_args()
    seed = a.seed & MASK  # a Java long, two's complement
    rows = [vector(seed, a.index + n, a.dim, a.uniform, a.normal) for n in range(a.count)]
    if a.out:
        with open(a.out, 'wb') as f:
            for row in rows:
                f.write(struct.pack('<%df' % a.dim, *row))
    else:
        for row in rows:
            sys.stdout.write('\n'.join(repr(v) for v in row) + '\n')


if __name__ == '__main__':
    main()
