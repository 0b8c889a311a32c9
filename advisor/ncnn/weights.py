"""How many weights an ncnn layer stores in its ``.bin``, read from the ``.param`` keys alone.

Why: the converted ONNX graph must carry the same parameter count as the network ncnn timed;
this count comes straight from the declared sizes (``weight_data_size`` and friends, per
ncnn's ``load_model`` of each layer), independent of how the converter builds its tensors.
int8 quantisation scales are not counted (they are per-channel metadata, not weights).
"""

from __future__ import annotations

from advisor.ncnn.param import NcnnLayer, NcnnNet


def weight_count(layer_or_net: NcnnLayer | NcnnNet) -> int:
    """Weight elements (weights + biases + constant data) of one layer or of a whole net."""
    if isinstance(layer_or_net, NcnnNet):
        return sum(weight_count(l) for l in layer_or_net.layers)
    L = layer_or_net
    t = L.type
    if t in ("Convolution", "ConvolutionDepthWise", "Deconvolution", "DeconvolutionDepthWise"):
        return int(L.get(6, 0)) + (int(L.get(0)) if int(L.get(5, 0)) else 0)
    if t == "InnerProduct":
        return int(L.get(2, 0)) + (int(L.get(0)) if int(L.get(1, 0)) else 0)
    if t == "BatchNorm":  # slope, mean, var, bias
        return 4 * int(L.get(0, 0))
    if t == "Scale":
        n = int(L.get(0, 0))
        return 0 if n == -233 else n * (2 if int(L.get(1, 0)) else 1)
    if t == "MemoryData":
        dims = [int(L.get(k, 0)) for k in (0, 1, 11, 2)]
        total = 1
        for d in dims:
            total *= d if d else 1
        return total
    if t == "LayerNorm":
        return 2 * int(L.get(0, 0)) if int(L.get(2, 1)) else 0
    if t == "MultiHeadAttention":
        e = int(L.get(0, 0))
        kdim, vdim = int(L.get(3, e)), int(L.get(4, e))
        return 2 * int(L.get(2, 0)) + e * kdim + e * vdim + 4 * e
    if t == "Gemm":
        m, n, k = int(L.get(7, 0)), int(L.get(8, 0)), int(L.get(9, 0))
        total = 0
        if int(L.get(4, 0)):
            total += m * k
        if int(L.get(5, 0)):
            total += n * k
        if int(L.get(6, 0)):
            total += {0: 1, 1: m, 2: m, 3: m * n, 4: n}.get(int(L.get(10, 0)), 0)
        return total
    if t == "PReLU":
        return int(L.get(0, 0))
    if t == "Padding":
        return int(L.get(6, 0))
    return 0
