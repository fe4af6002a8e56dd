#!/usr/bin/python3
"""Writes a bert-base-uncased-shaped checkpoint (random F32 weights, 440 MB) for the peak-RSS check.
Needs python3-numpy. Usage: make_bert_base_checkpoint.py OUT_DIR"""
import json
import os
import struct
import sys

import numpy as np

H, L, I, V, P = 768, 12, 3072, 30522, 512

def tensors():
    yield "bert.embeddings.word_embeddings.weight", (V, H)
    yield "bert.embeddings.position_embeddings.weight", (P, H)
    yield "bert.embeddings.token_type_embeddings.weight", (2, H)
    yield "bert.embeddings.LayerNorm.gamma", (H,)
    yield "bert.embeddings.LayerNorm.beta", (H,)
    for l in range(L):
        p = "bert.encoder.layer.%d." % l
        for m in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"):
            yield p + m + ".weight", (H, H)
            yield p + m + ".bias", (H,)
        yield p + "attention.output.LayerNorm.gamma", (H,)
        yield p + "attention.output.LayerNorm.beta", (H,)
        yield p + "intermediate.dense.weight", (I, H)
        yield p + "intermediate.dense.bias", (I,)
        yield p + "output.dense.weight", (H, I)
        yield p + "output.dense.bias", (H,)
        yield p + "output.LayerNorm.gamma", (H,)
        yield p + "output.LayerNorm.beta", (H,)

def main(out):
    os.makedirs(out, exist_ok=True)
    header, offset = {}, 0
    for name, shape in tensors():
        size = int(np.prod(shape)) * 4
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    rng = np.random.default_rng(0)
    with open(os.path.join(out, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for name, shape in tensors():
            f.write((rng.standard_normal(shape, dtype=np.float32) * 0.02).tobytes())
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump({"model_type": "bert", "hidden_size": H, "num_hidden_layers": L, "num_attention_heads": 12,
                   "intermediate_size": I, "vocab_size": V, "max_position_embeddings": P, "type_vocab_size": 2,
                   "_name_or_path": "random bert-base"}, f)
    with open(os.path.join(out, "vocab.txt"), "w") as f:
        f.write("\n".join(["[PAD]"] + ["[unused%d]" % i for i in range(99)] + ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
                          + ["w%d" % i for i in range(V - 104)]) + "\n")

if __name__ == "__main__":
    main(sys.argv[1])
