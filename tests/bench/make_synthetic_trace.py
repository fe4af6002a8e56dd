#!/usr/bin/env python3
"""A q/k trace of random numbers with a real model's shapes, to measure opening traces.

make_synthetic_trace.py OUT --layers L --heads H --kv-heads G --head-dim D --tokens N [--dtype bf16|f16|f32]
[--held 0-1] (which of the L layers the file holds). Written with tools/attnscope_export.py's writer;
needs numpy. Rows are random but well scaled (q, k ~ N(0, 1)), so every head's softmax is a real one.
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import attnscope_export as ax  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--layers", type=int, required=True)
    p.add_argument("--heads", type=int, required=True)
    p.add_argument("--kv-heads", type=int, required=True)
    p.add_argument("--head-dim", type=int, required=True)
    p.add_argument("--tokens", type=int, required=True)
    p.add_argument("--dtype", default="bf16", choices=["bf16", "f16", "f32"])
    p.add_argument("--held", default="all")
    a = p.parse_args()
    held = ax.parse_layers(a.held, a.layers)
    rng = np.random.default_rng(1)

    def stored(x):
        x = x.astype(np.float32)
        if a.dtype == "f32":
            return x.tobytes()
        if a.dtype == "f16":
            return x.astype(np.float16).tobytes()
        return (x.view(np.uint32) >> 16).astype(np.uint16).tobytes()  # bf16, truncated

    tensors = []
    for l in held:
        for name, count in (("q", a.heads), ("k", a.kv_heads)):
            tensors.append((f"{name}.{l}", ax.DTYPES[a.dtype], (count, a.tokens, a.head_dim),
                            stored(rng.standard_normal((count, a.tokens, a.head_dim), dtype=np.float32))))
    meta = {"format": "attnscope-trace", "version": "1", "model": "synthetic", "model_type": "llama", "text": "",
            "tokens": json.dumps([f"t{i}" for i in range(a.tokens)]), "num_layers": str(a.layers),
            "num_heads": str(a.heads), "num_kv_heads": str(a.kv_heads), "head_dim": str(a.head_dim), "causal": "true",
            "layers": json.dumps(held)}
    ax.write_trace_file(a.out, tensors, meta)


if __name__ == "__main__":
    main()
