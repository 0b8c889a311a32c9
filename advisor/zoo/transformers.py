"""Transformer networks with the op patterns of PyTorch / HF exports (opset 17).

Attention is MatMul -> Div(sqrt(d)) -> Add(mask) -> Softmax -> MatMul with Reshape/Transpose
around it; LayerNormalization for LayerNorm; GELU as the Erf pattern (GPT-2: the tanh pattern);
RMSNorm as Pow/ReduceMean/Add/Sqrt/Div/Mul; embeddings as Gather. Options shared by all:
``batch``, ``seq_len``, ``dynamic`` (symbolic ``batch`` and ``seq_len``; decoders also
``past_len``), ``graph_only`` (external, data-less weights; the default for configs above
``GRAPH_ONLY_PARAMS`` parameters), ``seed``.

Decoders (``gpt2``, ``llama``) have ``mode="prefill"`` (no cache in, present key/values out) or
``mode="decode"`` (``seq_len`` new tokens, default 1, with ``past_len`` cached positions in
``past_key_values.{i}.key/value`` inputs). Their inputs are ``input_ids``, ``attention_mask``
(``[batch, past_len + seq_len]``) and ``position_ids``, as optimum exports them.
"""

from __future__ import annotations

import math

import numpy as np
import onnx

from advisor.errors import InputError
from advisor.zoo.builder import GraphBuilder, T

GRAPH_ONLY_PARAMS = 150_000_000  # default to graph-only above this many parameters
_NEG = float(np.finfo(np.float32).min)


def _builder(opts: dict, params_estimate: int) -> GraphBuilder:
    go = opts.get("graph_only")
    if go is None:
        go = params_estimate > GRAPH_ONLY_PARAMS
    return GraphBuilder(seed=int(opts.get("seed", 0)), graph_only=bool(go))


def _dims(opts: dict, default_seq: int) -> tuple:
    dyn = bool(opts.get("dynamic"))
    batch = "batch" if dyn else int(opts.get("batch", 1))
    seq = "seq_len" if dyn else int(opts.get("seq_len", default_seq))
    if not dyn and (batch < 1 or seq < 1):
        raise InputError("batch and seq_len must be >= 1")
    return batch, seq


def _heads(b: GraphBuilder, x: T, heads: int, head_dim: int, perm=(0, 2, 1, 3)) -> T:
    """[B, S, H*D] -> Reshape [B, S, H, D] -> Transpose (default [B, H, S, D])."""
    return b.transpose(b.reshape(x, [0, 0, heads, head_dim]), list(perm))


def _merge_heads(b: GraphBuilder, x: T, hidden: int) -> T:
    """[B, H, S, D] -> Transpose [B, S, H, D] -> Reshape [B, S, H*D]."""
    return b.reshape(b.transpose(x, [0, 2, 1, 3]), [0, 0, hidden])


def _attention_core(b: GraphBuilder, q: T, kt: T, v: T, head_dim: int, mask: T | None) -> T:
    """softmax(q @ k^T / sqrt(d) + mask) @ v, as exporters write it."""
    s = b.div(b.matmul(q, kt), float(math.sqrt(head_dim)))
    if mask is not None:
        s = b.add(s, mask)
    return b.matmul(b.softmax(s, -1), v)


def _encoder_layer(b: GraphBuilder, x: T, hidden: int, heads: int, ffn: int, mask: T | None,
                   pre_norm: bool, eps: float) -> T:
    """One BERT (post-norm) or ViT (pre-norm) encoder layer."""
    hd = hidden // heads
    h = x
    if pre_norm:
        with b.scope("layernorm_before"):
            h = b.layernorm(x, eps)
    with b.scope("attention"):
        with b.scope("query"):
            q = _heads(b, b.linear(h, hidden), heads, hd)
        with b.scope("key"):
            kt = _heads(b, b.linear(h, hidden), heads, hd, perm=(0, 2, 3, 1))
        with b.scope("value"):
            v = _heads(b, b.linear(h, hidden), heads, hd)
        ctx = _merge_heads(b, _attention_core(b, q, kt, v, hd, mask), hidden)
        with b.scope("output.dense"):
            a = b.linear(ctx, hidden)
    x = b.add(a, x)
    if not pre_norm:
        with b.scope("attention.output.LayerNorm"):
            x = b.layernorm(x, eps)
        h = x
    else:
        with b.scope("layernorm_after"):
            h = b.layernorm(x, eps)
    with b.scope("intermediate.dense"):
        h = b.gelu(b.linear(h, ffn))
    with b.scope("output.dense"):
        h = b.linear(h, hidden)
    x = b.add(h, x)
    if not pre_norm:
        with b.scope("output.LayerNorm"):
            x = b.layernorm(x, eps)
    return x


# ----------------------------------------------------------------------------- ViT / DeiT
VIT_CONFIGS = {"tiny": (192, 12, 3), "small": (384, 12, 6), "base": (768, 12, 12),
               "large": (1024, 24, 16)}


def vit(size: str = "base", patch: int = 16, num_classes: int = 1000, **opts) -> onnx.ModelProto:
    """ViT / DeiT image classifier (pre-norm encoder, class token, learned position embedding)."""
    if size not in VIT_CONFIGS:
        raise InputError(f"vit size must be one of {sorted(VIT_CONFIGS)}")
    hidden, layers, heads = VIT_CONFIGS[size]
    res = int(opts.get("resolution", 224))
    patch = int(patch)
    if res % patch:
        raise InputError(f"resolution {res} must be a multiple of the patch size {patch}")
    n = (res // patch) ** 2
    b = _builder(opts, 12 * layers * hidden * hidden)
    batch = "batch" if opts.get("dynamic") else int(opts.get("batch", 1))
    x = b.input("input", (batch, 3, res, res))
    with b.scope("conv_proj"):
        x = b.conv(x, hidden, patch, patch, 0)
    x = b.transpose(b.reshape(x, [0, hidden, n]), [0, 2, 1])  # [B, N, D]
    cls = b.weight((1, 1, hidden), "class_token", std=0.02)
    bshape = b.shape_of(x, 0, 1)
    tgt = b.concat([bshape, b.constant([1, hidden], "int64")], 0)
    cls_b = b.op("Expand", [cls, tgt], [(batch, 1, hidden)])[0]
    x = b.concat([cls_b, x], 1)
    with b.scope("encoder"):
        x = b.add(x, b.weight((1, n + 1, hidden), "pos_embedding", std=0.02))
        for i in range(layers):
            with b.scope(f"layers.encoder_layer_{i}"):
                x = _encoder_layer(b, x, hidden, heads, 4 * hidden, None, True, 1e-6)
        with b.scope("ln"):
            x = b.layernorm(x, 1e-6)
    x = b.gather(x, b.constant(0, "int64"), axis=1)  # class token: [B, D]
    with b.scope("heads.head"):
        y = b.linear(x, num_classes)
    b.output(y, "logits")
    return b.build(f"vit_{size}")


# ----------------------------------------------------------------------------- BERT
BERT_CONFIGS = {"tiny": (2, 128, 2), "mini": (4, 256, 4), "small": (4, 512, 8),
                "medium": (8, 512, 8), "base": (12, 768, 12), "large": (24, 1024, 16)}


def bert(size: str = "base", vocab: int = 30522, max_pos: int = 512, **opts) -> onnx.ModelProto:
    """HF BertModel (post-norm, GELU-erf, pooler): inputs input_ids, attention_mask, token_type_ids."""
    if size not in BERT_CONFIGS:
        raise InputError(f"bert size must be one of {sorted(BERT_CONFIGS)}")
    layers, hidden, heads = BERT_CONFIGS[size]
    batch, seq = _dims(opts, 128)
    if isinstance(seq, int) and seq > max_pos:
        raise InputError(f"seq_len {seq} exceeds BERT's {max_pos} positions")
    b = _builder(opts, 12 * layers * hidden * hidden + vocab * hidden)
    ids = b.input("input_ids", (batch, seq), "int64")
    am = b.input("attention_mask", (batch, seq), "int64")
    tt = b.input("token_type_ids", (batch, seq), "int64")
    with b.scope("embeddings"):
        we = b.gather(b.weight((vocab, hidden), "word_embeddings.weight", std=0.02), ids)
        # position ids: a [1, max_pos] buffer sliced to the sequence length (Shape -> Slice)
        pos_buf = b.constant(np.arange(max_pos, dtype=np.int64)[None, :], "int64")
        seq_t = b.shape_of(ids, 1, 2)
        pos = b.slice(pos_buf, b.constant([0], "int64"), seq_t, [1], out_shape=(1, seq))
        pe = b.gather(b.weight((max_pos, hidden), "position_embeddings.weight", std=0.02), pos)
        te = b.gather(b.weight((2, hidden), "token_type_embeddings.weight", std=0.02), tt)
        x = b.add(b.add(we, te), pe)
        with b.scope("LayerNorm"):
            x = b.layernorm(x, 1e-12)
    # extended mask: (1 - mask[:, None, None, :]) * finfo.min
    m = b.cast(b.unsqueeze(am, [1, 2]), "float32")
    mask = b.mul(b.sub(1.0, m), _NEG)
    with b.scope("encoder"):
        for i in range(layers):
            with b.scope(f"layer.{i}"):
                x = _encoder_layer(b, x, hidden, heads, 4 * hidden, mask, False, 1e-12)
    b.output(x, "last_hidden_state")
    with b.scope("pooler.dense"):
        p = b.tanh(b.linear(b.gather(x, b.constant(0, "int64"), axis=1), hidden))
    b.output(p, "pooler_output")
    return b.build(f"bert_{size}")


# ----------------------------------------------------------------------------- decoders
def _decoder_io(b: GraphBuilder, opts: dict, layers: int, kv_heads: int, head_dim: int):
    """Inputs of an optimum-style decoder export; returns (ids, mask, pos, past, seq, past_len)."""
    mode = opts.get("mode", "prefill")
    if mode not in ("prefill", "decode"):
        raise InputError("mode must be 'prefill' or 'decode'")
    dyn = bool(opts.get("dynamic"))
    batch = "batch" if dyn else int(opts.get("batch", 1))
    if mode == "decode":
        seq = "seq_len" if dyn else int(opts.get("seq_len", 1))
        past = "past_len" if dyn else int(opts.get("past_len", 127))
        if not dyn and past < 1:
            raise InputError("decode needs past_len >= 1")
    else:
        seq = "seq_len" if dyn else int(opts.get("seq_len", 128))
        past = 0
    total = f"{past}+{seq}" if isinstance(past, str) or isinstance(seq, str) else past + seq
    if dyn and mode == "prefill":
        total = seq
    ids = b.input("input_ids", (batch, seq), "int64")
    am = b.input("attention_mask", (batch, total), "int64")
    pos = b.input("position_ids", (batch, seq), "int64")
    pasts = []
    if mode == "decode":
        for i in range(layers):
            pk = b.input(f"past_key_values.{i}.key", (batch, kv_heads, past, head_dim))
            pv = b.input(f"past_key_values.{i}.value", (batch, kv_heads, past, head_dim))
            pasts.append((pk, pv))
    return ids, am, pos, pasts, batch, seq, total


def _causal_mask(b: GraphBuilder, ids: T, am: T, batch, seq, total) -> T:
    """Additive [B, 1, S, T] mask: causal (Trilu with k = past_len) times padding, -> 0 / min."""
    s_t = b.shape_of(ids, 1, 2)
    t_t = b.shape_of(am, 1, 2)
    ones = b.op("ConstantOfShape", [b.concat([s_t, t_t], 0)], [(seq, total)],
                dtypes=[onnx.TensorProto.FLOAT],
                value=onnx.helper.make_tensor("value", onnx.TensorProto.FLOAT, [1], [1.0]))[0]
    k = b.squeeze(b.sub(t_t, s_t), [0])
    tril = b.op("Trilu", [ones, k], [(seq, total)], upper=0)[0]
    pad = b.cast(b.unsqueeze(am, [1, 2]), "float32")  # [B, 1, 1, T]
    allowed = b.mul(tril, pad)  # [B, 1, S, T]
    return b.mul(b.sub(1.0, allowed), _NEG)


GPT2_CONFIGS = {"small": (12, 768, 12), "medium": (24, 1024, 16), "large": (36, 1280, 20),
                "xl": (48, 1600, 25), "tiny": (2, 128, 2)}


def gpt2(size: str = "small", vocab: int = 50257, max_pos: int = 1024, **opts) -> onnx.ModelProto:
    """HF GPT-2 (pre-norm, fused c_attn split into q/k/v, gelu_new, tied lm_head), KV-cache I/O."""
    if size not in GPT2_CONFIGS:
        raise InputError(f"gpt2 size must be one of {sorted(GPT2_CONFIGS)}")
    layers, hidden, heads = GPT2_CONFIGS[size]
    hd = hidden // heads
    b = _builder(opts, 12 * layers * hidden * hidden + vocab * hidden)
    ids, am, pos, pasts, batch, seq, total = _decoder_io(b, opts, layers, heads, hd)
    if isinstance(total, int) and total > max_pos:
        raise InputError(f"past_len + seq_len = {total} exceeds GPT-2's {max_pos} positions")
    wte = b.weight((vocab, hidden), "transformer.wte.weight", std=0.02)
    x = b.add(b.gather(wte, ids), b.gather(b.weight((max_pos, hidden), "transformer.wpe.weight",
                                                     std=0.02), pos))
    mask = _causal_mask(b, ids, am, batch, seq, total)
    for i in range(layers):
        with b.scope(f"transformer.h.{i}"):
            with b.scope("ln_1"):
                h = b.layernorm(x, 1e-5)
            with b.scope("attn"):
                with b.scope("c_attn"):
                    qkv = b.linear(h, 3 * hidden)
                q, k, v = b.split(qkv, [hidden] * 3, axis=2)
                q, k, v = (_heads(b, t, heads, hd) for t in (q, k, v))
                if pasts:
                    k = b.concat([pasts[i][0], k], 2)
                    v = b.concat([pasts[i][1], v], 2)
                b.output(k, f"present.{i}.key")
                b.output(v, f"present.{i}.value")
                ctx = _attention_core(b, q, b.transpose(k, [0, 1, 3, 2]), v, hd, mask)
                with b.scope("c_proj"):
                    a = b.linear(_merge_heads(b, ctx, hidden), hidden)
            x = b.add(x, a)
            with b.scope("ln_2"):
                h = b.layernorm(x, 1e-5)
            with b.scope("mlp"):
                with b.scope("c_fc"):
                    h = b.gelu(b.linear(h, 4 * hidden), approx="tanh")
                with b.scope("c_proj"):
                    h = b.linear(h, hidden)
            x = b.add(x, h)
    with b.scope("transformer.ln_f"):
        x = b.layernorm(x, 1e-5)
    logits = _tied_head(b, x, wte)
    b.output(logits, "logits")
    _order_outputs(b)
    return b.build(f"gpt2_{size}")


def _tied_head(b: GraphBuilder, x: T, table: T) -> T:
    """lm_head tied to the embedding table: Reshape to 2-D, Gemm(transB=1), Reshape back, so
    the one [vocab, hidden] initializer is shared (no transposed copy)."""
    vocab = table.shape[0]
    lead = b.shape_of(x, 0, 2)
    y = b.op("Gemm", [b.reshape(x, [-1, int(x.shape[-1])]), table],
             [(_flat(x.shape[:2]), vocab)], transB=1)[0]
    tgt = b.concat([lead, b.constant([vocab], "int64")], 0)
    return b.op("Reshape", [y, tgt], [x.shape[:2] + (vocab,)])[0]


def _flat(dims) -> object:
    from advisor.zoo.builder import _prod
    return _prod(dims)


def _order_outputs(b: GraphBuilder) -> None:
    """Put ``logits`` first, then present.* in layer order, as optimum does."""
    b.outputs.sort(key=lambda o: (o.name != "logits",))


# name: (layers, hidden, heads, kv_heads, intermediate, vocab, tied, rope_theta)
LLAMA_CONFIGS = {
    "tiny": (2, 256, 4, 2, 688, 1000, False, 10000.0),
    "tinyllama_1b": (22, 2048, 32, 4, 5632, 32000, False, 10000.0),
    "llama32_1b": (16, 2048, 32, 8, 8192, 128256, True, 500000.0),
    "llama32_3b": (28, 3072, 24, 8, 8192, 128256, True, 500000.0),
    "llama2_7b": (32, 4096, 32, 32, 11008, 32000, False, 10000.0),
    "llama3_8b": (32, 4096, 32, 8, 14336, 128256, False, 500000.0),
}


def llama(size: str = "tiny", **opts) -> onnx.ModelProto:
    """HF Llama decoder: RMSNorm, rotary embedding, grouped-query attention, SwiGLU MLP."""
    if size not in LLAMA_CONFIGS:
        raise InputError(f"llama size must be one of {sorted(LLAMA_CONFIGS)}")
    return llama_decoder(LLAMA_CONFIGS[size], f"llama_{size}", **opts)


def llama_decoder(config: tuple, name: str, **opts) -> onnx.ModelProto:
    """A Llama-style decoder of ``config`` = (layers, hidden, heads, kv heads, MLP width, vocab,
    tied head, RoPE theta), as in ``LLAMA_CONFIGS``."""
    layers, hidden, heads, kvh, inter, vocab, tied, theta = config
    hd = hidden // heads
    rep = heads // kvh
    est = layers * (2 * hidden * hidden + 2 * hidden * kvh * hd + 3 * hidden * inter) + vocab * hidden
    b = _builder(opts, est)
    ids, am, pos, pasts, batch, seq, total = _decoder_io(b, opts, layers, kvh, hd)
    emb = b.weight((vocab, hidden), "model.embed_tokens.weight", std=0.02)
    x = b.gather(emb, ids)
    mask = _causal_mask(b, ids, am, batch, seq, total)
    with b.scope("model.rotary_emb"):
        inv_freq = b.constant((1.0 / theta ** (np.arange(0, hd, 2, dtype=np.float32) / hd)).astype(np.float32))
        f = b.mul(b.unsqueeze(b.cast(pos, "float32"), [-1]), inv_freq)  # [B, S, D/2]
        emb_f = b.concat([f, f], -1)
        cos = b.unsqueeze(b.op("Cos", [emb_f], [emb_f.shape])[0], [1])  # [B, 1, S, D]
        sin = b.unsqueeze(b.op("Sin", [emb_f], [emb_f.shape])[0], [1])

    def rope(t: T) -> T:
        half = hd // 2
        x1 = b.slice(t, [0], [half], [3])
        x2 = b.slice(t, [half], [hd], [3])
        rot = b.concat([b.neg(x2), x1], -1)
        return b.add(b.mul(t, cos), b.mul(rot, sin))

    def repeat_kv(t: T) -> T:
        if rep == 1:
            return t
        e = b.expand(b.unsqueeze(t, [2]), [1, 1, rep, 1, 1])
        return b.reshape(e, [0, heads, -1, hd])

    for i in range(layers):
        with b.scope(f"model.layers.{i}"):
            with b.scope("input_layernorm"):
                h = b.rmsnorm(x, 1e-5)
            with b.scope("self_attn"):
                with b.scope("q_proj"):
                    q = _heads(b, b.linear(h, heads * hd, bias=False), heads, hd)
                with b.scope("k_proj"):
                    k = _heads(b, b.linear(h, kvh * hd, bias=False), kvh, hd)
                with b.scope("v_proj"):
                    v = _heads(b, b.linear(h, kvh * hd, bias=False), kvh, hd)
                q, k = rope(q), rope(k)
                if pasts:
                    k = b.concat([pasts[i][0], k], 2)
                    v = b.concat([pasts[i][1], v], 2)
                b.output(k, f"present.{i}.key")
                b.output(v, f"present.{i}.value")
                kt = b.transpose(repeat_kv(k), [0, 1, 3, 2])
                ctx = _attention_core(b, q, kt, repeat_kv(v), hd, mask)
                with b.scope("o_proj"):
                    a = b.linear(_merge_heads(b, ctx, heads * hd), hidden, bias=False)
            x = b.add(x, a)
            with b.scope("post_attention_layernorm"):
                h = b.rmsnorm(x, 1e-5)
            with b.scope("mlp"):
                with b.scope("gate_proj"):
                    g = b.silu(b.linear(h, inter, bias=False))
                with b.scope("up_proj"):
                    u = b.linear(h, inter, bias=False)
                with b.scope("down_proj"):
                    h = b.linear(b.mul(g, u), hidden, bias=False)
            x = b.add(x, h)
    with b.scope("model.norm"):
        x = b.rmsnorm(x, 1e-5)
    if tied:
        logits = _tied_head(b, x, emb)
    else:
        with b.scope("lm_head"):
            logits = b.linear(x, vocab, bias=False)
    b.output(logits, "logits")
    _order_outputs(b)
    return b.build(name)
