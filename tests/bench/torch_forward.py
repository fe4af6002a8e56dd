#!/usr/bin/python3
"""The same-shaped forward pass in PyTorch (Debian's python3-torch), for comparison.
Usage: torch_forward.py ARCH SEQ THREADS REPS  ->  one JSON line like attnscope-cli bench."""
import json
import statistics
import sys
import time

import torch

arch, seq, threads, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
H, L, heads, I = 768, 12, 12, 3072
# BERT: post-LN blocks with exact GELU; GPT-2: pre-LN with a causal mask; ViT: pre-LN, no mask.
gpt2 = arch == "gpt2"
pre_ln = arch in ("gpt2", "vit")
layers = torch.nn.ModuleList([torch.nn.TransformerEncoderLayer(H, heads, I, dropout=0.0, activation="gelu",
                                                               batch_first=True, norm_first=pre_ln) for _ in range(L)]).eval()
x = torch.randn(1, seq, H)
mask = torch.nn.Transformer.generate_square_subsequent_mask(seq) if gpt2 else None
times = []
with torch.inference_mode():
    for r in range(reps + 1):
        t0 = time.perf_counter()
        h = x
        for layer in layers:
            h = layer(h, src_mask=mask)
        if r:
            times.append((time.perf_counter() - t0) * 1e3)
flops = L * (2 * seq * (4 * H * H + 2 * H * I) + 4 * seq * seq * H)
med = statistics.median(times)
print(json.dumps({"model": "pytorch-" + arch, "seq": seq, "threads": threads, "ms_median": round(med, 3),
                  "ms_min": round(min(times), 3), "gflops": round(flops / med / 1e6, 1)}))
