#!/usr/bin/python3
"""PIL's own resize of a small random image (what Hugging Face image processors feed a ViT), for the
preprocessing test. Authoring time only; needs Debian's python3-pil and python3-numpy."""
import json
import os

import numpy as np
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "images")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(5)
src = rng.integers(0, 256, size=(29, 47, 3), dtype=np.uint8)  # H, W, C
cases = {}
for name, resample, size in [("bilinear-down", 2, (16, 12)), ("bicubic-down", 3, (20, 11)), ("bilinear-up", 2, (64, 40)),
                             ("bicubic-up", 3, (60, 70)), ("lanczos-down", 1, (10, 9)), ("nearest-down", 0, (13, 7)),
                             ("hamming-down", 5, (16, 12)), ("hamming-up", 5, (60, 41)), ("box-down", 4, (17, 13)),
                             ("box-up", 4, (50, 64))] + [
                             # Nearest at sizes where PIL's accumulated sample position rounds
                             # differently from (x + 0.5) * scale.
                             ("nearest-%dx%d" % s, 0, s) for s in [(3, 3), (5, 7), (6, 9), (11, 17), (19, 23), (31, 29),
                                                                   (33, 37), (41, 53), (61, 3), (94, 58), (141, 87),
                                                                   (47, 29), (46, 28), (48, 30), (13, 100), (200, 11)]]:
    out = np.asarray(Image.fromarray(src).resize(size, resample=resample))
    cases[name] = {"resample": resample, "width": size[0], "height": size[1], "pixels": out.transpose(2, 0, 1).tolist()}
with open(os.path.join(OUT, "pil-resize.json"), "w") as f:
    json.dump({"source": src.transpose(2, 0, 1).tolist(), "cases": cases}, f)
print("wrote", os.path.normpath(OUT))
