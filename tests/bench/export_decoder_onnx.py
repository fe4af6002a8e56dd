#!/usr/bin/python3
"""A random-weight rotary decoder in PyTorch 1.13 (Debian's python3-torch), exported to ONNX, so the
side-by-side kit (../shared/bench/ort: ort_bench.js) can time ONNX Runtime on the same architecture
as `attnscope-cli bench --synthetic ARCH --dtype f32`.

The module follows Hugging Face's LlamaModel / Qwen3Model graph: RMSNorm, q/k/v/o projections
without bias, Qwen3's per-head q_norm/k_norm, rotary embeddings (rotate_half), grouped key/value heads
(repeat_kv as expand + reshape), an additive causal mask, SiLU-gated MLP. Weights are uniform in
[-0.05, 0.05] like AttnScope's synthetic ones. The vocabulary is cut to 50,304 rows: the embedding
lookup costs nothing in either engine and a 2 GB protobuf is the ONNX limit; ids below 50,257 (what
ort_bench.js --kind gpt2 feeds) are valid.

Two variants: a: the last hidden state only; b: also every layer's attention probabilities
(attn_0 .. attn_{L-1}, (1, heads, n, n)), what a visualiser needs. Input: input_ids (1, seq).
Also checks the export: ORT is not needed here, the eager module's attention rows sum to 1.

Usage: /usr/bin/python3 export_decoder_onnx.py --arch qwen3-0.6b|llama-1b [--out DIR] [--variants a,b]
"""
import argparse, os
import torch
import torch.nn as nn
import torch.nn.functional as F

ARCHS = {  # AttnScope's synthetic shapes (core/model/synthetic_model.cpp)
    "qwen3-0.6b": dict(H=1024, L=28, NH=16, KV=8, D=128, FF=3072, theta=1000000.0, eps=1e-6, qk_norm=True),
    "llama-1b": dict(H=2048, L=16, NH=32, KV=8, D=64, FF=8192, theta=500000.0, eps=1e-5, qk_norm=False),
}
VOCAB = 50304


class RMSNorm(nn.Module):
    def __init__(s, d, eps):
        super().__init__()
        s.weight, s.eps = nn.Parameter(torch.ones(d)), eps

    def forward(s, x):
        return s.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + s.eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Layer(nn.Module):
    def __init__(s, c):
        super().__init__()
        s.c = c
        H, NH, KV, D, FF = c["H"], c["NH"], c["KV"], c["D"], c["FF"]
        s.q_proj, s.k_proj = nn.Linear(H, NH * D, bias=False), nn.Linear(H, KV * D, bias=False)
        s.v_proj, s.o_proj = nn.Linear(H, KV * D, bias=False), nn.Linear(NH * D, H, bias=False)
        s.q_norm = RMSNorm(D, c["eps"]) if c["qk_norm"] else None
        s.k_norm = RMSNorm(D, c["eps"]) if c["qk_norm"] else None
        s.input_layernorm, s.post_attention_layernorm = RMSNorm(H, c["eps"]), RMSNorm(H, c["eps"])
        s.gate_proj, s.up_proj = nn.Linear(H, FF, bias=False), nn.Linear(H, FF, bias=False)
        s.down_proj = nn.Linear(FF, H, bias=False)

    def forward(s, x, cos, sin, mask):
        c = s.c
        b, n = x.shape[0], x.shape[1]
        NH, KV, D = c["NH"], c["KV"], c["D"]
        h = s.input_layernorm(x)
        q, k = s.q_proj(h).view(b, n, NH, D), s.k_proj(h).view(b, n, KV, D)
        if s.q_norm is not None:
            q, k = s.q_norm(q), s.k_norm(k)
        q, k = q.transpose(1, 2), k.transpose(1, 2)  # (b, heads, n, D)
        v = s.v_proj(h).view(b, n, KV, D).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        g = NH // KV  # repeat_kv
        k = k[:, :, None].expand(b, KV, g, n, D).reshape(b, NH, n, D)
        v = v[:, :, None].expand(b, KV, g, n, D).reshape(b, NH, n, D)
        w = torch.matmul(q, k.transpose(2, 3)) * (D ** -0.5) + mask
        p = F.softmax(w, dim=-1)
        a = torch.matmul(p, v).transpose(1, 2).reshape(b, n, NH * D)
        x = x + s.o_proj(a)
        h = s.post_attention_layernorm(x)
        return x + s.down_proj(F.silu(s.gate_proj(h)) * s.up_proj(h)), p


class Decoder(nn.Module):
    def __init__(s, c, with_probs):
        super().__init__()
        s.c, s.with_probs = c, with_probs
        s.embed_tokens = nn.Embedding(VOCAB, c["H"])
        s.layers = nn.ModuleList([Layer(c) for _ in range(c["L"])])
        s.norm = RMSNorm(c["H"], c["eps"])
        D = c["D"]
        s.register_buffer("inv_freq", 1.0 / (c["theta"] ** (torch.arange(0, D, 2, dtype=torch.float32) / D)), persistent=False)

    def forward(s, input_ids):
        n = input_ids.shape[1]
        x = s.embed_tokens(input_ids)
        pos = torch.arange(n, dtype=torch.float32)
        freqs = pos[:, None] * s.inv_freq[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]  # (1, 1, n, D)
        mask = torch.triu(torch.full((n, n), torch.finfo(torch.float32).min), diagonal=1)[None, None]
        probs = []
        for layer in s.layers:
            x, p = layer(x, cos, sin, mask)
            probs.append(p)
        x = s.norm(x)
        return (x, *probs) if s.with_probs else x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", required=True, choices=sorted(ARCHS))
    ap.add_argument("--out", default="models")
    ap.add_argument("--variants", default="a,b")
    ap.add_argument("--opset", type=int, default=14)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    c = ARCHS[args.arch]
    torch.manual_seed(1)
    for variant in args.variants.split(","):
        model = Decoder(c, variant == "b").eval()
        with torch.no_grad():
            for p in model.parameters():
                p.copy_((torch.rand(p.shape) - 0.5) * 0.1)
            ids = torch.randint(0, 50257, (1, 16))
            out = model(ids)
            if variant == "b":
                sums = out[1].sum(-1)
                assert torch.allclose(sums, torch.ones_like(sums), atol=1e-5), "attention rows do not sum to 1"
            outputs = ["last_hidden_state"] + ([f"attn_{i}" for i in range(c["L"])] if variant == "b" else [])
            axes = {"input_ids": {1: "seq"}, "last_hidden_state": {1: "seq"}}
            axes.update({name: {2: "seq", 3: "seq"} for name in outputs[1:]})
            path = os.path.join(args.out, f"{args.arch}_{variant}.onnx")
            torch.onnx.export(model, (ids,), path, input_names=["input_ids"], output_names=outputs, dynamic_axes=axes,
                              opset_version=args.opset)
            print(f"wrote {path}: {sum(p.numel() for p in model.parameters()) / 1e6:.0f} M parameters")


if __name__ == "__main__":
    main()
