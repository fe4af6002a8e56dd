#!/usr/bin/python3
"""Tiny random checkpoints of the rotary decoders (llama, mistral, qwen2, qwen3, gemma3_text) and
their reference outputs, computed in float64 by a NumPy implementation written from
../shared/docs/formats.md ("Decoders with rotary positions"), independently of AttnScope's C++.

Authoring time only (Debian's python3-numpy); the committed fixtures keep the tests self-contained.
Writes tests/fixtures/decoders/<name>/{config.json, model.safetensors, vocab.json, merges.txt,
expected.json}. The tokenizer files are the tiny GPT-2 fixture's (the tests feed the ids directly).
"""
import json
import math
import os
import shutil
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures", "decoders")
GPT2 = os.path.join(HERE, "..", "fixtures", "models", "gpt2")
VOCAB = 297


# --- storage -----------------------------------------------------------------------------------

def to_bf16_bits(a):
    u = np.asarray(a, dtype=np.float32).view(np.uint32).astype(np.uint64)
    u = (u + 0x7FFF + ((u >> 16) & 1)) >> 16  # round to nearest even
    return u.astype(np.uint16)


def stored(a, dtype):
    """The values the checkpoint really holds (float64), after rounding to its dtype."""
    a = np.asarray(a, dtype=np.float32)
    if dtype == "BF16":
        return (to_bf16_bits(a).astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    if dtype == "F16":
        return a.astype(np.float16).astype(np.float64)
    return a.astype(np.float64)


def write_safetensors(path, tensors, dtype):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        a = np.asarray(tensors[name], dtype=np.float32)
        if dtype == "BF16":
            raw = to_bf16_bits(a).tobytes()
        elif dtype == "F16":
            raw = a.astype("<f2").tobytes()
        else:
            raw = a.astype("<f4").tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


# --- the reference forward pass (float64) ------------------------------------------------------

def rms_norm(x, w, eps, gemma):
    y = x / np.sqrt((x * x).mean(-1, keepdims=True) + eps)
    return y * (1.0 + w) if gemma else y * w


def inverse_frequencies(theta, d, scaling):
    inv = 1.0 / theta ** (np.arange(0, d, 2) / d)
    if scaling is None:
        return inv
    if scaling["rope_type"] == "linear":
        return inv / scaling["factor"]
    # llama3: wavelength w = 2 pi / f; w > old/low -> f / factor; w < old/high -> f; else interpolate
    factor, low, high = scaling["factor"], scaling["low_freq_factor"], scaling["high_freq_factor"]
    old = scaling["original_max_position_embeddings"]
    out = []
    for f in inv:
        w = 2 * math.pi / f
        if w > old / low:
            out.append(f / factor)
        elif w < old / high:
            out.append(f)
        else:
            s = (old / w - low) / (high - low)
            out.append((1 - s) * f / factor + s * f)
    return np.array(out)


def rope(x, inv):  # x (n, heads, d), half-split convention
    n, _, d = x.shape
    angle = np.arange(n)[:, None] * inv[None, :]           # (n, d/2)
    cos = np.cos(np.concatenate([angle, angle], -1))[:, None, :]
    sin = np.sin(np.concatenate([angle, angle], -1))[:, None, :]
    rotated = np.concatenate([-x[..., d // 2:], x[..., : d // 2]], -1)
    return x * cos + rotated * sin


def act(x, name):
    if name == "silu":
        return x / (1.0 + np.exp(-x))
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def forward(cfg, w, ids):
    gemma = cfg["model_type"] == "gemma3_text"
    H, h, g = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    d = cfg.get("head_dim", H // h)
    eps = cfg["rms_norm_eps"]
    n, L = len(ids), cfg["num_hidden_layers"]
    scale = 1.0 / math.sqrt(cfg["query_pre_attn_scalar"] if gemma else d)
    act_name = cfg.get("hidden_activation", cfg.get("hidden_act", "silu"))
    x = w["model.embed_tokens.weight"][ids].copy()
    if gemma:
        x = x * math.sqrt(H)
    hidden, attentions, qs, ks, vs = [x.copy()], [], [], [], []
    for l in range(L):
        p = "model.layers.%d." % l
        local = layer_is_local(cfg, l)
        window = cfg.get("sliding_window") if local else None
        theta = cfg.get("rope_local_base_freq", 10000.0) if (gemma and local) else cfg["rope_theta"]
        scaling = None if (gemma and local) else cfg.get("rope_scaling")
        inv = inverse_frequencies(theta, d, scaling)
        a = rms_norm(x, w[p + "input_layernorm.weight"], eps, gemma)

        def proj(name, width):
            y = a @ w[p + "self_attn.%s.weight" % name].T
            b = w.get(p + "self_attn.%s.bias" % name)
            return (y + b if b is not None else y).reshape(n, width, d)

        q, k, v = proj("q_proj", h), proj("k_proj", g), proj("v_proj", g)
        if p + "self_attn.q_norm.weight" in w:
            q = rms_norm(q, w[p + "self_attn.q_norm.weight"], eps, gemma)
            k = rms_norm(k, w[p + "self_attn.k_norm.weight"], eps, gemma)
        q, k = rope(q, inv), rope(k, inv)
        probs = np.zeros((h, n, n))
        ctx = np.zeros((n, h, d))
        for j in range(h):
            kv = j // (h // g)
            s = (q[:, j, :] @ k[:, kv, :].T) * scale
            for i in range(n):
                for t in range(n):
                    if t > i or (window and t <= i - window):
                        s[i, t] = -np.inf
            e = np.exp(s - s.max(-1, keepdims=True))
            probs[j] = e / e.sum(-1, keepdims=True)
            ctx[:, j, :] = probs[j] @ v[:, kv, :]
        o = ctx.reshape(n, h * d) @ w[p + "self_attn.o_proj.weight"].T
        if p + "self_attn.o_proj.bias" in w:
            o = o + w[p + "self_attn.o_proj.bias"]
        if gemma:
            x = x + rms_norm(o, w[p + "post_attention_layernorm.weight"], eps, True)
            m_in = rms_norm(x, w[p + "pre_feedforward_layernorm.weight"], eps, True)
        else:
            x = x + o
            m_in = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps, False)
        m = (act(m_in @ w[p + "mlp.gate_proj.weight"].T, act_name) * (m_in @ w[p + "mlp.up_proj.weight"].T)) @ w[p + "mlp.down_proj.weight"].T
        if gemma:
            m = rms_norm(m, w[p + "post_feedforward_layernorm.weight"], eps, True)
        x = x + m
        attentions.append(probs)
        qs.append(q.transpose(1, 0, 2))
        ks.append(k.transpose(1, 0, 2))
        vs.append(v.transpose(1, 0, 2))
        if l + 1 < L:
            hidden.append(x.copy())
    final = rms_norm(x, w["model.norm.weight"], eps, gemma)
    hidden.append(final)
    head = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    logits = final[-1] @ head.T
    cap = cfg.get("final_logit_softcapping")
    if cap:
        logits = np.tanh(logits / cap) * cap
    e = np.exp(logits - logits.max())
    prob = e / e.sum()
    top = np.argsort(-prob, kind="stable")[:5]
    return {"attentions": attentions, "hidden_states": hidden, "q": qs, "k": ks, "v": vs,
            "top_ids": top.tolist(), "top_probs": prob[top].tolist(), "predict_position": n - 1}


def layer_is_local(cfg, l):
    t = cfg["model_type"]
    if t == "gemma3_text":
        if "layer_types" in cfg:
            return cfg["layer_types"][l] == "sliding_attention"
        return (l + 1) % cfg.get("sliding_window_pattern", 6) != 0
    if t.startswith("qwen"):
        return bool(cfg.get("use_sliding_window")) and l >= cfg.get("max_window_layers", 0)
    return cfg.get("sliding_window") is not None


# --- the variants ------------------------------------------------------------------------------

def weights(cfg, rng):
    gemma = cfg["model_type"] == "gemma3_text"
    H, h, g, I = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["intermediate_size"]
    d = cfg.get("head_dim", H // h)
    V = cfg["vocab_size"]
    r = lambda *shape, s=0.2: rng.normal(0, s, size=shape)
    norm = lambda n: (r(n, s=0.1) if gemma else 1.0 + r(n, s=0.1))
    w = {"model.embed_tokens.weight": r(V, H, s=0.5), "model.norm.weight": norm(H)}
    bias_qkv = cfg["model_type"] == "qwen2" or cfg.get("attention_bias", False)
    for l in range(cfg["num_hidden_layers"]):
        p = "model.layers.%d." % l
        w[p + "self_attn.q_proj.weight"] = r(h * d, H)
        w[p + "self_attn.k_proj.weight"] = r(g * d, H)
        w[p + "self_attn.v_proj.weight"] = r(g * d, H)
        w[p + "self_attn.o_proj.weight"] = r(H, h * d)
        if bias_qkv:
            for n_, width in (("q_proj", h * d), ("k_proj", g * d), ("v_proj", g * d)):
                w[p + "self_attn.%s.bias" % n_] = r(width)
        if cfg.get("attention_bias", False) and not cfg["model_type"].startswith("qwen"):
            w[p + "self_attn.o_proj.bias"] = r(H)
        if cfg["model_type"] in ("qwen3", "gemma3_text"):
            w[p + "self_attn.q_norm.weight"] = norm(d)
            w[p + "self_attn.k_norm.weight"] = norm(d)
        w[p + "input_layernorm.weight"] = norm(H)
        w[p + "post_attention_layernorm.weight"] = norm(H)
        if gemma:
            w[p + "pre_feedforward_layernorm.weight"] = norm(H)
            w[p + "post_feedforward_layernorm.weight"] = norm(H)
        w[p + "mlp.gate_proj.weight"] = r(I, H)
        w[p + "mlp.up_proj.weight"] = r(I, H)
        w[p + "mlp.down_proj.weight"] = r(H, I)
    if not cfg.get("tie_word_embeddings", gemma):
        w["lm_head.weight"] = r(V, H, s=0.5)
    return w


BASE = {"hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2, "num_attention_heads": 4,
        "num_key_value_heads": 2, "vocab_size": VOCAB, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
        "max_position_embeddings": 64}

VARIANTS = {
    "llama": ("F32", {"model_type": "llama", "tie_word_embeddings": True}),
    "llama3-scaled-bf16": ("BF16", {"model_type": "llama", "tie_word_embeddings": False, "rope_theta": 500000.0,
                                    "attention_bias": True,
                                    "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                                     "high_freq_factor": 4.0, "original_max_position_embeddings": 16}}),
    "llama-linear-f16": ("F16", {"model_type": "llama", "tie_word_embeddings": False, "num_key_value_heads": 4,
                                 "rope_scaling": {"rope_type": "linear", "factor": 2.0}}),
    "mistral-window": ("F32", {"model_type": "mistral", "tie_word_embeddings": False, "sliding_window": 3}),
    "qwen2": ("F32", {"model_type": "qwen2", "tie_word_embeddings": False, "num_key_value_heads": 1, "rope_theta": 1000000.0}),
    "qwen3": ("BF16", {"model_type": "qwen3", "tie_word_embeddings": True, "head_dim": 16, "rms_norm_eps": 1e-6}),
    "gemma3": ("F32", {"model_type": "gemma3_text", "head_dim": 16, "query_pre_attn_scalar": 24,
                       "hidden_activation": "gelu_pytorch_tanh", "sliding_window": 3, "rope_theta": 1000000.0,
                       "rope_local_base_freq": 10000.0, "layer_types": ["sliding_attention", "full_attention"],
                       "final_logit_softcapping": 3.0, "rms_norm_eps": 1e-6}),
}


def main():
    rng = np.random.default_rng(11)
    ids = [int(i) for i in rng.integers(0, VOCAB, size=9)]
    for name, (dtype, extra) in VARIANTS.items():
        cfg = dict(BASE)
        cfg.update(extra)
        cfg["_name_or_path"] = "attnscope-tiny-" + name
        folder = os.path.join(OUT, name)
        os.makedirs(folder, exist_ok=True)
        w = weights(cfg, rng)
        write_safetensors(os.path.join(folder, "model.safetensors"), w, dtype)
        ref = forward(cfg, {k: stored(v, dtype) for k, v in w.items()}, ids)
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(cfg, f, indent=2)
        for t in ("vocab.json", "merges.txt"):
            shutil.copy(os.path.join(GPT2, t), os.path.join(folder, t))
        out = {"ids": ids, "dtype": dtype}
        for key in ("attentions", "hidden_states", "q", "k", "v"):
            out[key] = [np.round(np.asarray(a), 9).tolist() for a in ref[key]]
        for key in ("top_ids", "top_probs", "predict_position"):
            out[key] = ref[key]
        with open(os.path.join(folder, "expected.json"), "w") as f:
            json.dump(out, f)
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
