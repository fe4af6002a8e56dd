#!/usr/bin/env python3
"""tools/attnscope_export.py against AttnScope itself.

  writer: the built-in safetensors writer and the layer parser, without PyTorch: a trace written
          from plain bytes opens in attnscope-cli with the numbers it was given.
  torch:  small PyTorch models written here with transformers' module layout (model.layers[i].self_attn
          with q_proj/k_proj/v_proj, q_norm/k_norm, a rotary embedding handing (cos, sin) to each
          attention as position_embeddings, eager attention returning its weights), recorded by
          save_trace as q/k and as matrices; every head AttnScope rebuilds or reads from the file must
          equal the model's own attention. Exits 77 (skipped) where PyTorch is absent.

Usage: test_attnscope_export.py writer|torch   (ATTNSCOPE_CLI: the attnscope-cli to run)
"""

import json
import math
import os
import struct
import subprocess
import sys
import tempfile
import types
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import attnscope_export as ax  # noqa: E402

CLI = os.environ.get("ATTNSCOPE_CLI", "attnscope-cli")


def cli(*args):
    r = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr


def head_matrix(path, layer, head):
    """A head's matrix as AttnScope reads it from a trace (compare A with itself prints A)."""
    status, out, err = cli("compare", "--trace", path, "--trace-b", path, "--layer", str(layer), "--head", str(head))
    if status != 0:
        raise AssertionError(err)
    return json.loads(out)["a"]


class Writer(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def meta(self, **extra):
        m = {"format": "attnscope-trace", "version": "1", "model": "by-hand", "model_type": "test", "text": "a b c",
             "tokens": json.dumps(["a", "b", "c"]), "offsets": "[[0,1],[2,3],[4,5]]", "num_layers": "1", "num_heads": "2",
             "num_kv_heads": "2", "head_dim": "4", "causal": "true"}
        m.update(extra)
        return m

    def test_plain_bytes_open_with_their_numbers(self):
        rows = [[1, 0, 0], [0.25, 0.75, 0], [0.5, 0.25, 0.25]]
        flat = [x for _ in range(2) for row in rows for x in row]
        path = os.path.join(self.dir.name, "t.safetensors")
        ax.write_trace_file(path, [("attentions.0", "F32", (2, 3, 3), struct.pack("<18f", *flat))], self.meta())
        self.assertFalse(os.path.exists(path + ".partial"))
        for head in (0, 1):
            got = head_matrix(path, 0, head)
            for a, b in zip(sum(got, []), sum(rows, [])):
                self.assertAlmostEqual(a, b, places=6)
        status, out, _ = cli("heads", "--trace", path)
        self.assertEqual(status, 0)
        first = json.loads(out)["heads"][0]
        self.assertAlmostEqual(first["to_self"], (1 + 0.75 + 0.25) / 3, places=6)

    def test_a_row_that_is_not_a_softmax_is_refused(self):
        flat = [1, 0, 0, 0.5, 0.2, 0, 0.5, 0.25, 0.25] * 2
        path = os.path.join(self.dir.name, "bad.safetensors")
        ax.write_trace_file(path, [("attentions.0", "F32", (2, 3, 3), struct.pack("<18f", *flat))], self.meta())
        status, out, err = cli("heads", "--trace", path)
        self.assertEqual(status, 2)
        self.assertIn("row 1 sums to 0.7", err)
        self.assertEqual(err.count("\n"), 1)

    def test_wrong_sizes_leave_no_file(self):
        path = os.path.join(self.dir.name, "none.safetensors")
        with self.assertRaises(ax.ExportError):
            ax.write_trace_file(path, [("attentions.0", "F32", (2, 3, 3), b"\0" * 8)], self.meta())
        self.assertFalse(os.path.exists(path))
        self.assertFalse(os.path.exists(path + ".partial"))

    def test_command_line_refusals(self):
        tools = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools")
        env = dict(os.environ, PYTHONPATH=tools)
        out = os.path.join(self.dir.name, "t.safetensors")
        cases = [(["--model", "m", "--text", "", "--out", out], "the text is empty"),
                 (["--model", "m", "--text", "a", "--out", "/nonexistent/folder/t.safetensors"], "no such folder"),
                 (["--model", "m", "--text-file", "/nonexistent/text.txt", "--out", out], "No such file")]
        try:
            import transformers  # noqa: F401
        except ImportError:
            cases.append((["--model", "m", "--text", "a", "--out", out], "--model needs transformers"))
        for args, message in cases:
            r = subprocess.run([sys.executable, "-m", "attnscope_export", *args], capture_output=True, text=True, env=env, timeout=120)
            self.assertIn(r.returncode, (1, 2), r.stderr)
            self.assertIn(message, r.stderr)
            self.assertEqual(r.stderr.count("\n"), 1, r.stderr)
            self.assertTrue(r.stderr.startswith("attnscope_export: "))
            self.assertFalse(os.path.exists(out))

    def test_layers(self):
        self.assertEqual(ax.parse_layers("all", 4), [0, 1, 2, 3])
        self.assertEqual(ax.parse_layers("0-1, 3", 4), [0, 1, 3])
        self.assertEqual(ax.parse_layers("2", 4), [2])
        for bad in ("4", "2-1", "x", "1-2-3", ""):
            with self.assertRaises(ax.ExportError, msg=bad):
                ax.parse_layers(bad if bad else ",", 4)


# ---- PyTorch models in transformers' layout ---------------------------------------------------

def torch_models():
    import torch
    from torch import nn

    class RMSNorm(nn.Module):
        def __init__(self, d, eps=1e-6):
            super().__init__()
            self.weight = nn.Parameter(torch.ones(d) + 0.1 * torch.randn(d))
            self.eps = eps

        def forward(self, x):
            return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)

    class Rotary(nn.Module):  # transformers' default rope: cos, sin (b, n, d), the halves repeated
        def __init__(self, d, theta):
            super().__init__()
            self.register_buffer("inv_freq", 1.0 / (theta ** (torch.arange(0, d, 2).float() / d)), persistent=False)

        def forward(self, x, positions):
            freqs = positions[:, :, None].float() * self.inv_freq[None, None, :]
            emb = torch.cat((freqs, freqs), dim=-1)
            return emb.cos().to(x.dtype), emb.sin().to(x.dtype)

    def rotate_half(x):
        h = x.shape[-1] // 2
        return torch.cat((-x[..., h:], x[..., :h]), dim=-1)

    class Attention(nn.Module):
        def __init__(self, c, layer_idx):
            super().__init__()
            self.layer_idx, self.head_dim = layer_idx, c.head_dim
            self.heads, self.kv_heads = c.num_attention_heads, c.num_key_value_heads
            self.scaling = c.head_dim ** -0.5
            self.q_proj = nn.Linear(c.hidden_size, self.heads * c.head_dim, bias=c.bias)
            self.k_proj = nn.Linear(c.hidden_size, self.kv_heads * c.head_dim, bias=c.bias)
            self.v_proj = nn.Linear(c.hidden_size, self.kv_heads * c.head_dim, bias=c.bias)
            self.o_proj = nn.Linear(self.heads * c.head_dim, c.hidden_size, bias=False)
            if c.qk_norm:
                self.q_norm, self.k_norm = RMSNorm(c.head_dim), RMSNorm(c.head_dim)
            self.sliding_window = c.sliding_window if layer_idx in c.sliding_layers else None

        def forward(self, hidden_states, position_embeddings, attention_mask=None, **kwargs):
            b, n, _ = hidden_states.shape
            shape = (b, n, -1, self.head_dim)
            q = self.q_proj(hidden_states).view(shape)
            k = self.k_proj(hidden_states).view(shape)
            if hasattr(self, "q_norm"):
                q, k = self.q_norm(q), self.k_norm(k)
            q, k = q.transpose(1, 2), k.transpose(1, 2)
            v = self.v_proj(hidden_states).view(shape).transpose(1, 2)
            cos, sin = position_embeddings
            cos, sin = cos.unsqueeze(1), sin.unsqueeze(1)
            q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
            group = self.heads // self.kv_heads
            k, v = k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)
            scores = torch.matmul(q, k.transpose(2, 3)) * self.scaling
            i = torch.arange(n)[:, None]
            j = torch.arange(n)[None, :]
            hidden = j > i
            if self.sliding_window:
                hidden = hidden | (j <= i - self.sliding_window)
            scores = scores.masked_fill(hidden, float("-inf"))
            weights = torch.softmax(scores.float(), dim=-1).to(q.dtype)
            out = torch.matmul(weights, v).transpose(1, 2).reshape(b, n, -1)
            return self.o_proj(out), weights

    class Layer(nn.Module):
        def __init__(self, c, layer_idx):
            super().__init__()
            self.input_layernorm, self.post_attention_layernorm = RMSNorm(c.hidden_size), RMSNorm(c.hidden_size)
            self.self_attn = Attention(c, layer_idx)
            self.mlp = nn.Sequential(nn.Linear(c.hidden_size, 2 * c.hidden_size), nn.SiLU(), nn.Linear(2 * c.hidden_size, c.hidden_size))

        def forward(self, hidden_states, position_embeddings):
            attn, weights = self.self_attn(hidden_states=self.input_layernorm(hidden_states),
                                           position_embeddings=position_embeddings, attention_mask=None)
            h = hidden_states + attn
            return h + self.mlp(self.post_attention_layernorm(h)), weights

    class Model(nn.Module):
        def __init__(self, c):
            super().__init__()
            self.config = c
            self.embed_tokens = nn.Embedding(c.vocab_size, c.hidden_size)
            self.layers = nn.ModuleList([Layer(c, i) for i in range(c.num_hidden_layers)])
            self.norm = RMSNorm(c.hidden_size)
            self.rotary_emb = Rotary(c.head_dim, c.rope_theta)

        def forward(self, input_ids, attention_mask=None, output_attentions=False, output_hidden_states=False, use_cache=False):
            h = self.embed_tokens(input_ids)
            positions = torch.arange(input_ids.shape[1])[None, :]
            pe = self.rotary_emb(h, positions)
            attentions, states = [], [h]
            for layer in self.layers:
                h, w = layer(h, pe)
                attentions.append(w)
                states.append(h)
            states[-1] = self.norm(h)
            return types.SimpleNamespace(last_hidden_state=states[-1],
                                         attentions=tuple(attentions) if output_attentions else None,
                                         hidden_states=tuple(states) if output_hidden_states else None)

    class Tokenizer:  # words, with a <s> template token that covers no text
        def __init__(self, words):
            self.vocab = ["<s>"] + words

        def __call__(self, text, return_tensors=None, return_offsets_mapping=False):
            ids, offsets, at = [0], [(0, 0)], 0
            for word in text.split():
                start = text.index(word, at)
                at = start + len(word)
                ids.append(self.vocab.index(word))
                offsets.append((start, at))
            out = {"input_ids": torch.tensor([ids]), "attention_mask": torch.ones(1, len(ids), dtype=torch.long)}
            if return_offsets_mapping:
                out["offset_mapping"] = torch.tensor([offsets])
            return out

        def convert_ids_to_tokens(self, ids):
            return [self.vocab[i] for i in ids]

    def make(model_type, **overrides):
        c = types.SimpleNamespace(model_type=model_type, architectures=["TinyForCausalLM"], num_hidden_layers=3,
                                  num_attention_heads=4, num_key_value_heads=2, head_dim=8, hidden_size=24, vocab_size=40,
                                  rope_theta=10000.0, bias=False, qk_norm=False, sliding_window=None, sliding_layers=(),
                                  _name_or_path=f"tiny-{model_type}")
        for k, v in overrides.items():
            setattr(c, k, v)
        torch.manual_seed(7)
        model = Model(c)
        with torch.no_grad():
            for p in model.parameters():
                p.mul_(3.0)  # sharper attention than the default init gives
        return model

    return make, Tokenizer


TEXT = "the animal did not cross the road because it was tired"


class Torch(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        import torch
        cls.torch = torch
        make, Tokenizer = torch_models()
        cls.make = staticmethod(make)
        cls.tokenizer = Tokenizer(sorted(set(TEXT.split())))

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def own_attention(self, model):
        with self.torch.no_grad():
            ids = self.tokenizer(TEXT)["input_ids"]
            return model(ids, output_attentions=True).attentions

    def check(self, model, path, layers, tol):
        own = self.own_attention(model)
        worst = 0.0
        for layer in layers:
            for head in range(model.config.num_attention_heads):
                got = head_matrix(path, layer, head)
                want = own[layer][0, head].tolist()
                worst = max(worst, max(abs(a - b) for ra, rb in zip(got, want) for a, b in zip(ra, rb)))
        self.assertLess(worst, tol)
        return worst

    def test_qk_llama_like(self):
        model = self.make("llama", bias=True)
        path = os.path.join(self.dir.name, "llama.safetensors")
        meta = ax.save_trace(model, self.tokenizer, TEXT, path, dtype="f32", values=True)
        self.assertEqual(json.loads(meta["layers"]), [0, 1, 2])
        with open(path, "rb") as f:
            header = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))
        self.assertEqual(header["q.0"]["shape"], [4, 12, 8])
        self.assertEqual(header["k.0"]["shape"], [2, 12, 8])
        self.assertEqual(header["v.2"]["shape"], [2, 12, 8])
        self.assertNotIn("attentions.0", header)
        self.check(model, path, [0, 1, 2], 1e-5)
        # The hooks are gone: the model runs as before.
        self.assertIs(type(model.layers[0].self_attn).forward, model.layers[0].self_attn.forward.__func__)

    def test_qk_qwen3_like_norms_and_a_sliding_window(self):
        model = self.make("qwen3", qk_norm=True, sliding_window=3, sliding_layers=(0, 2))
        path = os.path.join(self.dir.name, "qwen3.safetensors")
        meta = ax.save_trace(model, self.tokenizer, TEXT, path, record="qk", dtype="f32")
        self.assertEqual(json.loads(meta["windows"]), [3, 0, 3])
        self.check(model, path, [0, 1, 2], 1e-5)

    def test_matrices_bf16_and_a_layer_subset(self):
        model = self.make("mistral")
        path = os.path.join(self.dir.name, "matrices.safetensors")
        ax.save_trace(model, self.tokenizer, TEXT, path, layers="1-2", record="matrices", dtype="bf16")
        self.check(model, path, [1, 2], 1e-2)
        status, out, err = cli("heads", "--trace", path)
        self.assertEqual(status, 0, err)
        self.assertEqual(sorted({h["layer"] for h in json.loads(out)["heads"]}), [1, 2])
        status, _, err = cli("rollout", "--trace", path)
        self.assertEqual(status, 2)
        self.assertIn("holds 2 of the model's 3", err)

    def test_tokens_offsets_and_hidden_states(self):
        model = self.make("llama")
        path = os.path.join(self.dir.name, "hidden.safetensors")
        ax.save_trace(model, self.tokenizer, TEXT, path, record="both", values=True, hidden=True, dtype="f16")
        status, out, err = cli("render", "--trace", path, "--view", "heatmap", "--layer", "2", "--head", "1",
                               "--out", os.path.join(self.dir.name, "h.svg"))
        self.assertEqual(status, 0, err)
        with open(os.path.join(self.dir.name, "h.svg"), encoding="utf-8") as f:
            svg = f.read()
        self.assertIn("animal", svg)
        self.check(model, path, [0, 1, 2], 5e-3)

    def test_refusals(self):
        model = self.make("llama")
        path = os.path.join(self.dir.name, "refused.safetensors")
        del model.layers[1].self_attn.k_proj
        with self.assertRaisesRegex(ax.ExportError, "has no k_proj: record it with --matrices"):
            ax.save_trace(model, self.tokenizer, TEXT, path, record="qk")
        self.assertFalse(os.path.exists(path))
        with self.assertRaisesRegex(ax.ExportError, "outside the model's layers 0 to 2"):
            ax.save_trace(self.make("llama"), self.tokenizer, TEXT, path, layers="2-5")
        with self.assertRaisesRegex(ax.ExportError, "dtype must be"):
            ax.save_trace(self.make("llama"), self.tokenizer, TEXT, path, dtype="f64")
        self.assertFalse(os.path.exists(path))


def main():
    which = sys.argv[1] if len(sys.argv) > 1 else "writer"
    if which == "torch":
        try:
            import torch  # noqa: F401
        except ImportError:
            print("SKIP: PyTorch is not installed here (apt install python3-torch); the exporter's recording is not tested")
            return 77
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(Torch if which == "torch" else Writer)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
