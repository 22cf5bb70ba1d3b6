#!/usr/bin/env python3
"""Generate the synthetic "photos" of the zhiban test corpus.

Every image is drawn from scratch with Pillow: gradients and simple shapes, no
randomness, no input files. The output is deterministic for a given Pillow and
libjpeg version. Run from anywhere:

    python3 tests/corpus/photos/make_photos.py

The images are released into the public domain (CC0 1.0).
"""
import hashlib
import os

from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
QUALITY = 80
MAX_BYTES = 80 * 1024


def lerp(a, b, t):
    return tuple(int(round(a[i] + (b[i] - a[i]) * t)) for i in range(3))


def vertical_gradient(w, h, top, bottom):
    im = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(im)
    for y in range(h):
        d.line([(0, y), (w, y)], fill=lerp(top, bottom, y / max(1, h - 1)))
    return im


def horizontal_gradient(w, h, left, right):
    im = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(im)
    for x in range(w):
        d.line([(x, 0), (x, h)], fill=lerp(left, right, x / max(1, w - 1)))
    return im


def p01():  # 3:2 landscape
    im = vertical_gradient(1200, 800, (30, 70, 160), (150, 200, 240))
    d = ImageDraw.Draw(im)
    d.ellipse([450, 200, 850, 600], fill=(240, 140, 40))
    return im


def p02():  # 3:2 fields and sun
    im = vertical_gradient(1200, 800, (170, 210, 240), (230, 240, 250))
    d = ImageDraw.Draw(im)
    d.ellipse([900, 80, 1060, 240], fill=(250, 220, 90))
    colours = [(120, 170, 60), (160, 190, 70), (200, 200, 90), (100, 150, 50), (140, 180, 60)]
    for i, c in enumerate(colours):
        y0 = 420 + i * 76
        d.polygon([(0, y0), (1200, y0 - 40), (1200, y0 + 60), (0, y0 + 100)], fill=c)
    return im


def p03():  # 4:3 building facade
    im = vertical_gradient(1200, 900, (200, 200, 205), (120, 120, 130))
    d = ImageDraw.Draw(im)
    d.rectangle([250, 150, 950, 900], fill=(225, 215, 200))
    for r in range(6):
        for c in range(5):
            x0 = 290 + c * 130
            y0 = 190 + r * 115
            d.rectangle([x0, y0, x0 + 90, y0 + 75], fill=(190, 40, 40))
    return im


def p04():  # 2:3 portrait tower
    im = vertical_gradient(800, 1200, (90, 40, 130), (230, 180, 220))
    d = ImageDraw.Draw(im)
    d.rectangle([320, 200, 480, 1200], fill=(245, 245, 240))
    d.polygon([(320, 200), (400, 80), (480, 200)], fill=(245, 245, 240))
    for y in range(260, 1150, 90):
        d.rectangle([350, y, 450, y + 40], fill=(120, 130, 150))
    return im


def p05():  # square rings
    im = Image.new("RGB", (1200, 1200), (235, 245, 245))
    d = ImageDraw.Draw(im)
    for i in range(10):
        r = 560 - i * 55
        c = lerp((0, 110, 120), (170, 230, 225), i / 9)
        d.ellipse([600 - r, 600 - r, 600 + r, 600 + r], fill=c)
    return im


def p06():  # 3:2 sunset and mountains
    im = vertical_gradient(1200, 800, (250, 150, 60), (240, 110, 150))
    d = ImageDraw.Draw(im)
    d.ellipse([520, 380, 680, 540], fill=(255, 230, 150))
    d.polygon([(0, 800), (0, 520), (260, 330), (520, 560), (760, 360), (1200, 600), (1200, 800)],
              fill=(60, 40, 70))
    d.polygon([(0, 800), (0, 650), (400, 520), (800, 680), (1200, 560), (1200, 800)],
              fill=(35, 25, 45))
    return im


def p07():  # 4:3 night lights
    im = vertical_gradient(1200, 900, (10, 15, 50), (30, 45, 100))
    d = ImageDraw.Draw(im)
    for r in range(7):
        for c in range(12):
            x = 60 + c * 98 + (r % 2) * 45
            y = 420 + r * 65
            s = 10 + (r * 3 + c * 7) % 14
            d.ellipse([x - s, y - s, x + s, y + s], fill=(250, 210, 80))
    return im


def p08():  # 2:3 portrait tree
    im = vertical_gradient(800, 1200, (200, 230, 200), (60, 140, 70))
    d = ImageDraw.Draw(im)
    d.rectangle([360, 650, 440, 1200], fill=(110, 75, 40))
    d.ellipse([150, 200, 650, 760], fill=(40, 120, 50))
    d.ellipse([230, 120, 570, 460], fill=(70, 150, 70))
    return im


def p09():  # 3:2 river
    im = vertical_gradient(1200, 800, (180, 215, 240), (240, 245, 250))
    d = ImageDraw.Draw(im)
    d.rectangle([0, 380, 1200, 800], fill=(110, 160, 90))
    d.polygon([(0, 800), (300, 380), (520, 380), (900, 800)], fill=(60, 120, 190))
    d.rectangle([0, 360, 1200, 384], fill=(90, 110, 120))
    return im


def p10():  # square triangles mosaic
    im = Image.new("RGB", (1200, 1200), (250, 250, 250))
    d = ImageDraw.Draw(im)
    palette = [(220, 60, 60), (240, 180, 40), (40, 130, 200), (60, 170, 110)]
    n = 6
    s = 1200 // n
    for r in range(n):
        for c in range(n):
            x0, y0 = c * s, r * s
            a = palette[(r + c) % 4]
            b = palette[(r * 2 + c + 1) % 4]
            d.polygon([(x0, y0), (x0 + s, y0), (x0, y0 + s)], fill=a)
            d.polygon([(x0 + s, y0), (x0 + s, y0 + s), (x0, y0 + s)], fill=b)
    return im


def p11():  # 3:4 portrait, blue ellipse on warm grey
    im = horizontal_gradient(900, 1200, (215, 205, 190), (170, 160, 150))
    d = ImageDraw.Draw(im)
    d.ellipse([200, 250, 700, 950], fill=(50, 90, 170))
    d.ellipse([360, 420, 540, 600], fill=(245, 245, 245))
    return im


def p12():  # 2:1 panorama, bar chart
    im = horizontal_gradient(1200, 600, (245, 240, 225), (225, 235, 245))
    d = ImageDraw.Draw(im)
    heights = [180, 240, 300, 270, 360, 420, 390, 470]
    for i, hh in enumerate(heights):
        x0 = 110 + i * 130
        d.rectangle([x0, 540 - hh, x0 + 80, 540], fill=(200, 60, 50) if i == 7 else (70, 110, 160))
    d.line([(80, 540), (1140, 540)], fill=(60, 60, 60), width=4)
    return im


PHOTOS = [
    ("p01_orange_circle.jpg", p01),
    ("p02_fields.jpg", p02),
    ("p03_facade.jpg", p03),
    ("p04_tower.jpg", p04),
    ("p05_rings.jpg", p05),
    ("p06_sunset.jpg", p06),
    ("p07_lights.jpg", p07),
    ("p08_tree.jpg", p08),
    ("p09_river.jpg", p09),
    ("p10_mosaic.jpg", p10),
    ("p11_ellipse.jpg", p11),
    ("p12_bars.jpg", p12),
]


def main():
    for name, fn in PHOTOS:
        path = os.path.join(HERE, name)
        fn().save(path, "JPEG", quality=QUALITY, optimize=False, progressive=False)
        size = os.path.getsize(path)
        assert size <= MAX_BYTES, f"{name}: {size} bytes"
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        w, h = Image.open(path).size
        print(f"| `{name}` | {w}×{h} | {size} | `{digest}` |")


if __name__ == "__main__":
    main()
