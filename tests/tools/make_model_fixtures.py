#!/usr/bin/python3
"""Writes tiny random checkpoints in every layout AttnScope reads, plus the outputs of an
independent PyTorch (float64) implementation of each family, into tests/fixtures/models/.

Authoring time only: needs Debian's python3-torch and python3-numpy. The committed fixtures make
the C++ tests self-contained. Run:  /usr/bin/python3 tests/tools/make_model_fixtures.py
"""
import json
import math
import os
import re
import shutil
import struct
import sys

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "models")
torch.set_default_dtype(torch.float64)

# --------------------------------------------------------------------------------------------
# safetensors writer (the format: u64 LE header length, JSON header padded to 8, data buffer)

def encode(t, dtype):
    if dtype == "F32":
        return t.to(torch.float32).numpy().astype("<f4").tobytes()
    if dtype == "F16":
        return t.to(torch.float16).numpy().astype("<f2").tobytes()
    if dtype == "BF16":
        return t.to(torch.bfloat16).view(torch.int16).numpy().astype("<i2").tobytes()
    raise ValueError(dtype)

def stored(t, dtype):
    """The value a reader sees after widening the stored dtype back to float."""
    if dtype == "F16":
        return t.to(torch.float16).to(torch.float64)
    if dtype == "BF16":
        return t.to(torch.bfloat16).to(torch.float64)
    return t.to(torch.float32).to(torch.float64)

def write_safetensors(path, tensors, dtype):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = encode(t, dtype)
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)

def save_weights(folder, tensors, dtype, shards=1):
    if shards == 1:
        write_safetensors(os.path.join(folder, "model.safetensors"), tensors, dtype)
        return
    names = list(tensors)
    per = math.ceil(len(names) / shards)
    weight_map = {}
    for s in range(shards):
        fname = "model-%05d-of-%05d.safetensors" % (s + 1, shards)
        part = {n: tensors[n] for n in names[s * per:(s + 1) * per]}
        write_safetensors(os.path.join(folder, fname), part, dtype)
        weight_map.update({n: fname for n in part})
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": 0}, "weight_map": weight_map}, f, indent=1)

# --------------------------------------------------------------------------------------------
# Tokenizers (small, independent of the C++ code; ASCII inputs only)

WP_WORDS = ["the", "animal", "didn", "'", "t", "cross", "road", "because", "it", "was", "tired", ".",
            "wide", "play", "##ing", "##ed", "street", "dog", "ball", "a", "is", ","]
WP_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

def wordpiece_vocab():
    return WP_SPECIALS + WP_WORDS

def wordpiece_encode(text, vocab):
    ids = {t: i for i, t in enumerate(vocab)}
    out = [ids["[CLS]"]]
    for chunk in re.split(r"(\[MASK\])", text):
        if chunk == "[MASK]":
            out.append(ids["[MASK]"])
            continue
        for word in re.findall(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]", chunk.lower()):
            start, pieces = 0, []
            while start < len(word):
                for end in range(len(word), start, -1):
                    sub = word[start:end] if start == 0 else "##" + word[start:end]
                    if sub in ids:
                        pieces.append(ids[sub])
                        start = end
                        break
                else:
                    pieces = [ids["[UNK]"]]
                    break
            out.extend(pieces)
    out.append(ids["[SEP]"])
    return out

def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))

BYTE_CHARS = bytes_to_unicode()
GPT2_PAT = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+""")
BPE_CORPUS = ["The animal didn't cross the road because it was tired.",
              "The animal didn't cross the street because it was too wide.",
              "The dog chased the ball until it was tired.",
              "the road, the street, the animal, the ball"] * 3

def merge_pair(symbols, pair):
    a, b = pair
    merged, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == a and symbols[i + 1] == b:
            merged.append(a + b)
            i += 2
        else:
            merged.append(symbols[i])
            i += 1
    return merged

def bpe_word(word, ranks):
    symbols = list(word)
    while len(symbols) > 1:
        pairs = [(ranks.get((a, b), 1 << 30), i) for i, (a, b) in enumerate(zip(symbols, symbols[1:]))]
        best = min(pairs)[0]
        if best == 1 << 30:
            break
        symbols = merge_pair(symbols, [k for k, v in ranks.items() if v == best][0])
    return symbols

def train_bpe(num_merges):
    words = []
    for line in BPE_CORPUS:
        words += ["".join(BYTE_CHARS[b] for b in w.encode()) for w in GPT2_PAT.findall(line)]
    ranks, merges = {}, []
    seqs = [list(w) for w in words]
    for _ in range(num_merges):
        counts = {}
        for s in seqs:
            for p in zip(s, s[1:]):
                counts[p] = counts.get(p, 0) + 1
        if not counts:
            break
        best = max(sorted(counts), key=lambda p: counts[p])
        ranks[best] = len(merges)
        merges.append(best)
        seqs = [merge_pair(s, best) for s in seqs]
    return merges, ranks

def bpe_vocab(merges, specials_front, specials_back):
    vocab = list(specials_front)
    vocab += [BYTE_CHARS[b] for b in sorted(BYTE_CHARS)]  # every byte, so nothing is unknown
    for a, b in merges:
        if a + b not in vocab:
            vocab.append(a + b)
    vocab += specials_back
    return vocab

def bpe_encode(text, vocab, ranks):
    ids = {t: i for i, t in enumerate(vocab)}
    out = []
    for w in GPT2_PAT.findall(text):
        mapped = "".join(BYTE_CHARS[b] for b in w.encode())
        out += [ids[s] for s in bpe_word(mapped, ranks)]
    return out

# --------------------------------------------------------------------------------------------
# Random weights

def rnd(gen, *shape, scale=0.2):
    return torch.randn(*shape, generator=gen) * scale

def layer_norm(gen, d):
    return 1.0 + rnd(gen, d, scale=0.1), rnd(gen, d, scale=0.1)

# --------------------------------------------------------------------------------------------
# Reference implementations (float64), written from the papers / reference model code.

def ln(x, g, b, eps):
    mu = x.mean(-1, keepdim=True)
    var = ((x - mu) ** 2).mean(-1, keepdim=True)
    return (x - mu) / torch.sqrt(var + eps) * g + b

def gelu(x):
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))

def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))

def attention(q, k, v, heads, causal):
    n, hidden = q.shape
    d = hidden // heads
    q, k, v = (t.reshape(n, heads, d).transpose(0, 1) for t in (q, k, v))  # (h, n, d)
    raw = q @ k.transpose(1, 2)                                              # (h, n, n)
    scaled = raw / math.sqrt(d)
    masked = scaled.clone()
    if causal:
        masked = masked.masked_fill(torch.triu(torch.ones(n, n, dtype=torch.bool), 1), float("-inf"))
    probs = torch.softmax(masked, -1)
    ctx = (probs @ v).transpose(0, 1).reshape(n, hidden)                     # (n, H)
    return probs, scaled, ctx

def encoder_reference(P, cfg, ids):
    """P: dict of plain names -> float64 tensors. Post-LN encoder (BERT, RoBERTa, DistilBERT)."""
    L, heads, eps = cfg["layers"], cfg["heads"], cfg["eps"]
    n = len(ids)
    x = P["word"][ids] + P["pos"][cfg["first_pos"] + torch.arange(n)]
    if "type" in P:
        x = x + P["type"][0]
    x = ln(x, *P["emb_ln"], eps)
    hidden, atts, scores, qs, ks, vs = [x], [], [], [], [], []
    for l in range(L):
        W = P["layers"][l]
        q, k, v = (x @ W[m][0].T + W[m][1] for m in ("q", "k", "v"))
        probs, scaled, ctx = attention(q, k, v, heads, False)
        x = ln(x + ctx @ W["o"][0].T + W["o"][1], *W["ln1"], eps)
        f = cfg["act"](x @ W["i"][0].T + W["i"][1]) @ W["f"][0].T + W["f"][1]
        x = ln(x + f, *W["ln2"], eps)
        hidden.append(x); atts.append(probs); scores.append(scaled)
        qs.append(q); ks.append(k); vs.append(v)
    out = {"hidden": hidden, "att": atts, "scores": scores, "q": qs, "k": ks, "v": vs}
    if "head" in P:
        H = P["head"]
        t = ln(cfg["head_act"](x @ H["dense"][0].T + H["dense"][1]), *H["ln"], eps)
        out["logits"] = t @ H["decoder"].T + H["bias"]
    return out

def gpt2_reference(P, cfg, ids):
    L, heads, eps = cfg["layers"], cfg["heads"], cfg["eps"]
    n, H = len(ids), cfg["hidden"]
    x = P["wte"][ids] + P["wpe"][torch.arange(n)]
    hidden, atts, scores, qs, ks, vs = [x], [], [], [], [], []
    for l in range(L):
        W = P["layers"][l]
        a = ln(x, *W["ln1"], eps)
        qkv = a @ W["attn"][0] + W["attn"][1]
        q, k, v = qkv[:, :H], qkv[:, H:2 * H], qkv[:, 2 * H:]
        probs, scaled, ctx = attention(q, k, v, heads, True)
        x = x + ctx @ W["proj"][0] + W["proj"][1]
        m = ln(x, *W["ln2"], eps)
        x = x + gelu_new(m @ W["fc"][0] + W["fc"][1]) @ W["mlp_proj"][0] + W["mlp_proj"][1]
        if l + 1 < L:
            hidden.append(x)
        atts.append(probs); scores.append(scaled); qs.append(q); ks.append(k); vs.append(v)
    x = ln(x, *P["ln_f"], eps)
    hidden.append(x)
    return {"hidden": hidden, "att": atts, "scores": scores, "q": qs, "k": ks, "v": vs,
            "logits": x @ P["wte"].T}

# --------------------------------------------------------------------------------------------
# Variants

def per_head(t, heads):  # (n, H) -> (h, n, d)
    n, hidden = t.shape
    return t.reshape(n, heads, hidden // heads).transpose(0, 1)

def r(x):
    return [r(v) for v in x] if isinstance(x, list) else float("%.9g" % x)

def expected_json(text, ids, out, heads, mask_pos):
    e = {"text": text, "ids": ids,
         "attentions": [a.tolist() for a in out["att"]],
         "scores": [s.masked_fill(torch.isinf(s), 0).tolist() for s in out["scores"]],
         "hidden_states": [h.tolist() for h in out["hidden"]],
         "q": [per_head(q, heads).tolist() for q in out["q"]],
         "k": [per_head(k, heads).tolist() for k in out["k"]],
         "v": [per_head(v, heads).tolist() for v in out["v"]]}
    if "logits" in out:
        probs = torch.softmax(out["logits"][mask_pos], -1)
        top = torch.topk(probs, 5)
        e["predict_position"] = mask_pos
        e["top_ids"] = top.indices.tolist()
        e["top_probs"] = top.values.tolist()
    return {k: (r(v) if k in ("attentions", "scores", "hidden_states", "q", "k", "v", "top_probs") else v)
            for k, v in e.items()}

def make_encoder(name, family, dtype="F32", prefix=True, gamma_beta=False, head=True, shards=1,
                 tokenizer="vocab.txt", seed=0):
    gen = torch.Generator().manual_seed(seed)
    hidden, heads, L, inter = 32, 4, 2, 64
    roberta, distil = family == "roberta", family == "distilbert"
    if roberta:
        merges, ranks = train_bpe(40)
        vocab = bpe_vocab(merges, ["<s>", "<pad>", "</s>", "<unk>"], ["<mask>"])
        text = "The <mask> didn't cross the road because it was tired."
        before, after = text.split(" <mask>")  # <mask> strips the space on its left
        ids = [0] + bpe_encode(before, vocab, ranks) + [len(vocab) - 1] + bpe_encode(after, vocab, ranks) + [2]
        max_pos, eps, pad = 66, 1e-5, 1
    else:
        vocab = wordpiece_vocab()
        text = "The [MASK] didn't cross the road because it was playing."
        ids = wordpiece_encode(text, vocab)
        max_pos, eps, pad = 64, 1e-12, 0
    V = len(vocab)
    mask_pos = ids.index(vocab.index("<mask>" if roberta else "[MASK]"))

    P = {"word": rnd(gen, V, hidden, scale=0.5), "pos": rnd(gen, max_pos, hidden, scale=0.5),
         "emb_ln": layer_norm(gen, hidden), "layers": []}
    if not distil:
        P["type"] = rnd(gen, 1 if roberta else 2, hidden, scale=0.5)
    for _ in range(L):
        P["layers"].append({m: (rnd(gen, o, i), rnd(gen, o, scale=0.1)) for m, o, i in
                            (("q", hidden, hidden), ("k", hidden, hidden), ("v", hidden, hidden),
                             ("o", hidden, hidden), ("i", inter, hidden), ("f", hidden, inter))})
        P["layers"][-1]["ln1"] = layer_norm(gen, hidden)
        P["layers"][-1]["ln2"] = layer_norm(gen, hidden)
    if head:
        P["head"] = {"dense": (rnd(gen, hidden, hidden), rnd(gen, hidden, scale=0.1)),
                     "ln": layer_norm(gen, hidden), "decoder": P["word"], "bias": rnd(gen, V, scale=0.1)}

    # Tensor names as Hugging Face writes them.
    T = {}
    g, b = ("gamma", "beta") if gamma_beta else ("weight", "bias")
    own = {"bert": "bert.", "roberta": "roberta.", "distilbert": "distilbert."}[family] if prefix else ""
    T[own + "embeddings.word_embeddings.weight"] = P["word"]
    T[own + "embeddings.position_embeddings.weight"] = P["pos"]
    if not distil:
        T[own + "embeddings.token_type_embeddings.weight"] = P["type"]
    T[own + "embeddings.LayerNorm." + g], T[own + "embeddings.LayerNorm." + b] = P["emb_ln"]
    if roberta:
        T[own + "embeddings.position_ids"] = torch.arange(max_pos).reshape(1, -1).double()  # ignored
    for l, W in enumerate(P["layers"]):
        if distil:
            p = own + "transformer.layer.%d." % l
            names = {"q": "attention.q_lin", "k": "attention.k_lin", "v": "attention.v_lin",
                     "o": "attention.out_lin", "i": "ffn.lin1", "f": "ffn.lin2",
                     "ln1": "sa_layer_norm", "ln2": "output_layer_norm"}
        else:
            p = own + "encoder.layer.%d." % l
            names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
                     "o": "attention.output.dense", "i": "intermediate.dense", "f": "output.dense",
                     "ln1": "attention.output.LayerNorm", "ln2": "output.LayerNorm"}
        for m in ("q", "k", "v", "o", "i", "f"):
            T[p + names[m] + ".weight"], T[p + names[m] + ".bias"] = W[m]
        for m in ("ln1", "ln2"):
            T[p + names[m] + "." + g], T[p + names[m] + "." + b] = W[m]
    if not distil and prefix:
        T[own + "pooler.dense.weight"] = rnd(gen, hidden, hidden)  # ignored
        T[own + "pooler.dense.bias"] = rnd(gen, hidden)
    if head:
        Hd = P["head"]
        if family == "bert":
            T["cls.predictions.transform.dense.weight"], T["cls.predictions.transform.dense.bias"] = Hd["dense"]
            T["cls.predictions.transform.LayerNorm." + g], T["cls.predictions.transform.LayerNorm." + b] = Hd["ln"]
            T["cls.predictions.decoder.weight"] = Hd["decoder"]
            T["cls.predictions.bias"] = Hd["bias"]
        elif roberta:
            T["lm_head.dense.weight"], T["lm_head.dense.bias"] = Hd["dense"]
            T["lm_head.layer_norm.weight"], T["lm_head.layer_norm.bias"] = Hd["ln"]
            T["lm_head.bias"] = Hd["bias"]  # decoder tied to the word embeddings, not stored
        else:
            T["vocab_transform.weight"], T["vocab_transform.bias"] = Hd["dense"]
            T["vocab_layer_norm.weight"], T["vocab_layer_norm.bias"] = Hd["ln"]
            T["vocab_projector.bias"] = Hd["bias"]

    # The reference sees exactly what is stored.
    def st(t):
        return stored(t, dtype)
    P = {k: (st(v) if torch.is_tensor(v) else v) for k, v in P.items()}
    P["emb_ln"] = tuple(st(t) for t in P["emb_ln"])
    P["layers"] = [{m: tuple(st(t) for t in W[m]) for m in W} for W in P["layers"]]
    if head:
        Hd = P["head"]
        P["head"] = {"dense": tuple(st(t) for t in Hd["dense"]), "ln": tuple(st(t) for t in Hd["ln"]),
                     "decoder": st(Hd["decoder"]), "bias": st(Hd["bias"])}

    folder = os.path.join(OUT, name)
    os.makedirs(folder)
    save_weights(folder, T, dtype, shards)
    config = {"model_type": family, "vocab_size": V, "max_position_embeddings": max_pos, "pad_token_id": pad,
              "_name_or_path": "attnscope-tiny-" + name}
    if distil:
        config.update({"dim": hidden, "n_layers": L, "n_heads": heads, "hidden_dim": inter, "activation": "gelu"})
    else:
        config.update({"hidden_size": hidden, "num_hidden_layers": L, "num_attention_heads": heads,
                       "intermediate_size": inter, "hidden_act": "gelu", "layer_norm_eps": eps,
                       "type_vocab_size": 1 if roberta else 2})
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    if roberta:
        write_bpe_files(folder, vocab, merges, {"tokenizer_class": "RobertaTokenizer", "add_prefix_space": False})
    elif tokenizer == "tokenizer.json":
        write_wordpiece_json(folder, vocab)
    else:
        with open(os.path.join(folder, "vocab.txt"), "w") as f:
            f.write("\n".join(vocab) + "\n")
        with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
            json.dump({"do_lower_case": True, "tokenizer_class": "BertTokenizer"}, f)

    cfg = {"layers": L, "heads": heads, "eps": eps, "act": gelu, "head_act": gelu,
           "first_pos": pad + 1 if roberta else 0}
    out = encoder_reference(P, cfg, ids)
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(expected_json(text, ids, out, heads, mask_pos), f)

def write_bpe_files(folder, vocab, merges, tok_config):
    with open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump({t: i for i, t in enumerate(vocab)}, f, ensure_ascii=False)
    with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "".join("%s %s\n" % m for m in merges))
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump(tok_config, f)

def write_wordpiece_json(folder, vocab):
    specials = {t: {"id": t, "ids": [vocab.index(t)], "tokens": [t]} for t in ("[CLS]", "[SEP]")}
    tj = {"version": "1.0",
          "added_tokens": [{"id": vocab.index(t), "content": t, "single_word": False, "lstrip": False,
                            "rstrip": False, "normalized": False, "special": True} for t in WP_SPECIALS],
          "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                         "strip_accents": None, "lowercase": True},
          "pre_tokenizer": {"type": "BertPreTokenizer"},
          "post_processor": {"type": "TemplateProcessing",
                             "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                                        {"Sequence": {"id": "A", "type_id": 0}},
                                        {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                             "pair": [], "special_tokens": specials},
          "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                    "max_input_chars_per_word": 100, "vocab": {t: i for i, t in enumerate(vocab)}}}
    with open(os.path.join(folder, "tokenizer.json"), "w") as f:
        json.dump(tj, f, indent=1)

def make_gpt2(name, dtype="F32", prefix=False, tokenizer="files", lm_head=False, seed=0):
    gen = torch.Generator().manual_seed(seed)
    hidden, heads, L, npos = 32, 4, 2, 64
    merges, ranks = train_bpe(40)
    vocab = bpe_vocab(merges, [], ["<|endoftext|>"])
    V = len(vocab)
    text = "The animal didn't cross the road because it was tired."
    ids = bpe_encode(text, vocab, ranks)
    P = {"wte": rnd(gen, V, hidden, scale=0.5), "wpe": rnd(gen, npos, hidden, scale=0.3), "layers": []}
    for _ in range(L):
        P["layers"].append({"ln1": layer_norm(gen, hidden), "ln2": layer_norm(gen, hidden),
                            "attn": (rnd(gen, hidden, 3 * hidden), rnd(gen, 3 * hidden, scale=0.1)),
                            "proj": (rnd(gen, hidden, hidden), rnd(gen, hidden, scale=0.1)),
                            "fc": (rnd(gen, hidden, 4 * hidden), rnd(gen, 4 * hidden, scale=0.1)),
                            "mlp_proj": (rnd(gen, 4 * hidden, hidden), rnd(gen, hidden, scale=0.1))})
    P["ln_f"] = layer_norm(gen, hidden)
    own = "transformer." if prefix else ""
    T = {own + "wte.weight": P["wte"], own + "wpe.weight": P["wpe"]}
    for l, W in enumerate(P["layers"]):
        p = own + "h.%d." % l
        T[p + "ln_1.weight"], T[p + "ln_1.bias"] = W["ln1"]
        T[p + "attn.bias"] = torch.tril(torch.ones(npos, npos)).reshape(1, 1, npos, npos)  # ignored
        T[p + "attn.c_attn.weight"], T[p + "attn.c_attn.bias"] = W["attn"]
        T[p + "attn.c_proj.weight"], T[p + "attn.c_proj.bias"] = W["proj"]
        T[p + "ln_2.weight"], T[p + "ln_2.bias"] = W["ln2"]
        T[p + "mlp.c_fc.weight"], T[p + "mlp.c_fc.bias"] = W["fc"]
        T[p + "mlp.c_proj.weight"], T[p + "mlp.c_proj.bias"] = W["mlp_proj"]
    T[own + "ln_f.weight"], T[own + "ln_f.bias"] = P["ln_f"]
    if lm_head:
        T["lm_head.weight"] = P["wte"]

    def st(t):
        return stored(t, dtype)
    P = {"wte": st(P["wte"]), "wpe": st(P["wpe"]), "ln_f": tuple(st(t) for t in P["ln_f"]),
         "layers": [{m: tuple(st(t) for t in W[m]) for m in W} for W in P["layers"]]}
    folder = os.path.join(OUT, name)
    os.makedirs(folder)
    save_weights(folder, T, dtype)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump({"model_type": "gpt2", "n_embd": hidden, "n_layer": L, "n_head": heads, "n_positions": npos,
                   "vocab_size": V, "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new",
                   "n_inner": None, "_name_or_path": "attnscope-tiny-" + name}, f, indent=2)
    if tokenizer == "tokenizer.json":
        tj = {"version": "1.0",
              "added_tokens": [{"id": V - 1, "content": "<|endoftext|>", "single_word": False, "lstrip": False,
                                "rstrip": False, "normalized": True, "special": True}],
              "normalizer": None,
              "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
              "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
              "decoder": {"type": "ByteLevel"},
              "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                        "end_of_word_suffix": "", "fuse_unk": False,
                        "vocab": {t: i for i, t in enumerate(vocab)}, "merges": ["%s %s" % m for m in merges]}}
        with open(os.path.join(folder, "tokenizer.json"), "w", encoding="utf-8") as f:
            json.dump(tj, f, ensure_ascii=False)
    else:
        write_bpe_files(folder, vocab, merges, {"tokenizer_class": "GPT2Tokenizer"})
    out = gpt2_reference(P, {"layers": L, "heads": heads, "eps": 1e-5, "hidden": hidden}, ids)
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(expected_json(text, ids, out, heads, len(ids) - 1), f)

def vit_reference(P, cfg, pixels):
    """Pre-LN ViT (Dosovitskiy et al.; HF ViTModel semantics): conv patch embedding, [CLS], positions."""
    L, heads, eps, p = cfg["layers"], cfg["heads"], cfg["eps"], cfg["patch"]
    emb = torch.nn.functional.conv2d(pixels[None], P["patch_w"], P["patch_b"], stride=p)[0]  # (H, g, g)
    x = torch.cat([P["cls"].reshape(1, -1), emb.flatten(1).T], 0) + P["pos"][0]
    hidden, atts, scores, qs, ks, vs = [x], [], [], [], [], []
    for l in range(L):
        W = P["layers"][l]
        a = ln(x, *W["ln1"], eps)
        q, k, v = (a @ W[m][0].T + W[m][1] for m in ("q", "k", "v"))
        probs, scaled, ctx = attention(q, k, v, heads, False)
        x = x + ctx @ W["o"][0].T + W["o"][1]
        m = ln(x, *W["ln2"], eps)
        x = x + gelu(m @ W["i"][0].T + W["i"][1]) @ W["f"][0].T + W["f"][1]
        hidden.append(x); atts.append(probs); scores.append(scaled); qs.append(q); ks.append(k); vs.append(v)
    x = ln(x, *P["ln_f"], eps)
    return {"hidden": hidden, "att": atts, "scores": scores, "q": qs, "k": ks, "v": vs,
            "class_logits": x[0] @ P["cls_w"].T + P["cls_b"]}

def make_vit(name, prefix=True, seed=9):
    gen = torch.Generator().manual_seed(seed)
    hidden, heads, L, inter, size, patch, classes = 32, 4, 2, 64, 32, 8, 5
    g = size // patch
    P = {"patch_w": rnd(gen, hidden, 3, patch, patch, scale=0.1), "patch_b": rnd(gen, hidden, scale=0.1),
         "cls": rnd(gen, 1, 1, hidden, scale=0.5), "pos": rnd(gen, 1, g * g + 1, hidden, scale=0.3), "layers": [],
         "ln_f": layer_norm(gen, hidden), "cls_w": rnd(gen, classes, hidden), "cls_b": rnd(gen, classes, scale=0.1)}
    for _ in range(L):
        W = {m: (rnd(gen, o, i), rnd(gen, o, scale=0.1)) for m, o, i in
             (("q", hidden, hidden), ("k", hidden, hidden), ("v", hidden, hidden), ("o", hidden, hidden),
              ("i", inter, hidden), ("f", hidden, inter))}
        W["ln1"], W["ln2"] = layer_norm(gen, hidden), layer_norm(gen, hidden)
        P["layers"].append(W)
    own = "vit." if prefix else ""
    T = {own + "embeddings.cls_token": P["cls"], own + "embeddings.position_embeddings": P["pos"],
         own + "embeddings.patch_embeddings.projection.weight": P["patch_w"],
         own + "embeddings.patch_embeddings.projection.bias": P["patch_b"]}
    names = {"q": "attention.attention.query", "k": "attention.attention.key", "v": "attention.attention.value",
             "o": "attention.output.dense", "i": "intermediate.dense", "f": "output.dense"}
    for l, W in enumerate(P["layers"]):
        b = own + "encoder.layer.%d." % l
        for m, n in names.items():
            T[b + n + ".weight"], T[b + n + ".bias"] = W[m]
        T[b + "layernorm_before.weight"], T[b + "layernorm_before.bias"] = W["ln1"]
        T[b + "layernorm_after.weight"], T[b + "layernorm_after.bias"] = W["ln2"]
    T[own + "layernorm.weight"], T[own + "layernorm.bias"] = P["ln_f"]
    T["classifier.weight"], T["classifier.bias"] = P["cls_w"], P["cls_b"]
    P = {k: (stored(v, "F32") if torch.is_tensor(v) else v) for k, v in P.items()}
    P["ln_f"] = tuple(stored(t, "F32") for t in P["ln_f"])
    P["layers"] = [{m: tuple(stored(t, "F32") for t in W[m]) for m in W} for W in P["layers"]]
    pixels = stored(torch.rand(3, size, size, generator=gen) * 2 - 1, "F32")  # already normalised
    folder = os.path.join(OUT, name)
    os.makedirs(folder)
    save_weights(folder, T, "F32")
    labels = ["circle", "square", "triangle", "star", "cross"]
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump({"model_type": "vit", "hidden_size": hidden, "num_hidden_layers": L, "num_attention_heads": heads,
                   "intermediate_size": inter, "hidden_act": "gelu", "layer_norm_eps": 1e-12, "image_size": size,
                   "patch_size": patch, "num_channels": 3, "qkv_bias": True,
                   "id2label": {str(i): n for i, n in enumerate(labels)}, "_name_or_path": "attnscope-tiny-" + name}, f, indent=2)
    with open(os.path.join(folder, "preprocessor_config.json"), "w") as f:
        json.dump({"do_resize": True, "size": {"height": size, "width": size}, "resample": 2, "do_rescale": True,
                   "rescale_factor": 1 / 255, "do_normalize": True, "image_mean": [0.5, 0.5, 0.5],
                   "image_std": [0.5, 0.5, 0.5]}, f, indent=2)
    out = vit_reference(P, {"layers": L, "heads": heads, "eps": 1e-12, "patch": patch}, pixels)
    e = expected_json("", list(range(g * g + 1)), out, heads, 0)
    e["pixels"] = r(pixels.tolist())
    e["class_logits"] = r(out["class_logits"].tolist())
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(e, f)

def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    make_encoder("bert", "bert", seed=1)
    make_encoder("bert-gamma-beta", "bert", prefix=False, gamma_beta=True, head=False, seed=2)
    make_encoder("bert-f16", "bert", dtype="F16", seed=3)
    make_encoder("bert-bf16-sharded", "bert", dtype="BF16", shards=2, seed=4)
    make_encoder("roberta", "roberta", seed=5)
    make_encoder("distilbert", "distilbert", tokenizer="tokenizer.json", seed=6)
    make_gpt2("gpt2", seed=7)
    make_gpt2("gpt2-prefixed-f16", dtype="F16", prefix=True, tokenizer="tokenizer.json", lm_head=True, seed=8)
    make_vit("vit", seed=9)
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(OUT) for f in fs)
    print("wrote %s (%.2f MB)" % (os.path.normpath(OUT), total / 1e6))

if __name__ == "__main__":
    sys.exit(main())
