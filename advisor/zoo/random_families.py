"""Random network families for coverage: widths, depths, kernels, expansions, heads, lengths.

Every architecture choice is drawn from ``numpy.random.default_rng(seed)``, so a recipe such as
``random_cnn:seed=3`` always names the same graph. Options given explicitly (``batch``,
``resolution``, ``seq_len``...) override the drawn ones; the drawn architecture itself depends
on ``seed`` only, so ``random_cnn:seed=3,batch=8`` is the same network at batch 8.
"""

from __future__ import annotations

import numpy as np
import onnx

from advisor.errors import InputError
from advisor.zoo.builder import GraphBuilder, T
from advisor.zoo.cnn import _inverted_residual, classifier_head, finish, image_input, new_builder
from advisor.zoo.transformers import _builder, _causal_mask, _encoder_layer, llama_decoder


def _rng(opts: dict) -> np.random.Generator:
    seed = int(opts.get("seed", 0))
    if seed < 0:
        raise InputError("seed must be >= 0")
    return np.random.default_rng(seed)


def random_cnn(**opts) -> onnx.ModelProto:
    """A random convnet: 2-5 stages of plain / residual / MBConv / depthwise-separable blocks."""
    rng = _rng(opts)
    res = int(rng.choice([64, 96, 128, 160, 192, 224]))
    act = str(rng.choice(["relu", "relu6", "hardswish", "silu"]))
    n_stages = int(rng.integers(2, 6))
    stages = []
    width = int(rng.choice([16, 24, 32, 48, 64]))
    for _ in range(n_stages):
        width = int(min(1024, width * rng.choice([1.5, 2.0, 2.5]) // 8 * 8))
        stages.append(dict(kind=str(rng.choice(["plain", "residual", "mbconv", "dwsep"])),
                           depth=int(rng.integers(1, 5)), width=width,
                           k=int(rng.choice([3, 5, 7])), e=int(rng.choice([1, 3, 4, 6])),
                           se=bool(rng.random() < 0.3)))
    stem_c = int(rng.choice([16, 24, 32, 48, 64]))
    opts.setdefault("resolution", res)
    b = new_builder(opts)
    x = image_input(b, opts, res)
    x = b.conv_bn_act(x, stem_c, 3, 2, act=act, name="stem")
    for si, st in enumerate(stages):
        for j in range(st["depth"]):
            stride = 2 if j == 0 else 1
            with b.scope(f"stages.{si}.{j}"):
                x = _random_block(b, x, st, stride, act)
    x = b.conv_bn_act(x, int(rng.choice([256, 512, 1024, 1280])), 1, 1, act=act, name="head")
    return finish(b, classifier_head(b, x, int(opts.get("num_classes", 1000))),
                  f"random_cnn_{opts.get('seed', 0)}")


def _random_block(b: GraphBuilder, x: T, st: dict, stride: int, act: str) -> T:
    c, k, kind = st["width"], st["k"], st["kind"]
    inp = int(x.shape[1])
    if kind == "plain":
        return b.conv_bn_act(x, c, k, stride, act=act, name="conv")
    if kind == "dwsep":
        y = b.conv_bn_act(x, inp, k, stride, groups=inp, act=act, name="dw")
        return b.conv_bn_act(y, c, 1, 1, act=act, name="pw")
    if kind == "mbconv":
        return _inverted_residual(b, x, c, k, stride, max(8, inp * st["e"]), act,
                                  se=max(8, inp // 4) if st["se"] else 0)
    y = b.conv_bn_act(x, c, k, stride, act=act, name="conv1")
    y = b.conv_bn_act(y, c, k, 1, act=None, name="conv2")
    sc = x if (stride == 1 and inp == c) else b.conv_bn_act(x, c, 1, stride, act=None, name="down")
    return b.act(b.add(y, sc), act)


def random_transformer(**opts) -> onnx.ModelProto:
    """A random BERT-like encoder (or causal when drawn): layers, hidden, heads, FFN ratio, length."""
    rng = _rng(opts)
    heads = int(rng.choice([1, 2, 4, 8, 12, 16]))
    head_dim = int(rng.choice([32, 48, 64, 80, 128]))
    hidden = heads * head_dim
    layers = int(rng.integers(1, 13))
    ffn = int(hidden * rng.choice([2, 3, 4]))
    vocab = int(rng.choice([1000, 8000, 30522, 32000]))
    seq_default = int(rng.choice([16, 32, 64, 128, 256, 384, 512]))
    pre_norm = bool(rng.random() < 0.5)
    causal = bool(rng.random() < 0.3)
    dyn = bool(opts.get("dynamic"))
    batch = "batch" if dyn else int(opts.get("batch", 1))
    seq = "seq_len" if dyn else int(opts.get("seq_len", seq_default))
    b = _builder(opts, layers * 12 * hidden * hidden + vocab * hidden)
    ids = b.input("input_ids", (batch, seq), "int64")
    am = b.input("attention_mask", (batch, seq), "int64")
    with b.scope("embeddings"):
        x = b.gather(b.weight((vocab, hidden), "word_embeddings.weight", std=0.02), ids)
        max_pos = 4096
        pos_buf = b.constant(np.arange(max_pos, dtype=np.int64)[None, :], "int64")
        pos = b.slice(pos_buf, b.constant([0], "int64"), b.shape_of(ids, 1, 2), [1], out_shape=(1, seq))
        x = b.add(x, b.gather(b.weight((max_pos, hidden), "position_embeddings.weight", std=0.02), pos))
        with b.scope("LayerNorm"):
            x = b.layernorm(x, 1e-12)
    if causal:
        mask = _causal_mask(b, ids, am, batch, seq, seq)
    else:
        mask = b.mul(b.sub(1.0, b.cast(b.unsqueeze(am, [1, 2]), "float32")),
                     float(np.finfo(np.float32).min))
    with b.scope("encoder"):
        for i in range(layers):
            with b.scope(f"layer.{i}"):
                x = _encoder_layer(b, x, hidden, heads, ffn, mask, pre_norm, 1e-12)
    b.output(x, "last_hidden_state")
    return b.build(f"random_transformer_{opts.get('seed', 0)}")


def random_decoder(**opts) -> onnx.ModelProto:
    """A random Llama-style decoder (RMSNorm, RoPE, grouped-query attention, SwiGLU): layers,
    heads, head size, KV heads, MLP width, vocabulary and tied head drawn from the seed; prefill
    or one-token decode with a cache (``mode``, ``past_len``) as for ``llama``. The random
    encoders are BERT-style (LayerNorm, GELU): without these, no training graph but Llama's
    own had the Llama block."""
    rng = _rng(opts)
    heads = int(rng.choice([2, 4, 8, 16]))
    head_dim = int(rng.choice([32, 64, 128]))
    hidden = heads * head_dim
    kv_heads = max(1, heads // int(rng.choice([1, 2, 4])))
    layers = int(rng.integers(1, 9))
    inter = int(round(hidden * float(rng.choice([2.0, 8 / 3, 3.5, 4.0])) / 16) * 16)
    vocab = int(rng.choice([1000, 8000, 32000]))
    tied = bool(rng.random() < 0.5)
    return llama_decoder((layers, hidden, heads, kv_heads, inter, vocab, tied, 10000.0),
                         f"random_decoder_{opts.get('seed', 0)}", **opts)


def random_mlp(**opts) -> onnx.ModelProto:
    """A random MLP: 1-6 Gemm layers of widths 32..4096."""
    from advisor.zoo.misc import mlp

    rng = _rng(opts)
    depth = int(rng.integers(1, 7))
    hidden = "-".join(str(int(rng.choice([32, 64, 128, 256, 512, 1024, 2048, 4096])))
                      for _ in range(depth))
    in_f = int(opts.pop("in_features", rng.choice([64, 256, 784, 1024, 4096])))
    act = str(rng.choice(["relu", "gelu", "silu", "tanh"]))
    return mlp(in_features=in_f, hidden=hidden, act=act,
               num_classes=int(opts.pop("num_classes", rng.choice([10, 100, 1000]))), **opts)
