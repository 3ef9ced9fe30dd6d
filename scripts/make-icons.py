#!/usr/bin/python3
"""Draws Betti's application icon and writes the PNG set electron-builder and the window use.

    /usr/bin/python3 scripts/make-icons.py      # writes resources/icons/NxN.png

The picture is a persistence landscape: three tents (one per peak of a signal, as the PCNN's
landscape layer draws them) over a dark rounded square. It is drawn at 1024 px with 4x
supersampling and box-filtered down to each size, using only numpy and zlib (Debian's
python3-numpy), so anyone can regenerate the icons without an image editor. The icons are
Betti's own work, under the project's licence.
"""
import os
import struct
import zlib

import numpy as np

SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'resources', 'icons')
BASE = 1024
SS = 4  # supersampling factor


def rounded_square(u, v, radius):
    """Coverage (0/1) of a square [0,1]² with rounded corners, in unit coordinates."""
    cx = np.clip(u, radius, 1 - radius)
    cy = np.clip(v, radius, 1 - radius)
    return ((u - cx) ** 2 + (v - cy) ** 2 <= radius ** 2) & (u >= 0) & (u <= 1) & (v >= 0) & (v <= 1)


def tent(u, v, birth, death, base, lift=1.6):
    """Inside the tent t -> max(0, min(t - death, birth - t)) over the baseline `base`, `lift` times taller."""
    centre = (birth + death) / 2
    half = (birth - death) / 2
    height = lift * np.maximum(0.0, half - np.abs(u - centre))
    return (v <= base) & (v >= base - height)


def draw(size):
    n = size * SS
    t = (np.arange(n) + 0.5) / n
    u, v = np.meshgrid(t, t)  # u: left→right, v: top→bottom
    inset = 0.06
    uu = (u - inset) / (1 - 2 * inset)
    vv = (v - inset) / (1 - 2 * inset)
    body = rounded_square(uu, vv, 0.2)

    # Background: a vertical indigo → teal gradient.
    top = np.array([0.16, 0.15, 0.38])
    bottom = np.array([0.05, 0.42, 0.47])
    rgb = top[None, None, :] * (1 - v[..., None]) + bottom[None, None, :] * v[..., None]
    alpha = body.astype(np.float64)

    # Foreground: three landscape tents over a baseline, each lighter than the one behind it.
    base = 0.76
    tents = [(0.78, 0.30, (0.98, 0.72, 0.35)), (0.62, 0.22, (0.99, 0.86, 0.55)), (0.86, 0.60, (1.0, 0.96, 0.86))]
    for birth, death, colour in tents:
        # Tents in the icon's own unit square, scaled to sit inside the body.
        mask = tent(uu, vv, birth, death, base) & body
        rgb[mask] = np.array(colour)
    baseline = (np.abs(vv - base - 0.012) < 0.012) & (uu > 0.14) & (uu < 0.86) & body
    rgb[baseline] = np.array([1.0, 0.96, 0.86])

    rgba = np.concatenate([rgb, alpha[..., None]], axis=2)
    # Premultiply, box-filter the supersamples, un-premultiply.
    rgba[..., :3] *= rgba[..., 3:4]
    rgba = rgba.reshape(size, SS, size, SS, 4).mean(axis=(1, 3))
    a = rgba[..., 3:4]
    rgba[..., :3] = np.where(a > 0, rgba[..., :3] / np.maximum(a, 1e-9), 0)
    return np.clip(np.round(rgba * 255), 0, 255).astype(np.uint8)


def png(pixels):
    h, w, _ = pixels.shape
    raw = b''.join(b'\x00' + pixels[y].tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF)

    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 6, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')


def main():
    os.makedirs(OUT, exist_ok=True)
    for size in SIZES:
        path = os.path.join(OUT, f'{size}x{size}.png')
        with open(path, 'wb') as f:
            f.write(png(draw(size)))
        print(path)


if __name__ == '__main__':
    main()
