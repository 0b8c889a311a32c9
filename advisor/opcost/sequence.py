"""Costs of recurrent layers and fused attention operators.

Recurrent cells: per time step and direction, the gate matrix products over input and hidden
state (4 gates for LSTM, 3 for GRU, 1 for RNN) plus a handful of elementwise ops per gate.
Fused attention (onnxruntime contrib ops, ONNX Attention): the projections it contains, the
score and context products, and the softmax.
"""

from __future__ import annotations

from advisor.opcost.registry import NodeView, OpCost, per_output_element, register

_GATES = {"LSTM": 4, "GRU": 3, "RNN": 1}
_ELEMENTWISE_PER_GATE = {"LSTM": 3, "GRU": 4, "RNN": 2}


@register("LSTM", "GRU", "RNN", category="rnn")
def recurrent(node: NodeView) -> OpCost:
    x, w = node.in_shape(0), node.in_shape(1)
    hidden = node.attr("hidden_size")
    if x is None or w is None or not hidden:
        return OpCost()
    layout = node.attr("layout", 0)
    seq, batch, features = (x[1], x[0], x[2]) if layout else (x[0], x[1], x[2])
    directions = w[0]
    gates = _GATES[node.op_type]
    macs = seq * batch * directions * gates * hidden * (features + hidden)
    pointwise = seq * batch * directions * gates * hidden * _ELEMENTWISE_PER_GATE[node.op_type]
    return OpCost(flops=2 * macs + pointwise, macs=macs)


def _attention_core(batch: int, heads: int, q_len: int, kv_len: int, head_dim: int,
                    v_head_dim: int | None = None) -> tuple[int, int]:
    """(MACs, softmax FLOPs) of softmax(Q K^T) V for one attention call."""
    v_head_dim = v_head_dim or head_dim
    macs = batch * heads * q_len * kv_len * (head_dim + v_head_dim)
    softmax = 5 * batch * heads * q_len * kv_len
    return macs, softmax


@register("Attention", category="attention", domain="com.microsoft")
def contrib_attention(node: NodeView) -> OpCost:
    """com.microsoft Attention: input (B, S, H_in) x packed QKV weights (H_in, 3H), plus the core."""
    x, w = node.in_shape(0), node.in_shape(1)
    heads = node.attr("num_heads")
    if x is None or w is None or not heads or len(x) != 3:
        return OpCost()
    batch, seq, hidden_in = x
    qkv = w[1]
    sizes = node.attr("qkv_hidden_sizes") or [qkv // 3] * 3
    past = node.in_shape(4)
    past_len = past[3] if past is not None and len(past) == 5 else 0
    projection = batch * seq * hidden_in * qkv
    core, softmax = _attention_core(batch, heads, seq, seq + past_len, sizes[0] // heads,
                                    sizes[2] // heads)
    bias = batch * seq * qkv if node.has_input(2) else 0
    return OpCost(flops=2 * (projection + core) + softmax + bias, macs=projection + core)


def _q_and_kv_len(node: NodeView, key_index: int, past_index: int | None) -> tuple | None:
    q = node.in_shape(0)
    if q is None or len(q) not in (3, 4):
        return None
    heads = node.attr("num_heads") or (q[1] if len(q) == 4 else None)
    if not heads:
        return None
    if len(q) == 4:  # (B, N, S, d)
        batch, _, q_len, head_dim = q
    else:  # (B, S, N*d)
        batch, q_len, hidden = q
        head_dim = hidden // heads
    kv_len = q_len
    key = node.in_shape(key_index)
    if key is not None and len(key) in (3, 4):
        kv_len = key[2] if len(key) == 4 else key[1]
    present = node.out_shape(1)
    if present is not None and len(present) == 4:
        kv_len = present[2]
    return batch, heads, q_len, kv_len, head_dim


@register("MultiHeadAttention", "GroupQueryAttention", "PackedMultiHeadAttention",
          "DecoderMaskedMultiHeadAttention", category="attention", domain="com.microsoft")
def contrib_mha(node: NodeView) -> OpCost:
    """Projected Q, K, V in; scores and context out. GQA shares K/V heads but not the work."""
    dims = _q_and_kv_len(node, key_index=1, past_index=None)
    if dims is None:
        return OpCost()
    macs, softmax = _attention_core(*dims)
    return OpCost(flops=2 * macs + softmax, macs=macs)


@register("Attention", category="attention")
def onnx_attention(node: NodeView) -> OpCost:
    """ONNX (opset 23) Attention: Q, K, V given as (B, N, S, d) or (B, S, N*d)."""
    q, k, v = node.in_shape(0), node.in_shape(1), node.in_shape(2)
    if q is None or k is None or v is None:
        return OpCost()
    if len(q) == 4:
        batch, heads, q_len, head_dim = q
        kv_len, v_dim = k[2], v[3]
    else:
        heads = node.attr("q_num_heads") or 1
        batch, q_len, hidden = q
        head_dim = hidden // heads
        kv_len = k[1]
        v_dim = v[2] // (node.attr("kv_num_heads") or heads)
    present = node.out_shape(1)
    if present is not None and len(present) == 4:
        kv_len = present[2]
    macs, softmax = _attention_core(batch, heads, q_len, kv_len, head_dim, v_dim)
    return OpCost(flops=2 * macs + softmax, macs=macs)


register("RotaryEmbedding", category="elementwise", domain="com.microsoft")(per_output_element(3))
register("RotaryEmbedding", category="elementwise")(per_output_element(3))
