#!/usr/bin/python3
"""Value-weighted norms, head ablation and the logit lens of the tiny BERT and GPT-2 fixtures,
computed by an independent PyTorch (float64) forward pass written from the papers:
  norms[l][h][i][j] = || a_ij (x_j W_V + b_V)|_h W_O|_h ||          (Kobayashi et al. 2020)
  ablation: head h's context zeroed before the output projection    (Michel et al. 2019)
  logit lens: hidden state l through the final norm and the LM head (nostalgebraist 2020)
Reads the committed checkpoints (tests/fixtures/models/{bert,gpt2}); writes
tests/fixtures/analyses/text-analyses.json. Authoring time only (Debian's python3-torch).
Run:  /usr/bin/python3 tests/tools/make_text_analysis_fixtures.py
"""
import json
import math
import os
import struct

import numpy as np
import torch

from make_model_fixtures import gelu, gelu_new, ln  # the same float64 building blocks

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "..", "fixtures", "models")
ABLATE = [(0, 1), (1, 2)]
TOP = 3


def load(folder):
    blob = open(os.path.join(MODELS, folder, "model.safetensors"), "rb").read()
    n = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        assert info["dtype"] == "F32"
        data = np.frombuffer(blob[8 + n + a:8 + n + b], dtype="<f4").reshape(info["shape"])
        out[name] = torch.tensor(data.astype(np.float64))
    return out


def heads_attention(q, k, v, heads, causal, layer, ablate):
    """-> probs (h, n, n), context (n, H) with ablated heads' columns zeroed, v per head (h, n, d)."""
    n, H = q.shape
    d = H // heads
    qh, kh, vh = (t.reshape(n, heads, d).transpose(0, 1) for t in (q, k, v))
    s = qh @ kh.transpose(1, 2) / math.sqrt(d)
    if causal:
        s = s.masked_fill(torch.triu(torch.ones(n, n, dtype=torch.bool), 1), float("-inf"))
    p = torch.softmax(s, -1)
    ctx = p @ vh  # (h, n, d)
    for (l, h) in ablate:
        if l == layer:
            ctx[h] = 0
    return p, ctx.transpose(0, 1).reshape(n, H), vh


def norms_of(p, vh, w_o_rows):
    """w_o_rows(h) -> (d, H) the head's rows of W_O in x W_O form. -> (h, n, n)."""
    out = []
    for h in range(p.shape[0]):
        f = vh[h] @ w_o_rows(h)              # (n, H)
        out.append(p[h] * f.norm(dim=-1)[None, :])
    return torch.stack(out)


def bert(T, ids, ablate):
    pre, eps, heads, L = "bert.", 1e-12, 4, 2
    x = T[pre + "embeddings.word_embeddings.weight"][ids] + T[pre + "embeddings.position_embeddings.weight"][:len(ids)] \
        + T[pre + "embeddings.token_type_embeddings.weight"][0]
    x = ln(x, T[pre + "embeddings.LayerNorm.weight"], T[pre + "embeddings.LayerNorm.bias"], eps)
    hidden, atts, norms = [x], [], []
    for l in range(L):
        p_ = pre + "encoder.layer.%d." % l
        lin = lambda name, t: t @ T[p_ + name + ".weight"].T + T[p_ + name + ".bias"]
        q, k, v = (lin("attention.self." + m, x) for m in ("query", "key", "value"))
        p, ctx, vh = heads_attention(q, k, v, heads, False, l, ablate)
        W_o = T[p_ + "attention.output.dense.weight"]  # (out, in)
        d = W_o.shape[1] // heads
        norms.append(norms_of(p, vh, lambda h: W_o[:, h * d:(h + 1) * d].T))
        x = ln(x + lin("attention.output.dense", ctx), T[p_ + "attention.output.LayerNorm.weight"],
               T[p_ + "attention.output.LayerNorm.bias"], eps)
        f = lin("output.dense", gelu(lin("intermediate.dense", x)))
        x = ln(x + f, T[p_ + "output.LayerNorm.weight"], T[p_ + "output.LayerNorm.bias"], eps)
        hidden.append(x)
        atts.append(p)

    def head(h):
        t = gelu(h @ T["cls.predictions.transform.dense.weight"].T + T["cls.predictions.transform.dense.bias"])
        t = ln(t, T["cls.predictions.transform.LayerNorm.weight"], T["cls.predictions.transform.LayerNorm.bias"], eps)
        dec = T.get("cls.predictions.decoder.weight", T[pre + "embeddings.word_embeddings.weight"])
        return t @ dec.T + T["cls.predictions.bias"]
    return hidden, atts, norms, [head(h) for h in hidden]


def gpt2(T, ids, ablate):
    eps, heads, L = 1e-5, 4, 2
    x = T["wte.weight"][ids] + T["wpe.weight"][:len(ids)]
    H = x.shape[1]
    d = H // heads
    hidden, atts, norms = [x], [], []
    for l in range(L):
        p_ = "h.%d." % l
        a = ln(x, T[p_ + "ln_1.weight"], T[p_ + "ln_1.bias"], eps)
        qkv = a @ T[p_ + "attn.c_attn.weight"] + T[p_ + "attn.c_attn.bias"]
        p, ctx, vh = heads_attention(qkv[:, :H], qkv[:, H:2 * H], qkv[:, 2 * H:], heads, True, l, ablate)
        W_o = T[p_ + "attn.c_proj.weight"]  # Conv1D (in, out)
        norms.append(norms_of(p, vh, lambda h: W_o[h * d:(h + 1) * d, :]))
        x = x + ctx @ W_o + T[p_ + "attn.c_proj.bias"]
        m = ln(x, T[p_ + "ln_2.weight"], T[p_ + "ln_2.bias"], eps)
        x = x + gelu_new(m @ T[p_ + "mlp.c_fc.weight"] + T[p_ + "mlp.c_fc.bias"]) @ T[p_ + "mlp.c_proj.weight"] \
            + T[p_ + "mlp.c_proj.bias"]
        hidden.append(x)
        atts.append(p)
    # The lens reads every residual stream through ln_f, as the model's own last step does.
    lens = [ln(h, T["ln_f.weight"], T["ln_f.bias"], eps) @ T["wte.weight"].T for h in hidden]
    return hidden, atts, norms, lens


def r(x):
    return [r(v) for v in x] if isinstance(x, list) else float("%.9g" % x)


def top(logits):
    p = torch.softmax(logits, -1)
    t = torch.topk(p, TOP, dim=-1)
    return [[[int(i), float("%.9g" % v)] for i, v in zip(ti.tolist(), tv.tolist())] for ti, tv in zip(t.indices, t.values)]


out = {"ablate": ABLATE, "top": TOP}
for name, run in (("bert", bert), ("gpt2", gpt2)):
    T = load(name)
    ids = json.load(open(os.path.join(MODELS, name, "expected.json")))["ids"]
    _, atts, norms, lens = run(T, ids, [])
    _, atts_off, _, lens_off = run(T, ids, ABLATE)
    out[name] = {
        "ids": ids,
        "norms": r([n.tolist() for n in norms]),
        "lens": [top(l) for l in lens],
        "ablated_attentions": r([a.tolist() for a in atts_off]),
        "ablated_final": top(lens_off[-1]),
    }
# The rotary decoders' lens, from their own independent reference's hidden states (committed in
# tests/fixtures/decoders/*/expected.json): RMSNorm (Gemma: 1 + w) before the last, the head
# (tied or not), Gemma 3's final soft-capping.
DECODERS = os.path.join(HERE, "..", "fixtures", "decoders")
for name in ("llama", "gemma3"):
    blob_dir = os.path.join(DECODERS, name)
    cfg = json.load(open(os.path.join(blob_dir, "config.json")))
    exp = json.load(open(os.path.join(blob_dir, "expected.json")))
    MODELS_SAVED = MODELS
    MODELS = DECODERS
    T = load(name)
    MODELS = MODELS_SAVED
    gemma = cfg["model_type"] == "gemma3_text"
    eps = cfg["rms_norm_eps"]
    head = T.get("lm_head.weight", T["model.embed_tokens.weight"])
    w = T["model.norm.weight"]
    lens = []
    hidden = exp["hidden_states"]
    for l, h in enumerate(hidden):
        h = torch.tensor(h)
        if l < len(hidden) - 1:  # the last hidden state is already after the final norm
            h = h / torch.sqrt((h * h).mean(-1, keepdim=True) + eps)
            h = h * (1.0 + w) if gemma else h * w
        logits = h @ head.T
        cap = cfg.get("final_logit_softcapping")
        if cap:
            logits = torch.tanh(logits / cap) * cap
        lens.append(top(logits))
    out[name] = {"ids": exp["ids"], "lens": lens}
with open(os.path.join(HERE, "..", "fixtures", "analyses", "text-analyses.json"), "w") as f:
    json.dump(out, f)
print("wrote text-analyses.json")
