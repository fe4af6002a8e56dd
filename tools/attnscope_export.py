#!/usr/bin/env python3
"""Record a Hugging Face transformers model's attention as an AttnScope trace file.

A laptop cannot run a 70-billion-parameter model; a GPU server can. This module runs the model where
it fits (``device_map="auto"`` spreads it over every GPU, or machine, Accelerate reaches), records
each layer's attention and writes one safetensors file that ``attnscope TRACE.safetensors`` and
``attnscope-cli render|heads|rollout|compare --trace`` open without the model (docs/trace-format.md).

Two ways to record a layer:

* ``qk`` (the default for rotary decoders such as Llama, Mistral, Qwen and Gemma): the rotated
  queries ``q.{l}`` [heads, n, head_dim] and keys ``k.{l}`` [kv_heads, n, head_dim], taken by a
  hook around each attention module from the module's own projections, norms and the rotary
  cos/sin the model hands it. AttnScope rebuilds any head's matrix from them on demand: a
  4,096-token 80-layer trace is a few gigabytes this way instead of ~170 GB of matrices.
* ``matrices``: the softmaxed weights ``attentions.{l}`` [heads, n, n] that transformers returns
  with ``output_attentions=True`` (any architecture; load the model with
  ``attn_implementation="eager"``).

Command line::

    python3 -m attnscope_export --model meta-llama/Llama-3.1-70B --text "..." --out trace.safetensors \\
        [--layers 0-79] [--qk | --matrices] [--values] [--device-map auto] [--dtype bf16]

In a notebook::

    from attnscope_export import save_trace
    save_trace(model, tokenizer, "The animal didn't cross the road because it was tired.", "trace.safetensors")

Only PyTorch and transformers are needed; the file is written with the ``safetensors`` package when
it is installed, else with the small writer below (the format is a JSON header and raw tensors).
"""

import argparse
import json
import math
import os
import struct
import sys

FORMAT = "attnscope-trace"
VERSION = 1
DTYPES = {"f32": "F32", "f16": "F16", "bf16": "BF16"}
_SIZES = {"F32": 4, "F16": 2, "BF16": 2, "U8": 1}


class ExportError(Exception):
    """Bad input: a model, text or option the exporter cannot record (exit status 2)."""


def parse_layers(text, num_layers):
    """'all', '0-3,7' or '5' -> ascending model layer numbers, each in [0, num_layers)."""
    text = (text or "all").strip()
    if text == "all":
        return list(range(num_layers))
    layers = set()
    for part in text.split(","):
        part = part.strip()
        bounds = part.split("-")
        if not part or len(bounds) > 2 or not all(b.strip().isdigit() for b in bounds):
            raise ExportError(f"--layers: '{part}' is not a layer or a range such as 0-3 (layers are 0 to {num_layers - 1})")
        first, last = int(bounds[0]), int(bounds[-1])
        if first > last or last >= num_layers:
            raise ExportError(f"--layers: '{part}' is outside the model's layers 0 to {num_layers - 1}")
        layers.update(range(first, last + 1))
    return sorted(layers)


def write_trace_file(path, tensors, metadata):
    """Writes a safetensors file through a temporary renamed on success (no partial file is left).

    tensors: (name, dtype, shape, data) with dtype F32, F16, BF16 or U8 and data the little-endian
    bytes of a C-ordered array; metadata: str -> str, the trace's __metadata__.
    """
    header, offset = {}, 0
    for name, dtype, shape, data in tensors:
        if dtype not in _SIZES:
            raise ExportError(f"tensor '{name}': dtype {dtype} is not one a trace holds")
        want = math.prod(shape) * _SIZES[dtype]
        if len(data) != want:
            raise ExportError(f"tensor '{name}': {len(data)} bytes for shape {list(shape)} {dtype} ({want} expected)")
        header[name] = {"dtype": dtype, "shape": [int(s) for s in shape], "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blob = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    blob += b" " * (-len(blob) % 8)
    partial = path + ".partial"
    try:
        with open(partial, "wb") as out:
            out.write(struct.pack("<Q", len(blob)))
            out.write(blob)
            for _, _, _, data in tensors:
                out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise


# ---- recording from a PyTorch model ------------------------------------------------------------

def _torch():
    try:
        import torch
    except ImportError as e:
        raise ExportError("recording needs PyTorch (pip install torch, or apt install python3-torch)") from e
    return torch


def _text_config(model):
    config = model.config
    return getattr(config, "text_config", None) or config


def _layer_list(model, num_layers):
    """The decoder's layers: the ModuleList of num_layers blocks that each have an attention."""
    torch = _torch()
    for module in model.modules():
        if isinstance(module, torch.nn.ModuleList) and len(module) == num_layers:
            if all(hasattr(block, "self_attn") for block in module):
                return [block.self_attn for block in module]
    return None


def _rotate_half(x):
    torch = _torch()
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def _apply_rotary(x, cos, sin):
    """x (b, heads, n, d); cos, sin (b, n, r) with r <= d: the first r dimensions turn (the others
    pass, as in the partial-rotary models)."""
    torch = _torch()
    cos, sin = cos.unsqueeze(1).to(x.dtype), sin.unsqueeze(1).to(x.dtype)
    r = cos.shape[-1]
    turned = x[..., :r] * cos + _rotate_half(x[..., :r]) * sin
    return torch.cat((turned, x[..., r:]), dim=-1) if r < x.shape[-1] else turned


class _QkRecorder:
    """Wraps each chosen attention module's forward: before the module runs, its own projections
    (and q_norm / k_norm when it has them) and the rotary cos/sin it is given make the rotated q, k
    (and v), copied to the CPU in the trace's type at once so GPU memory stays as it was."""

    def __init__(self, modules, layers, head_dim, dtype, values):
        self.modules, self.layers, self.head_dim = modules, layers, head_dim
        self.dtype, self.values = dtype, values
        self.q, self.k, self.v = {}, {}, {}
        self._saved = []

    def __enter__(self):
        for layer in self.layers:
            module = self.modules[layer]
            for part in ("q_proj", "k_proj", "v_proj"):
                if not hasattr(module, part):
                    raise ExportError(f"layer {layer}'s attention ({type(module).__name__}) has no {part}: record it with --matrices")
            if getattr(module, "attn_logit_softcapping", None):
                raise ExportError(f"layer {layer} caps its attention scores (attn_logit_softcapping), which q and k alone do not "
                                  "rebuild: record it with --matrices")
            original = module.forward

            def wrapped(*args, _layer=layer, _module=module, _original=original, **kwargs):
                self._record(_layer, _module, args, kwargs)
                return _original(*args, **kwargs)

            module.forward = wrapped
            self._saved.append((module, original))
        return self

    def __exit__(self, *exc):
        for module, original in self._saved:
            if module.forward is not original:
                try:
                    del module.forward  # the class's own forward again (it was set on the instance)
                except AttributeError:
                    pass
                if module.forward != original:
                    module.forward = original
        self._saved.clear()

    def _record(self, layer, module, args, kwargs):
        torch = _torch()
        hidden = kwargs.get("hidden_states", args[0] if args else None)
        rotary = kwargs.get("position_embeddings", args[1] if len(args) > 1 else None)
        if hidden is None or rotary is None:
            raise ExportError(f"layer {layer}'s attention was called without hidden_states and position_embeddings (cos, sin): "
                              "not a rotary decoder as transformers writes them; record it with --matrices")
        cos, sin = rotary
        d = self.head_dim
        with torch.no_grad():
            device = module.q_proj.weight.device
            if device.type != "meta" and hidden.device != device:
                hidden = hidden.to(device)
            b, n, _ = hidden.shape
            q = module.q_proj(hidden).view(b, n, -1, d)
            k = module.k_proj(hidden).view(b, n, -1, d)
            if getattr(module, "q_norm", None) is not None:
                q = module.q_norm(q)
            if getattr(module, "k_norm", None) is not None:
                k = module.k_norm(k)
            q, k = q.transpose(1, 2), k.transpose(1, 2)  # (b, heads, n, d), (b, kv_heads, n, d)
            q, k = _apply_rotary(q, cos.to(q.device), sin.to(q.device)), _apply_rotary(k, cos.to(k.device), sin.to(k.device))
            self.q[layer] = q[0].to("cpu", self.dtype).contiguous()
            self.k[layer] = k[0].to("cpu", self.dtype).contiguous()
            if self.values:
                v = module.v_proj(hidden).view(b, n, -1, d).transpose(1, 2)
                self.v[layer] = v[0].to("cpu", self.dtype).contiguous()


def _tensor_bytes(tensor):
    torch = _torch()
    tensor = tensor.detach().to("cpu").contiguous()
    if tensor.dtype == torch.bfloat16:
        return tensor.view(torch.int16).numpy().tobytes()
    return tensor.numpy().tobytes()


def _write(path, named, metadata):
    """named: name -> CPU tensor. With the safetensors package when it is there."""
    try:
        from safetensors.torch import save_file
    except ImportError:
        save_file = None
    if save_file is not None:
        partial = path + ".partial"
        try:
            save_file(named, partial, metadata={str(k): str(v) for k, v in metadata.items()})
            os.replace(partial, path)
        except BaseException:
            if os.path.exists(partial):
                os.remove(partial)
            raise
        return
    torch = _torch()
    names = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.uint8: "U8"}
    write_trace_file(path, [(name, names[t.dtype], tuple(t.shape), _tensor_bytes(t)) for name, t in named.items()], metadata)


def _encode(tokenizer, text):
    """input ids (1, n), token strings and code-point offsets (template tokens: zero-width)."""
    try:
        encoded = tokenizer(text, return_tensors="pt", return_offsets_mapping=True)
        offsets = [tuple(int(x) for x in pair) for pair in encoded.pop("offset_mapping")[0].tolist()]
    except (NotImplementedError, TypeError, ValueError):  # a slow tokenizer: no offsets
        encoded = tokenizer(text, return_tensors="pt")
        offsets = None
    ids = encoded["input_ids"]
    if ids.shape[0] != 1 or ids.shape[1] < 1:
        raise ExportError("the text makes no tokens")
    tokens = [str(t) for t in tokenizer.convert_ids_to_tokens(ids[0].tolist())]
    return encoded, tokens, offsets


def _is_causal(config, model):
    if getattr(config, "is_encoder_decoder", False):
        raise ExportError("encoder-decoder models are not traced (their cross-attention is not one matrix per layer)")
    architectures = getattr(config, "architectures", None) or [type(model).__name__]
    return bool(getattr(config, "is_decoder", False)) or any(a.endswith(("ForCausalLM", "LMHeadModel", "ForConditionalGeneration"))
                                                            for a in architectures)


def save_trace(model, tokenizer, text, path, layers=None, record="auto", values=False, hidden=False, dtype="bf16",
               model_name=None, causal=None):
    """Runs `text` through `model` once and writes its attention as an AttnScope trace file.

    layers: 'all', '0-3,7' or a list of model layer numbers. record: 'qk' (rotated q and k; rotary
    decoders), 'matrices' (output_attentions), 'both', or 'auto' (qk when the model's attention
    modules take rotary position embeddings, else matrices). values: also v.{l} (qk and both).
    hidden: also hidden_states.{i}, i in 0..L. dtype: 'bf16', 'f16' or 'f32'. causal: None reads
    it from the config. Returns the metadata written.
    """
    torch = _torch()
    if dtype not in DTYPES:
        raise ExportError(f"dtype must be f32, f16 or bf16, not '{dtype}'")
    if record not in ("auto", "qk", "matrices", "both"):
        raise ExportError(f"record must be auto, qk, matrices or both, not '{record}'")
    config = _text_config(model)
    num_layers = int(config.num_hidden_layers)
    heads = int(config.num_attention_heads)
    kv_heads = int(getattr(config, "num_key_value_heads", None) or heads)
    head_dim = int(getattr(config, "head_dim", None) or config.hidden_size // heads)
    chosen = layers if isinstance(layers, (list, tuple)) else parse_layers(layers, num_layers)
    chosen = sorted(set(int(l) for l in chosen))
    if not chosen or chosen[0] < 0 or chosen[-1] >= num_layers:
        raise ExportError(f"layers must be within 0 to {num_layers - 1}")
    modules = _layer_list(model, num_layers)
    if record == "auto":
        rotary = modules is not None and all(hasattr(m, "q_proj") for m in modules)
        rope = any(getattr(config, a, None) is not None for a in ("rope_theta", "rope_parameters", "rope_scaling"))
        record = "qk" if rotary and rope else "matrices"
    want_qk, want_matrices = record in ("qk", "both"), record in ("matrices", "both")
    if want_qk and modules is None:
        raise ExportError(f"{type(model).__name__} has no list of {num_layers} layers with self_attn: record it with --matrices")
    if causal is None:
        causal = _is_causal(config, model)
    torch_dtype = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}[dtype]

    encoded, tokens, offsets = _encode(tokenizer, text)
    device = next((p.device for p in model.parameters() if p.device.type != "meta"), torch.device("cpu"))
    inputs = {k: v.to(device) for k, v in encoded.items() if k in ("input_ids", "attention_mask", "token_type_ids")}
    named = {}
    windows, scales = [], set()
    model_was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            if want_qk:
                with _QkRecorder(modules, chosen, head_dim, torch_dtype, values) as recorder:
                    out = model(**inputs, output_attentions=want_matrices, output_hidden_states=hidden, use_cache=False)
            else:
                out = model(**inputs, output_attentions=True, output_hidden_states=hidden, use_cache=False)
    finally:
        model.train(model_was_training)
    n = len(tokens)
    for layer in chosen:
        if want_matrices:
            attentions = getattr(out, "attentions", None)
            weights = attentions[layer] if attentions is not None and layer < len(attentions) else None
            if weights is None:
                raise ExportError("the model returned no attention weights: load it with attn_implementation=\"eager\" "
                                  "(its fused attention never forms the matrices), or record --qk")
            named[f"attentions.{layer}"] = weights[0].to("cpu", torch_dtype).contiguous()
        if want_qk:
            if layer not in recorder.q:
                raise ExportError(f"layer {layer}'s attention did not run")
            named[f"q.{layer}"] = recorder.q[layer]
            named[f"k.{layer}"] = recorder.k[layer]
            if values:
                named[f"v.{layer}"] = recorder.v[layer]
            module = modules[layer]
            windows.append(int(getattr(module, "sliding_window", None) or 0))
            scales.add(float(getattr(module, "scaling", head_dim ** -0.5)))
    if hidden:
        states = getattr(out, "hidden_states", None)
        if not states or len(states) != num_layers + 1:
            raise ExportError("the model returned no hidden states for every layer")
        for i, h in enumerate(states):
            named[f"hidden_states.{i}"] = h[0].to("cpu", torch_dtype).contiguous()
    for name, t in named.items():
        if t.shape[-2] != n:
            raise ExportError(f"{name} covers {t.shape[-2]} tokens, the text {n}")
    if len(scales) > 1:
        raise ExportError("the layers scale their scores differently; record --matrices")

    metadata = {
        "format": FORMAT, "version": str(VERSION),
        "model": model_name or getattr(model.config, "_name_or_path", "") or type(model).__name__,
        "model_type": str(getattr(config, "model_type", "")),
        "text": text,
        "tokens": json.dumps(tokens, ensure_ascii=False),
        "num_layers": str(num_layers), "num_heads": str(heads), "num_kv_heads": str(kv_heads), "head_dim": str(head_dim),
        "hidden_size": str(int(config.hidden_size)),
        "causal": "true" if causal else "false",
        "layers": json.dumps(chosen),
    }
    if offsets is not None:
        metadata["offsets"] = json.dumps([list(p) for p in offsets])
    if scales:
        metadata["scale"] = repr(scales.pop())
    if any(windows):
        metadata["windows"] = json.dumps(windows)
    _write(path, named, metadata)
    return metadata


def _load(args):
    try:
        import transformers
    except ImportError as e:
        raise ExportError("--model needs transformers (pip install transformers accelerate)") from e
    torch = _torch()
    kwargs = {}
    if args.device_map:
        kwargs["device_map"] = args.device_map
    if args.torch_dtype != "auto":
        kwargs["torch_dtype"] = getattr(torch, args.torch_dtype)
    else:
        kwargs["torch_dtype"] = "auto"
    if args.record in ("matrices", "both"):
        kwargs["attn_implementation"] = "eager"  # fused kernels never form the matrices
    if args.trust_remote_code:
        kwargs["trust_remote_code"] = True
    tokenizer = transformers.AutoTokenizer.from_pretrained(args.model, trust_remote_code=args.trust_remote_code)
    model = transformers.AutoModel.from_pretrained(args.model, **kwargs)
    return model, tokenizer


def main(argv=None):
    parser = argparse.ArgumentParser(prog="attnscope_export", description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="Hugging Face model id or folder")
    text = parser.add_mutually_exclusive_group(required=True)
    text.add_argument("--text", help="the input text")
    text.add_argument("--text-file", help="a UTF-8 file holding the input text")
    parser.add_argument("--out", required=True, help="the trace file to write (.safetensors)")
    parser.add_argument("--layers", default="all", help="layers to record, e.g. 0-79 or 0-3,40 (default: all)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--qk", dest="record", action="store_const", const="qk", help="rotated q and k per layer (rotary decoders)")
    mode.add_argument("--matrices", dest="record", action="store_const", const="matrices", help="the attention matrices")
    mode.add_argument("--both", dest="record", action="store_const", const="both", help="matrices and q, k")
    parser.set_defaults(record="auto")
    parser.add_argument("--values", action="store_true", help="also v per layer (with --qk or --both)")
    parser.add_argument("--hidden", action="store_true", help="also the hidden states of every layer")
    parser.add_argument("--dtype", default="bf16", choices=sorted(DTYPES), help="the trace's number type (default bf16)")
    parser.add_argument("--device-map", default=None, help="e.g. auto: Accelerate spreads the model over the GPUs and machines")
    parser.add_argument("--torch-dtype", default="auto", choices=["auto", "bfloat16", "float16", "float32"], help="weights' type")
    parser.add_argument("--trust-remote-code", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.text_file:
            with open(args.text_file, encoding="utf-8") as f:
                args.text = f.read()
        if not args.text:
            raise ExportError("the text is empty")
        out_dir = os.path.dirname(os.path.abspath(args.out))
        if not os.path.isdir(out_dir):
            raise ExportError(f"--out: no such folder {out_dir}")
        model, tokenizer = _load(args)
        meta = save_trace(model, tokenizer, args.text, args.out, layers=args.layers, record=args.record, values=args.values,
                          hidden=args.hidden, dtype=args.dtype, model_name=args.model)
        print(f"attnscope_export: wrote {args.out}: {len(json.loads(meta['tokens']))} tokens, "
              f"{len(json.loads(meta['layers']))} of {meta['num_layers']} layers", file=sys.stderr)
        return 0
    except ExportError as e:
        print(f"attnscope_export: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"attnscope_export: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
