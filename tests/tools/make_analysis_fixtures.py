#!/usr/bin/python3
"""Attention rollout and DINO masks of the tiny ViT fixture's reference attentions, computed with
NumPy as vit-explain and the DINO scripts do (authoring time only; python3-numpy)."""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
att = np.array(json.load(open(os.path.join(HERE, "..", "fixtures", "models", "vit", "expected.json")))["attentions"])  # L,H,n,n
L, H, n, _ = att.shape

def rollout(fusion, discard):
    result = np.eye(n)
    for l in range(L):
        fused = {"mean": att[l].mean(0), "max": att[l].max(0), "min": att[l].min(0)}[fusion].copy()
        flat = fused.reshape(-1)
        drop = int(n * n * discard)
        idx = np.argsort(flat, kind="stable")[:drop]
        idx = idx[idx % n != 0]  # never the [CLS] column
        flat[idx] = 0
        a = (fused + np.eye(n)) / 2
        a = a / a.sum(-1, keepdims=True)
        result = a @ result
    return result

def dino(layer, head, keep):
    cls = att[layer, head, 0, 1:]
    order = np.argsort(-cls, kind="stable")
    mask = np.zeros(n - 1, dtype=int)
    mass = 0.0
    for k in order:
        if mass >= keep * cls.sum():
            break
        mask[k] = 1
        mass += cls[k]
    return mask

out = {"rollout": {}, "dino": {}}
for fusion in ("mean", "max", "min"):
    for discard in (0.0, 0.5, 0.9):
        out["rollout"]["%s-%g" % (fusion, discard)] = rollout(fusion, discard).tolist()
for layer, head, keep in ((1, 0, 0.6), (1, 3, 0.9), (0, 2, 0.3)):
    out["dino"]["%d-%d-%g" % (layer, head, keep)] = dino(layer, head, keep).tolist()
with open(os.path.join(HERE, "..", "fixtures", "analyses", "vit-rollout.json"), "w") as f:
    json.dump(out, f)
print("wrote vit-rollout.json")
