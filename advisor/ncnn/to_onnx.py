"""Convert an ncnn network (``.param``) into an equivalent ONNX graph.

Why: the ncnn benchmark rows time exactly these networks; converting them gives the predictor the
same graph (same layers, shapes and parameter counts) and lets it be timed here with onnxruntime.

Layout: an ncnn blob of shape ``(w,)``, ``(w, h)`` or ``(w, h, c)`` (innermost first) becomes the
ONNX tensor ``[batch, ...reversed]`` (``[N, C, H, W]``), so an ncnn axis ``a`` (outermost first,
as ncnn counts them) is ONNX axis ``a + 1`` and ncnn's outer-aligned broadcasting is ONNX
broadcasting after padding the smaller operand with trailing 1s.

Weights are random (``graph_only=False``) or data-less external initializers (``graph_only``).
int8 layers (``int8_scale_term`` key 8) become QDQ patterns: the input is quantised per tensor,
the int8 weight dequantised per output channel, the bias stored as int32, and layers that ncnn
requantises (``int8_scale_term > 100``) quantise their output again; onnxruntime fuses this into
QLinearConv / QGemm, the way static int8 models are run.

Detection post-processing (PriorBox, DetectionOutput, Yolo*DetectionOutput) has no ONNX
equivalent: with ``postprocess="omit"`` (default) PriorBox becomes a weightless
``ConstantOfShape`` of the right shape and the detection layers are dropped, their inputs
becoming graph outputs; ``postprocess="custom"`` keeps them as nodes in the ``ncnn`` domain
(analysable, not runnable). Either way the model's ``metadata_props`` record what was done.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Callable

import numpy as np
import onnx
from onnx import TensorProto, helper

from advisor.errors import AdvisorError, InputError
from advisor.ncnn.param import NcnnLayer, NcnnNet, read_param
from advisor.zoo.builder import GraphBuilder, T, check_model

NcnnShape = tuple[int, ...]
CUSTOM_DOMAIN = "ncnn"
POSTPROCESS = ("PriorBox", "DetectionOutput", "YoloDetectionOutput", "Yolov3DetectionOutput")

_HANDLERS: dict[str, Callable[["_Converter", NcnnLayer], None]] = {}


def _handles(*types: str):
    def deco(fn):
        for t in types:
            _HANDLERS[t] = fn
        return fn
    return deco


def supported_layer_types() -> list[str]:
    """ncnn layer types the converter knows."""
    return sorted(_HANDLERS)


class _Converter:
    """Walks the layers in file order, keeping each blob's ONNX tensor and ncnn shape."""

    def __init__(self, net: NcnnNet, b: GraphBuilder, batch: int, postprocess: str) -> None:
        self.net, self.b, self.batch, self.postprocess = net, b, batch, postprocess
        self.blobs: dict[str, tuple[T, NcnnShape]] = {}
        self.notes: list[str] = []
        self.expand: dict[str, list[str]] = {}  # blob -> blobs standing for it as outputs
        self.rng = np.random.default_rng(0)

    # ------------------------------------------------------------- blobs and shapes
    def oshape(self, s: NcnnShape) -> tuple[int, ...]:
        return (self.batch,) + tuple(reversed(s))

    def get(self, blob: str) -> tuple[T, NcnnShape]:
        if blob not in self.blobs:
            raise AdvisorError(f"{self.net.name}: blob {blob!r} used before it is produced")
        return self.blobs[blob]

    def set(self, blob: str, t: T, s: NcnnShape) -> None:
        s = tuple(int(v) for v in s)
        if tuple(t.shape) != self.oshape(s):
            raise AdvisorError(f"{self.net.name}: internal shape mismatch for {blob}: "
                               f"{t.shape} vs ncnn {s}")
        self.blobs[blob] = (t, s)

    def op(self, op_type: str, inputs: list, s: NcnnShape, domain: str = "", **attrs) -> T:
        return self.b.op(op_type, inputs, [self.oshape(s)], domain=domain, **attrs)[0]

    def reshape(self, x: T, s: NcnnShape) -> T:
        shape = self.oshape(s)
        if tuple(x.shape) == shape:
            return x
        return self.b.op("Reshape", [x, self.b.constant(list(shape), "int64")], [shape])[0]

    @staticmethod
    def onnx_axis(axis: int, dims: int) -> int:
        a = axis + dims if axis < 0 else axis
        if not 0 <= a < dims:
            raise InputError(f"axis {axis} out of range for a {dims}-d blob")
        return a + 1

    # ------------------------------------------------------------- weights
    def weight(self, shape, leaf: str, fan_in: int = 1, std: float | None = None) -> T:
        return self.b.weight(tuple(int(v) for v in shape), leaf,
                             std=std if std is not None else 1.0 / math.sqrt(max(fan_in, 1)))

    def int_weight(self, shape, leaf: str, dtype: int) -> T:
        shape = tuple(int(v) for v in shape)
        if self.b.graph_only:
            return self.b.weight(shape, leaf, dtype=dtype)
        if dtype == TensorProto.INT8:
            arr = self.rng.integers(-127, 128, size=shape, dtype=np.int8)
        else:
            arr = self.rng.integers(-1000, 1000, size=shape).astype(np.int32)
        return self.b.initializer(arr, leaf)

    def qdq(self, x: T, scale: float | np.ndarray, axis: int | None = None) -> T:
        """QuantizeLinear -> DequantizeLinear (int8, zero point 0): a tensor ncnn keeps in int8."""
        sc = self.b.constant(np.asarray(scale, np.float32))
        zp = self.b.constant(np.zeros(np.shape(scale), np.int8), TensorProto.INT8)
        q = self.b.op("QuantizeLinear", [x, sc, zp], [x.shape], dtypes=[TensorProto.INT8],
                      axis=axis)[0]
        return self.b.op("DequantizeLinear", [q, sc, zp], [x.shape], dtypes=[TensorProto.FLOAT],
                         axis=axis)[0]

    def dq_weight(self, shape, leaf: str, per_channel: bool, dtype=TensorProto.INT8,
                  scale: np.ndarray | None = None) -> T:
        """An int8 (or int32 bias) initializer dequantised by per-channel (axis 0) scales."""
        w = self.int_weight(shape, leaf, dtype)
        n = int(shape[0])
        if scale is None:
            scale = np.full(n if per_channel else (), 0.01, np.float32)
        sc = self.b.constant(scale)
        zp = self.b.constant(np.zeros(np.shape(scale), np.int8 if dtype == TensorProto.INT8 else np.int32),
                             dtype)
        return self.b.op("DequantizeLinear", [w, sc, zp], [w.shape], dtypes=[TensorProto.FLOAT],
                         axis=0 if np.ndim(scale) else None)[0]

    # ------------------------------------------------------------- activations
    def activation(self, x: T, kind: int, params: list, s: NcnnShape) -> T:
        """ncnn fused activation (key 9 of Convolution/InnerProduct): 0 none ... 6 hardswish."""
        p = [float(v) for v in (params or [])]
        if kind == 0:
            return x
        if kind == 1:
            return self.op("Relu", [x], s)
        if kind == 2:
            return self.op("LeakyRelu", [x], s, alpha=p[0] if p else 0.0)
        if kind == 3:
            lo, hi = (p + [-3.4e38, 3.4e38])[:2] if p else (-3.4e38, 3.4e38)
            return self.op("Clip", [x, self.b.constant(lo), self.b.constant(hi)], s)
        if kind == 4:
            return self.op("Sigmoid", [x], s)
        if kind == 5:
            return self.mish(x, s)
        if kind == 6:
            alpha, beta = (p + [0.2, 0.5])[:2] if p else (0.2, 0.5)
            return self.hardswish(x, s, alpha, beta)
        raise AdvisorError(f"{self.net.name}: unknown ncnn activation_type {kind}")

    def hardswish(self, x: T, s: NcnnShape, alpha: float, beta: float) -> T:
        if abs(alpha - 1 / 6) < 1e-6 and abs(beta - 0.5) < 1e-6:
            return self.op("HardSwish", [x], s)
        return self.op("Mul", [x, self.op("HardSigmoid", [x], s, alpha=alpha, beta=beta)], s)

    def mish(self, x: T, s: NcnnShape) -> T:
        sp = self.op("Softplus", [x], s)
        return self.op("Mul", [x, self.op("Tanh", [sp], s)], s)


# ----------------------------------------------------------------- convolution family
def _pads_same(size: int, k_ext: int, stride: int, mode: int) -> tuple[int, int]:
    total = max(k_ext + (size - 1) // stride * stride - size, 0)
    return (total // 2, total - total // 2) if mode == -233 else (total - total // 2, total // 2)


def _window_params(cv: "_Converter", L: NcnnLayer):
    """Input and the kernel/dilation/stride/pad keys that (de)convolution layers share.

    Returns (x, w, h, c, o, kw, kh, dw, dh, sw, sh, pl, pr, pt, pb).
    """
    x, s = cv.get(L.inputs[0])
    if len(s) != 3:
        raise AdvisorError(f"{cv.net.name}/{L.name}: {L.type} on a {len(s)}-d blob is not supported")
    w, h, c = s
    o = int(L.get(0))
    kw = int(L.get(1)); kh = int(L.get(11, kw))
    dw = int(L.get(2, 1)); dh = int(L.get(12, dw))
    sw = int(L.get(3, 1)); sh = int(L.get(13, sw))
    pl = int(L.get(4, 0)); pr = int(L.get(15, pl)); pt = int(L.get(14, pl)); pb = int(L.get(16, pt))
    return x, w, h, c, o, kw, kh, dw, dh, sw, sh, pl, pr, pt, pb


@_handles("Convolution", "ConvolutionDepthWise")
def _conv(cv: _Converter, L: NcnnLayer) -> None:
    x, w, h, c, o, kw, kh, dw, dh, sw, sh, pl, pr, pt, pb = _window_params(cv, L)
    group = int(L.get(7, 1)) if L.type == "ConvolutionDepthWise" else 1
    kext_w, kext_h = dw * (kw - 1) + 1, dh * (kh - 1) + 1
    if pl in (-233, -234):
        pl, pr = _pads_same(w, kext_w, sw, pl)
        pt, pb = _pads_same(h, kext_h, sh, pt if pt in (-233, -234) else -233)
    ow = (w + pl + pr - kext_w) // sw + 1
    oh = (h + pt + pb - kext_h) // sh + 1
    wshape = (o, c // group, kh, kw)
    wsize = int(np.prod(wshape))
    if wsize != int(L.get(6)):
        raise AdvisorError(f"{cv.net.name}/{L.name}: weight {wshape} = {wsize} elements, "
                           f"ncnn weight_data_size says {L.get(6)}")
    pad_value = float(L.get(18, 0.0))
    if pad_value != 0.0 and (pl or pr or pt or pb):
        x = cv.op("Pad", [x, cv.b.constant([0, 0, pt, pl, 0, 0, pb, pr], "int64"),
                          cv.b.constant(pad_value)], (w + pl + pr, h + pt + pb, c))
        pl = pr = pt = pb = 0
    int8 = int(L.get(8, 0))
    out_s = (ow, oh, o)
    with cv.b.scope(L.name):
        if int8:
            per_channel = L.type == "Convolution" or int8 in (1, 101)
            x = cv.qdq(x, 0.05)
            wt = cv.dq_weight(wshape, "weight", per_channel)
            inputs = [x, wt]
            if int(L.get(5, 0)):
                inputs.append(cv.dq_weight((o,), "bias", True, TensorProto.INT32,
                                           scale=np.full(o, 0.05 * 0.01, np.float32)))
        else:
            inputs = [x, cv.weight(wshape, "weight", fan_in=c // group * kh * kw)]
            if int(L.get(5, 0)):
                inputs.append(cv.weight((o,), "bias", std=0.01))
        y = cv.op("Conv", inputs, out_s, dilations=[dh, dw], group=group, kernel_shape=[kh, kw],
                  pads=[pt, pl, pb, pr], strides=[sh, sw])
        y = cv.activation(y, int(L.get(9, 0)), L.get(10, []), out_s)
        if int8 > 100:
            y = cv.qdq(y, 0.05)
    cv.set(L.outputs[0], y, out_s)


@_handles("Deconvolution", "DeconvolutionDepthWise")
def _deconv(cv: _Converter, L: NcnnLayer) -> None:
    x, w, h, c, o, kw, kh, dw, dh, sw, sh, pl, pr, pt, pb = _window_params(cv, L)
    opr = int(L.get(18, 0)); opb = int(L.get(19, opr))
    group = int(L.get(7, 1)) if L.type == "DeconvolutionDepthWise" else 1
    full_w = (w - 1) * sw + dw * (kw - 1) + 1 + opr
    full_h = (h - 1) * sh + dh * (kh - 1) + 1 + opb
    out_w, out_h = int(L.get(20, 0)), int(L.get(21, L.get(20, 0)))
    if out_w > 0 and out_h > 0:
        pl, pr = (full_w - out_w) // 2, full_w - out_w - (full_w - out_w) // 2
        pt, pb = (full_h - out_h) // 2, full_h - out_h - (full_h - out_h) // 2
    ow, oh = full_w - pl - pr, full_h - pt - pb
    wshape = (c, o // group, kh, kw)
    if int(np.prod(wshape)) != int(L.get(6)):
        raise AdvisorError(f"{cv.net.name}/{L.name}: weight {wshape} disagrees with "
                           f"weight_data_size {L.get(6)}")
    out_s = (ow, oh, o)
    with cv.b.scope(L.name):
        inputs = [x, cv.weight(wshape, "weight", fan_in=c // group * kh * kw)]
        if int(L.get(5, 0)):
            inputs.append(cv.weight((o,), "bias", std=0.01))
        y = cv.op("ConvTranspose", inputs, out_s, dilations=[dh, dw], group=group,
                  kernel_shape=[kh, kw], pads=[pt, pl, pb, pr], strides=[sh, sw],
                  output_padding=[opb, opr] if (opb or opr) else None)
        y = cv.activation(y, int(L.get(9, 0)), L.get(10, []), out_s)
    cv.set(L.outputs[0], y, out_s)


@_handles("InnerProduct")
def _innerproduct(cv: _Converter, L: NcnnLayer) -> None:
    x, s = cv.get(L.inputs[0])
    o = int(L.get(0))
    wsize = int(L.get(2))
    n_in = wsize // o if o else 0
    int8 = int(L.get(8, 0))
    with cv.b.scope(L.name):
        if int8:
            x = cv.qdq(x, 0.05)
        if len(s) == 2 and s[0] == n_in and s[1] > 1:
            # ncnn's gemm mode: each row of a 2-d blob is a sample
            out_s = (o, s[1])
            wt = (cv.dq_weight((o, n_in), "weight", True) if int8
                  else cv.weight((o, n_in), "weight", fan_in=n_in))
            wt = cv.b.op("Transpose", [wt], [(n_in, o)], perm=[1, 0])[0]
            y = cv.op("MatMul", [x, wt], out_s)
            if int(L.get(1, 0)):
                y = cv.op("Add", [y, cv.weight((o,), "bias", std=0.01)], out_s)
        else:
            if int(np.prod(s)) != n_in:
                raise AdvisorError(f"{cv.net.name}/{L.name}: input {s} has {int(np.prod(s))} "
                                   f"values, weights expect {n_in}")
            if len(s) > 1:
                x = cv.b.op("Flatten", [x], [(cv.batch, n_in)], axis=1)[0]
            out_s = (o,)
            inputs = [x, cv.dq_weight((o, n_in), "weight", True) if int8
                      else cv.weight((o, n_in), "weight", fan_in=n_in)]
            if int(L.get(1, 0)):
                inputs.append(cv.dq_weight((o,), "bias", True, TensorProto.INT32,
                                           scale=np.full(o, 0.05 * 0.01, np.float32)) if int8
                              else cv.weight((o,), "bias", std=0.01))
            y = cv.op("Gemm", inputs, out_s, transB=1)
        y = cv.activation(y, int(L.get(9, 0)), L.get(10, []), out_s)
        if int8 > 100:
            y = cv.qdq(y, 0.05)
    cv.set(L.outputs[0], y, out_s)


@_handles("Pooling")
def _pooling(cv: _Converter, L: NcnnLayer) -> None:
    x, s = cv.get(L.inputs[0])
    ptype = int(L.get(0, 0))
    if len(s) != 3:
        raise AdvisorError(f"{cv.net.name}/{L.name}: pooling on a {len(s)}-d blob")
    w, h, c = s
    if int(L.get(4, 0)):  # global pooling: ncnn returns a 1-d blob of channels
        g = cv.b.op("GlobalMaxPool" if ptype == 0 else "GlobalAveragePool", [x],
                    [(cv.batch, c, 1, 1)])[0]
        cv.set(L.outputs[0], cv.reshape(g, (c,)), (c,))
        return
    if int(L.get(7, 0)):  # adaptive pooling
        ow = int(L.get(8, 0)); oh = int(L.get(18, ow))
        if w % ow or h % oh:
            raise AdvisorError(f"{cv.net.name}/{L.name}: adaptive pooling {w}x{h}->{ow}x{oh} "
                               "with uneven windows is not supported")
        kw, kh, sw, sh, pads = w // ow, h // oh, w // ow, h // oh, [0, 0, 0, 0]
    else:
        kw = int(L.get(1)); kh = int(L.get(11, kw))
        sw = int(L.get(2, 1)); sh = int(L.get(12, sw))
        pl = int(L.get(3, 0)); pr = int(L.get(14, pl)); pt = int(L.get(13, pl)); pb = int(L.get(15, pt))
        mode = int(L.get(5, 0))
        if mode == 0:  # full padding: extend right/bottom so the last window fits (caffe ceil)
            wtail = (w + pl + pr - kw) % sw
            htail = (h + pt + pb - kh) % sh
            pr += (sw - wtail) if wtail else 0
            pb += (sh - htail) if htail else 0
        elif mode in (2, 3):
            pl, pr = _pads_same(w, kw, sw, -233 if mode == 2 else -234)
            pt, pb = _pads_same(h, kh, sh, -233 if mode == 2 else -234)
        pads = [pt, pl, pb, pr]
        ow = (w + pl + pr - kw) // sw + 1
        oh = (h + pt + pb - kh) // sh + 1
    out_s = (ow, oh, c)
    if pads[0] >= kh or pads[2] >= kh or pads[1] >= kw or pads[3] >= kw:
        fill = -3.4e38 if ptype == 0 else 0.0
        x = cv.op("Pad", [x, cv.b.constant([0, 0, pads[0], pads[1], 0, 0, pads[2], pads[3]], "int64"),
                          cv.b.constant(fill)], (w + pads[1] + pads[3], h + pads[0] + pads[2], c))
        pads = [0, 0, 0, 0]
    attrs = dict(kernel_shape=[kh, kw], strides=[sh, sw], pads=pads)
    if ptype == 0:
        y = cv.op("MaxPool", [x], out_s, **attrs)
    else:
        y = cv.op("AveragePool", [x], out_s, count_include_pad=int(L.get(6, 0)), **attrs)
    cv.set(L.outputs[0], y, out_s)


# ----------------------------------------------------------------- elementwise
@_handles("ReLU")
def _relu(cv, L):
    x, s = cv.get(L.inputs[0])
    slope = float(L.get(0, 0.0))
    y = cv.op("Relu", [x], s) if slope == 0.0 else cv.op("LeakyRelu", [x], s, alpha=slope)
    cv.set(L.outputs[0], y, s)


@_handles("Clip")
def _clip(cv, L):
    x, s = cv.get(L.inputs[0])
    y = cv.op("Clip", [x, cv.b.constant(float(L.get(0, -3.4e38))),
                       cv.b.constant(float(L.get(1, 3.4e38)))], s)
    cv.set(L.outputs[0], y, s)


_SIMPLE_UNARY = {"Sigmoid": "Sigmoid", "TanH": "Tanh", "AbsVal": "Abs", "Softplus": "Softplus"}


@_handles(*_SIMPLE_UNARY)
def _simple_unary(cv, L):
    x, s = cv.get(L.inputs[0])
    cv.set(L.outputs[0], cv.op(_SIMPLE_UNARY[L.type], [x], s), s)


@_handles("Swish")
def _swish(cv, L):
    x, s = cv.get(L.inputs[0])
    cv.set(L.outputs[0], cv.op("Mul", [x, cv.op("Sigmoid", [x], s)], s), s)


@_handles("Mish")
def _mish(cv, L):
    x, s = cv.get(L.inputs[0])
    cv.set(L.outputs[0], cv.mish(x, s), s)


@_handles("HardSwish")
def _hardswish(cv, L):
    x, s = cv.get(L.inputs[0])
    cv.set(L.outputs[0], cv.hardswish(x, s, float(L.get(0, 0.2)), float(L.get(1, 0.5))), s)


@_handles("HardSigmoid")
def _hardsigmoid(cv, L):
    x, s = cv.get(L.inputs[0])
    y = cv.op("HardSigmoid", [x], s, alpha=float(L.get(0, 0.2)), beta=float(L.get(1, 0.5)))
    cv.set(L.outputs[0], y, s)


@_handles("GELU")
def _gelu(cv, L):
    x, s = cv.get(L.inputs[0])
    with cv.b.scope(L.name):
        if int(L.get(0, 0)):  # fast (tanh) approximation
            x3 = cv.op("Mul", [cv.op("Mul", [x, x], s), x], s)
            inner = cv.op("Add", [x, cv.op("Mul", [x3, cv.b.constant(0.044715)], s)], s)
            t = cv.op("Tanh", [cv.op("Mul", [inner, cv.b.constant(0.7978845608)], s)], s)
            y = cv.op("Mul", [cv.op("Mul", [x, cv.b.constant(0.5)], s),
                              cv.op("Add", [t, cv.b.constant(1.0)], s)], s)
        else:
            e = cv.op("Erf", [cv.op("Div", [x, cv.b.constant(1.4142135381698608)], s)], s)
            y = cv.op("Mul", [cv.op("Mul", [x, cv.op("Add", [e, cv.b.constant(1.0)], s)], s),
                              cv.b.constant(0.5)], s)
    cv.set(L.outputs[0], y, s)


_UNARYOP = {0: "Abs", 1: "Neg", 2: "Floor", 3: "Ceil", 5: "Sqrt", 7: "Exp", 8: "Log", 9: "Sin",
            10: "Cos", 11: "Tan", 12: "Asin", 13: "Acos", 14: "Atan", 15: "Reciprocal",
            16: "Tanh", 18: "Round"}


@_handles("UnaryOp")
def _unaryop(cv, L):
    x, s = cv.get(L.inputs[0])
    k = int(L.get(0, 0))
    if k == 4:
        y = cv.op("Mul", [x, x], s)
    elif k == 6:
        y = cv.op("Reciprocal", [cv.op("Sqrt", [x], s)], s)
    elif k in _UNARYOP:
        y = cv.op(_UNARYOP[k], [x], s)
    else:
        raise AdvisorError(f"{cv.net.name}/{L.name}: UnaryOp type {k} is not supported")
    cv.set(L.outputs[0], y, s)


def _broadcast(cv: _Converter, a: T, sa: NcnnShape, bb: T, sb: NcnnShape):
    """ncnn broadcasting aligns outermost axes: pad the lower-rank operand with trailing 1s."""
    oa, ob = tuple(reversed(sa)), tuple(reversed(sb))
    n = max(len(oa), len(ob))
    oa2, ob2 = oa + (1,) * (n - len(oa)), ob + (1,) * (n - len(ob))
    out = []
    for p, q in zip(oa2, ob2):
        if p != q and 1 not in (p, q):
            raise AdvisorError(f"{cv.net.name}: cannot broadcast ncnn shapes {sa} and {sb}")
        out.append(max(p, q))
    if oa2 != oa:
        a = cv.b.op("Reshape", [a, cv.b.constant([a.shape[0], *oa2], "int64")], [(a.shape[0], *oa2)])[0]
    if ob2 != ob:
        bb = cv.b.op("Reshape", [bb, cv.b.constant([bb.shape[0], *ob2], "int64")], [(bb.shape[0], *ob2)])[0]
    return a, bb, tuple(reversed(out))


_BINARY = {0: "Add", 1: "Sub", 2: "Mul", 3: "Div", 4: "Max", 5: "Min", 6: "Pow"}
_REVERSED = {7: "Sub", 8: "Div", 9: "Pow"}


@_handles("BinaryOp")
def _binaryop(cv, L):
    k = int(L.get(0, 0))
    a, sa = cv.get(L.inputs[0])
    if int(L.get(1, 0)) or len(L.inputs) == 1:
        bb, sb = cv.b.constant(float(L.get(2, 0.0))), ()
        out = sa
    else:
        bb, sb = cv.get(L.inputs[1])
        a, bb, out = _broadcast(cv, a, sa, bb, sb)
    if k in _BINARY:
        y = cv.op(_BINARY[k], [a, bb], out)
    elif k in _REVERSED:
        y = cv.op(_REVERSED[k], [bb, a], out)
    else:
        raise AdvisorError(f"{cv.net.name}/{L.name}: BinaryOp type {k} is not supported")
    cv.set(L.outputs[0], y, out)


@_handles("Eltwise")
def _eltwise(cv, L):
    ins = [cv.get(n) for n in L.inputs]
    s = ins[0][1]
    xs = [t for t, _ in ins]
    k = int(L.get(0, 0))
    coeffs = [float(v) for v in (L.get(1, []) or [])]
    if k == 1 and coeffs and any(v != 1.0 for v in coeffs):
        xs = [cv.op("Mul", [t, cv.b.constant(cf)], s) for t, cf in zip(xs, coeffs)]
    op = {0: "Mul", 1: "Add", 2: "Max"}.get(k)
    if op is None:
        raise AdvisorError(f"{cv.net.name}/{L.name}: Eltwise type {k} is not supported")
    if op == "Max" and len(xs) > 2:
        y = cv.op("Max", xs, s)
    elif op == "Add" and len(xs) > 2:
        y = cv.op("Sum", xs, s)
    else:
        y = xs[0]
        for t in xs[1:]:
            y = cv.op(op, [y, t], s)
    cv.set(L.outputs[0], y, s)


# ----------------------------------------------------------------- normalisation
@_handles("BatchNorm")
def _batchnorm(cv, L):
    x, s = cv.get(L.inputs[0])
    c = int(L.get(0))
    if s[-1] != c:
        raise AdvisorError(f"{cv.net.name}/{L.name}: BatchNorm of {c} channels on blob {s}")
    with cv.b.scope(L.name):
        ws = [cv.b.weight((c,), n, fill=f) for n, f in
              (("weight", 1.0), ("bias", 0.0), ("running_mean", 0.0), ("running_var", 1.0))]
    y = cv.op("BatchNormalization", [x] + ws, s, epsilon=float(L.get(1, 0.0)) or 1e-5)
    cv.set(L.outputs[0], y, s)


@_handles("Scale")
def _scale(cv, L):
    x, s = cv.get(L.inputs[0])
    n = int(L.get(0, 0))
    if n == -233:
        bb, sb = cv.get(L.inputs[1])
        a, bb, out = _broadcast(cv, x, s, bb, sb)
        cv.set(L.outputs[0], cv.op("Mul", [a, bb], out), out)
        return
    per = (n,) + (1,) * (len(s) - 1)  # per channel (outermost axis)
    with cv.b.scope(L.name):
        y = cv.op("Mul", [x, cv.b.weight(per, "weight", fill=1.0)], s)
        if int(L.get(1, 0)):
            y = cv.op("Add", [y, cv.b.weight(per, "bias", fill=0.0)], s)
    cv.set(L.outputs[0], y, s)


@_handles("LayerNorm")
def _layernorm(cv, L):
    x, s = cv.get(L.inputs[0])
    n = int(L.get(0))
    axis, acc = None, 1
    for i, d in enumerate(s):  # innermost first: find how many inner axes make affine_size
        acc *= d
        if acc == n:
            axis = -(i + 1)
            break
    if axis is None:
        raise AdvisorError(f"{cv.net.name}/{L.name}: LayerNorm affine_size {n} does not match {s}")
    with cv.b.scope(L.name):
        if int(L.get(2, 1)):
            g = cv.b.weight(tuple(s[: -axis][::-1]), "weight", fill=1.0)
            bta = cv.b.weight(tuple(s[: -axis][::-1]), "bias", fill=0.0)
            y = cv.op("LayerNormalization", [x, g, bta], s, axis=axis, epsilon=float(L.get(1, 0.001)))
        else:
            one = cv.b.constant(np.ones(s[: -axis][::-1], np.float32))
            y = cv.op("LayerNormalization", [x, one], s, axis=axis, epsilon=float(L.get(1, 0.001)))
    cv.set(L.outputs[0], y, s)


@_handles("LRN")
def _lrn(cv, L):
    x, s = cv.get(L.inputs[0])
    if int(L.get(0, 0)) != 0:
        raise AdvisorError(f"{cv.net.name}/{L.name}: LRN WITHIN_CHANNEL has no ONNX equivalent")
    y = cv.op("LRN", [x], s, size=int(L.get(1, 5)), alpha=float(L.get(2, 1.0)),
              beta=float(L.get(3, 0.75)), bias=float(L.get(4, 1.0)))
    cv.set(L.outputs[0], y, s)


@_handles("Softmax")
def _softmax(cv, L):
    x, s = cv.get(L.inputs[0])
    y = cv.op("Softmax", [x], s, axis=cv.onnx_axis(int(L.get(0, 0)), len(s)))
    cv.set(L.outputs[0], y, s)


@_handles("Reduction")
def _reduction(cv, L):
    x, s = cv.get(L.inputs[0])
    ops = {0: "ReduceSum", 1: "ReduceL1", 2: "ReduceSumSquare", 3: "ReduceMean", 4: "ReduceMax",
           5: "ReduceMin", 6: "ReduceProd", 7: "ReduceL1", 8: "ReduceL2", 9: "ReduceLogSum",
           10: "ReduceLogSumExp"}
    k = int(L.get(0, 0))
    dims = len(s)
    axes = list(range(dims)) if int(L.get(1, 1)) else [int(a) + dims if int(a) < 0 else int(a)
                                                         for a in (L.get(3, []) or [])]
    keep = int(L.get(4, 0))
    outer = list(reversed(s))
    if keep:
        out_outer = [1 if i in axes else d for i, d in enumerate(outer)]
    else:
        out_outer = [d for i, d in enumerate(outer) if i not in axes] or [1]
    out_s = tuple(reversed(out_outer))
    oaxes = [a + 1 for a in axes]
    if k == 0 or cv.b.opset >= 18:
        y = cv.b.op(ops[k], [x, cv.b.constant(oaxes, "int64")], [(cv.batch, *[1 if i in axes else d for i, d in enumerate(outer)])], keepdims=1)[0]
    else:
        y = cv.b.op(ops[k], [x], [(cv.batch, *[1 if i in axes else d for i, d in enumerate(outer)])],
                    axes=oaxes, keepdims=1)[0]
    coeff = float(L.get(2, 1.0))
    if coeff != 1.0:
        y = cv.b.op("Mul", [y, cv.b.constant(coeff)], [y.shape])[0]
    cv.set(L.outputs[0], cv.reshape(y, out_s), out_s)


# ----------------------------------------------------------------- data movement
@_handles("Input")
def _input(cv, L):
    w, h, c = cv.net.input_shape()
    s = (w, h, c)
    t = cv.b.input(L.outputs[0], cv.oshape(s))
    cv.set(L.outputs[0], t, s)


@_handles("MemoryData")
def _memorydata(cv, L):
    w, h, d, c = int(L.get(0, 0)), int(L.get(1, 0)), int(L.get(11, 0)), int(L.get(2, 0))
    if d:
        raise AdvisorError(f"{cv.net.name}/{L.name}: 4-d MemoryData is not supported")
    s = tuple(v for v in (w, h, c) if v) if c else ((w, h) if h else (w,))
    with cv.b.scope(L.name):
        t = cv.b.weight((1,) + tuple(reversed(s)), "data", std=0.02)
    if cv.batch != 1:
        t = cv.b.op("Expand", [t, cv.b.constant(list(cv.oshape(s)), "int64")], [cv.oshape(s)])[0]
    cv.set(L.outputs[0], t, s)


@_handles("Split")
def _split(cv, L):
    t, s = cv.get(L.inputs[0])
    for out in L.outputs:  # ncnn Split shares the blob; no copy
        cv.blobs[out] = (t, s)


@_handles("Noop", "Dropout")
def _noop(cv, L):
    t, s = cv.get(L.inputs[0])
    if L.type == "Dropout" and float(L.get(0, 1.0)) != 1.0:
        t = cv.op("Mul", [t, cv.b.constant(float(L.get(0)))], s)
    if L.type == "Noop" and len(L.inputs) > 1:
        cv.expand[L.outputs[0]] = list(L.inputs)
        cv.notes.append(f"Noop {L.name} gathers {len(L.inputs)} blobs; they are graph outputs")
    for out in L.outputs:
        cv.blobs[out] = (t, s)


@_handles("Concat")
def _concat(cv, L):
    ins = [cv.get(n) for n in L.inputs]
    s0 = ins[0][1]
    ax = cv.onnx_axis(int(L.get(0, 0)), len(s0)) - 1
    outer = list(reversed(s0))
    outer[ax] = sum(tuple(reversed(s))[ax] for _, s in ins)
    out_s = tuple(reversed(outer))
    cv.set(L.outputs[0], cv.op("Concat", [t for t, _ in ins], out_s, axis=ax + 1), out_s)


@_handles("Slice")
def _slice(cv, L):
    x, s = cv.get(L.inputs[0])
    ax = cv.onnx_axis(int(L.get(1, 0)), len(s)) - 1
    outer = list(reversed(s))
    total = outer[ax]
    slices = [int(v) for v in (L.get(0, []) or [])] or [-233] * len(L.outputs)
    fixed = sum(v for v in slices if v != -233)
    n_free = sum(1 for v in slices if v == -233)
    sizes = [v if v != -233 else (total - fixed) // n_free for v in slices]
    if sum(sizes) != total:
        raise AdvisorError(f"{cv.net.name}/{L.name}: slices {slices} do not cover {total}")
    shapes = []
    for sz in sizes:
        o = list(outer)
        o[ax] = sz
        shapes.append(tuple(reversed(o)))
    ys = cv.b.op("Split", [x, cv.b.constant(sizes, "int64")], [cv.oshape(sh) for sh in shapes],
                 axis=ax + 1)
    for name, y, sh in zip(L.outputs, ys, shapes):
        cv.set(name, y, sh)


@_handles("Crop")
def _crop(cv, L):
    x, s = cv.get(L.inputs[0])
    outer = list(reversed(s))
    dims = len(s)
    starts, ends, axes = L.get(9, []) or [], L.get(10, []) or [], L.get(11, []) or []
    if len(L.inputs) == 2 or not starts:
        # legacy form: offsets (w, h, c) and output size, or the size of a reference blob
        off = {"w": int(L.get(0, 0)), "h": int(L.get(1, 0)), "c": int(L.get(2, 0))}
        if len(L.inputs) == 2:
            ref = cv.get(L.inputs[1])[1]
            size = dict(zip("whc", ref))
        else:
            size = {"w": int(L.get(3, 0)), "h": int(L.get(4, 0)), "c": int(L.get(5, 0))}
        names = "whc"[:dims]
        starts, ends, axes = [], [], []
        for i, nm in enumerate(names):
            d = s[i]
            st = off[nm]
            ln = size.get(nm, 0)
            ln = d - st if ln in (0, -233) else ln
            if st or ln != d:
                axes.append(dims - 1 - i)
                starts.append(st)
                ends.append(st + ln)
    o = list(outer)
    norm_axes = []
    for st, en, a in zip(starts, ends, axes):
        a = int(a) + dims if int(a) < 0 else int(a)
        d = outer[a]
        st = int(st) + d if int(st) < 0 else int(st)
        en = int(en) + d if int(en) < 0 else min(int(en), d)
        o[a] = max(0, en - st)
        norm_axes.append((st, en, a))
    out_s = tuple(reversed(o))
    if not norm_axes:
        cv.blobs[L.outputs[0]] = (x, s)
        return
    y = cv.op("Slice", [x, cv.b.constant([v[0] for v in norm_axes], "int64"),
                        cv.b.constant([v[1] for v in norm_axes], "int64"),
                        cv.b.constant([v[2] + 1 for v in norm_axes], "int64")], out_s)
    cv.set(L.outputs[0], y, out_s)


@_handles("Padding")
def _padding(cv, L):
    x, s = cv.get(L.inputs[0])
    top, bottom, left, right = (int(L.get(k, 0)) for k in (0, 1, 2, 3))
    front, behind = int(L.get(7, 0)), int(L.get(8, 0))
    mode = {0: "constant", 1: "edge", 2: "reflect"}[int(L.get(4, 0))]
    if int(L.get(6, 0)):
        cv.notes.append(f"Padding {L.name}: per-channel pad values treated as one constant")
    if len(s) == 3:
        begin, end = [front, top, left], [behind, bottom, right]
        out_s = (s[0] + left + right, s[1] + top + bottom, s[2] + front + behind)
    elif len(s) == 2:
        begin, end = [top, left], [bottom, right]
        out_s = (s[0] + left + right, s[1] + top + bottom)
    else:
        begin, end = [left], [right]
        out_s = (s[0] + left + right,)
    inputs = [x, cv.b.constant([0] + begin + [0] + end, "int64")]
    if mode == "constant":
        inputs.append(cv.b.constant(float(L.get(5, 0.0))))
    cv.set(L.outputs[0], cv.op("Pad", inputs, out_s, mode=mode), out_s)


@_handles("Reshape")
def _reshape(cv, L):
    x, s = cv.get(L.inputs[0])
    if int(L.get(3, 0)):
        raise AdvisorError(f"{cv.net.name}/{L.name}: Reshape with permute=1 is not supported")
    want = {"w": int(L.get(0, -233)), "h": int(L.get(1, -233)), "d": int(L.get(11, -233)),
            "c": int(L.get(2, -233))}
    if want["d"] != -233:
        raise AdvisorError(f"{cv.net.name}/{L.name}: 4-d Reshape is not supported")
    src = dict(zip("whc", s))
    dims = [want[k] for k in "whc" if want[k] != -233]
    keys = [k for k in "whc" if want[k] != -233]
    dims = [src.get(k, 1) if v == 0 else v for k, v in zip(keys, dims)]
    total = int(np.prod(s))
    if -1 in dims:
        known = int(np.prod([v for v in dims if v != -1]))
        dims[dims.index(-1)] = total // known
    out_s = tuple(dims)
    if int(np.prod(out_s)) != total:
        raise AdvisorError(f"{cv.net.name}/{L.name}: cannot reshape {s} to {out_s}")
    cv.set(L.outputs[0], cv.reshape(x, out_s), out_s)


@_handles("Flatten")
def _flatten(cv, L):
    x, s = cv.get(L.inputs[0])
    out_s = (int(np.prod(s)),)
    y = cv.op("Flatten", [x], out_s, axis=1) if len(s) > 1 else x
    cv.set(L.outputs[0], y, out_s)


_PERMUTE_2D = {0: "wh", 1: "hw"}
_PERMUTE_3D = {0: "whc", 1: "hwc", 2: "wch", 3: "cwh", 4: "hcw", 5: "chw"}


@_handles("Permute")
def _permute(cv, L):
    x, s = cv.get(L.inputs[0])
    k = int(L.get(0, 0))
    table = {2: _PERMUTE_2D, 3: _PERMUTE_3D}.get(len(s), {})
    if k not in table:
        raise AdvisorError(f"{cv.net.name}/{L.name}: Permute order {k} on {len(s)}-d blob")
    order = table[k]  # output (w, h, c) named by input axes
    names = "whc"[: len(s)]
    out_s = tuple(s[names.index(ch)] for ch in order)
    in_outer = names[::-1]  # onnx order of the input (after batch)
    perm = [0] + [1 + in_outer.index(ch) for ch in order[::-1]]
    y = cv.op("Transpose", [x], out_s, perm=perm) if perm != sorted(perm) else x
    cv.set(L.outputs[0], y, out_s)


@_handles("ShuffleChannel")
def _shufflechannel(cv, L):
    x, s = cv.get(L.inputs[0])
    w, h, c = s
    g = int(L.get(0, 1))
    a, bdim = (c // g, g) if int(L.get(1, 0)) else (g, c // g)
    B = cv.batch
    y = cv.b.op("Reshape", [x, cv.b.constant([B, a, bdim, h, w], "int64")], [(B, a, bdim, h, w)])[0]
    y = cv.b.op("Transpose", [y], [(B, bdim, a, h, w)], perm=[0, 2, 1, 3, 4])[0]
    cv.set(L.outputs[0], cv.reshape(y, s), s)


@_handles("Interp")
def _interp(cv, L):
    x, s = cv.get(L.inputs[0])
    if len(s) != 3:
        raise AdvisorError(f"{cv.net.name}/{L.name}: Interp on a {len(s)}-d blob")
    w, h, c = s
    if int(L.get(5, 0)) and len(L.inputs) > 1:
        rs = cv.get(L.inputs[1])[1]
        ow, oh = rs[0], rs[1]
    else:
        oh, ow = int(L.get(3, 0)), int(L.get(4, 0))
        if not (oh and ow):
            oh = int(h * float(L.get(1, 1.0)))
            ow = int(w * float(L.get(2, 1.0)))
    kind = int(L.get(0, 0))
    mode = {1: "nearest", 2: "linear", 3: "cubic"}.get(kind, "nearest")
    align = int(L.get(6, 0))
    ctm = "asymmetric" if mode == "nearest" else ("align_corners" if align else "half_pixel")
    out_s = (ow, oh, c)
    extra = {"nearest_mode": "floor"} if mode == "nearest" else {}
    y = cv.op("Resize", [x, None, None, cv.b.constant(list(cv.oshape(out_s)), "int64")], out_s,
              mode=mode, coordinate_transformation_mode=ctm, **extra)
    cv.set(L.outputs[0], y, out_s)


# ----------------------------------------------------------------- transformer blocks
@_handles("Gemm")
def _gemm(cv, L):
    if int(L.get(4, 0)) or not int(L.get(5, 0)):
        raise AdvisorError(f"{cv.net.name}/{L.name}: only Gemm with constant B is supported")
    x, s = cv.get(L.inputs[0])
    n, k = int(L.get(8)), int(L.get(9))
    trans_a, trans_b = int(L.get(2, 0)), int(L.get(3, 0))
    if trans_a or len(s) != 2 or s[0] != k:
        raise AdvisorError(f"{cv.net.name}/{L.name}: Gemm input {s} does not match K={k}")
    m = s[1]
    out_s = (n, m)
    with cv.b.scope(L.name):
        wt = cv.weight((n, k) if trans_b else (k, n), "weight", fan_in=k)
        if trans_b:
            wt = cv.b.op("Transpose", [wt], [(k, n)], perm=[1, 0])[0]
        y = cv.op("MatMul", [x, wt], out_s)
        alpha, beta = float(L.get(0, 1.0)), float(L.get(1, 1.0))
        if alpha != 1.0:
            y = cv.op("Mul", [y, cv.b.constant(alpha)], out_s)
        if int(L.get(6, 0)):
            btype = int(L.get(10, 0))
            cshape = {0: (1,), 1: (m, 1), 2: (m, 1), 3: (m, n), 4: (n,)}.get(btype)
            if cshape is None:
                raise AdvisorError(f"{cv.net.name}/{L.name}: Gemm C broadcast type {btype}")
            cterm = cv.weight(cshape, "bias", std=0.01)
            if beta != 1.0:
                cterm = cv.b.op("Mul", [cterm, cv.b.constant(beta)], [cterm.shape])[0]
            y = cv.op("Add", [y, cterm], out_s)
    cv.set(L.outputs[0], y, out_s)


@_handles("MultiHeadAttention")
def _mha(cv, L):
    e, heads = int(L.get(0)), int(L.get(1, 1))
    kdim, vdim = int(L.get(3, e)), int(L.get(4, e))
    q, sq = cv.get(L.inputs[0])
    k_in, sk = cv.get(L.inputs[1] if len(L.inputs) > 1 else L.inputs[0])
    v_in, sv = cv.get(L.inputs[2] if len(L.inputs) > 2 else L.inputs[-1])
    if int(L.get(2)) != e * e:
        raise AdvisorError(f"{cv.net.name}/{L.name}: MHA weight_data_size {L.get(2)} != {e}^2")
    B, S, Sk, hd = cv.batch, sq[1], sk[1], e // heads
    with cv.b.scope(L.name):
        def proj(x, din, leaf, seq):
            wt = cv.weight((din, e), f"{leaf}.weight", fan_in=din)
            y = cv.b.op("MatMul", [x, wt], [(B, seq, e)])[0]
            return cv.b.op("Add", [y, cv.weight((e,), f"{leaf}.bias", std=0.01)], [(B, seq, e)])[0]

        def heads_of(x, seq):
            y = cv.b.op("Reshape", [x, cv.b.constant([B, seq, heads, hd], "int64")],
                        [(B, seq, heads, hd)])[0]
            return cv.b.op("Transpose", [y], [(B, heads, seq, hd)], perm=[0, 2, 1, 3])[0]

        qh = heads_of(proj(q, e, "q_proj", S), S)
        kh = heads_of(proj(k_in, kdim, "k_proj", Sk), Sk)
        vh = heads_of(proj(v_in, vdim, "v_proj", Sk), Sk)
        kt = cv.b.op("Transpose", [kh], [(B, heads, hd, Sk)], perm=[0, 1, 3, 2])[0]
        att = cv.b.op("MatMul", [qh, kt], [(B, heads, S, Sk)])[0]
        att = cv.b.op("Mul", [att, cv.b.constant(1.0 / math.sqrt(hd))], [(B, heads, S, Sk)])[0]
        att = cv.b.op("Softmax", [att], [(B, heads, S, Sk)], axis=-1)[0]
        o = cv.b.op("MatMul", [att, vh], [(B, heads, S, hd)])[0]
        o = cv.b.op("Transpose", [o], [(B, S, heads, hd)], perm=[0, 2, 1, 3])[0]
        o = cv.b.op("Reshape", [o, cv.b.constant([B, S, e], "int64")], [(B, S, e)])[0]
        y = proj(o, e, "out_proj", S)
    cv.set(L.outputs[0], y, (e, S))


# ----------------------------------------------------------------- detection post-processing
def _prior_count(L: NcnnLayer) -> int:
    mins = L.get(0, []) or []
    maxs = L.get(1, []) or []
    ars = L.get(2, []) or []
    n = len(mins) * len(ars) + len(mins) + len(maxs)
    if int(L.get(7, 1)):
        n += len(mins) * len(ars)
    return n


@_handles(*POSTPROCESS)
def _postprocess(cv, L):
    if L.type == "PriorBox":
        fw, fh = cv.get(L.inputs[0])[1][:2]
        out_s = (4 * _prior_count(L) * fw * fh, 2)
        if cv.postprocess == "custom":
            y = cv.op("PriorBox", [cv.get(n)[0] for n in L.inputs], out_s, domain=CUSTOM_DOMAIN)
        else:
            y = cv.b.op("ConstantOfShape", [cv.b.constant(list(cv.oshape(out_s)), "int64")],
                        [cv.oshape(out_s)], dtypes=[TensorProto.FLOAT],
                        value=helper.make_tensor("value", TensorProto.FLOAT, [1], [0.0]))[0]
            cv.notes.append(f"PriorBox {L.name}: priors depend only on shapes; ConstantOfShape")
        cv.set(L.outputs[0], y, out_s)
        return
    if cv.postprocess == "custom":
        ins = [cv.get(n)[0] for n in L.inputs]
        y = cv.b.op(L.type, ins, [(cv.batch, "num_detections", 6)], domain=CUSTOM_DOMAIN)[0]
        cv.blobs[L.outputs[0]] = (y, ())
        cv.notes.append(f"{L.type} {L.name}: custom-domain node (not runnable)")
        return
    cv.expand[L.outputs[0]] = list(L.inputs)
    cv.notes.append(f"{L.type} {L.name} omitted (detection post-processing, NMS); "
                    f"its inputs are graph outputs")


# ----------------------------------------------------------------- entry point
def prune(model: onnx.ModelProto) -> int:
    """Drop nodes and initializers that no graph output depends on; returns nodes removed."""
    g = model.graph
    need = {o.name for o in g.output}
    keep = []
    for node in reversed(g.node):
        if any(o in need for o in node.output):
            keep.append(node)
            need.update(i for i in node.input if i)
    keep.reverse()
    removed = len(g.node) - len(keep)
    if removed:
        del g.node[:]
        g.node.extend(keep)
    inits = [t for t in g.initializer if t.name in need]
    if len(inits) != len(g.initializer):
        del g.initializer[:]
        g.initializer.extend(inits)
    return removed


def _convert(net: NcnnNet, graph_only: bool, batch: int, postprocess: str, seed: int,
             outputs: str = "benchmark") -> tuple[onnx.ModelProto, _Converter]:
    if batch < 1:
        raise InputError(f"batch must be >= 1, got {batch}")
    if postprocess not in ("omit", "custom"):
        raise InputError(f"postprocess must be 'omit' or 'custom', got {postprocess!r}")
    unknown = sorted({l.type for l in net.layers if l.type not in _HANDLERS})
    if unknown:
        raise AdvisorError(f"{net.name}: unsupported ncnn layer types: {', '.join(unknown)}")
    b = GraphBuilder(seed=seed, graph_only=graph_only, fold_bn=False, opset=17)
    cv = _Converter(net, b, batch, postprocess)
    for layer in net.layers:
        _HANDLERS[layer.type](cv, layer)
    if net.ignored_lines:
        cv.notes.append(f"{net.ignored_lines} line(s) past the declared layer count ignored, as ncnn does")
    wanted = net.output_blobs()
    if outputs == "benchmark":
        wanted = wanted[:1]
    elif outputs != "all":
        raise InputError(f"outputs must be 'benchmark' or 'all', got {outputs!r}")

    def resolve(blob: str) -> list[str]:
        return [r for x in cv.expand[blob] for r in resolve(x)] if blob in cv.expand else [blob]

    taken = {o for n in b.nodes for o in n.output} | {i.name for i in b.inputs}
    emitted: set[str] = set()
    for name in dict.fromkeys(r for w in wanted for r in resolve(w)):
        t, _ = cv.get(name)
        if t.name in emitted or t.name in {i.name for i in b.inputs}:
            continue
        emitted.add(t.name)
        b.output(t, None if name in taken else name)
    custom = postprocess == "custom" and any(l.type in POSTPROCESS for l in net.layers)
    model = b.build(net.name, doc=f"ncnn {net.name} converted by advisor.ncnn", check=False)
    removed = prune(model)
    if removed:
        cv.notes.append(f"{removed} node(s) not needed for the outputs removed "
                        "(benchncnn extracts only its first output)")
    if not custom:
        check_model(model)
    if custom:
        model.opset_import.append(helper.make_opsetid(CUSTOM_DOMAIN, 1))
    meta = {"source": f"ncnn param {net.name}", "ncnn_int8": str(net.is_int8).lower(),
            "ncnn_input_whc": ",".join(map(str, net.input_shape())),
            "ncnn_notes": "; ".join(dict.fromkeys(cv.notes))}
    for k, v in meta.items():
        model.metadata_props.add(key=k, value=v)
    return model, cv


def _net(path_or_net: str | Path | NcnnNet) -> NcnnNet:
    return path_or_net if isinstance(path_or_net, NcnnNet) else read_param(path_or_net)


def to_onnx(path_or_net: str | Path | NcnnNet, graph_only: bool = False, batch: int = 1,
            postprocess: str = "omit", outputs: str = "benchmark", seed: int = 0) -> onnx.ModelProto:
    """Convert an ncnn network (path to ``.param`` or parsed ``NcnnNet``) to an ONNX model.

    ``graph_only`` stores weights as data-less external initializers; ``batch`` prepends that
    batch size; ``postprocess`` is ``"omit"`` (runnable) or ``"custom"`` (see module doc);
    ``outputs="benchmark"`` keeps what benchncnn computes (its first output and everything it
    needs), ``"all"`` every unconsumed blob.
    """
    return _convert(_net(path_or_net), graph_only, batch, postprocess, seed, outputs)[0]


def blob_map(path_or_net: str | Path | NcnnNet, batch: int = 1,
             postprocess: str = "omit") -> tuple[onnx.ModelProto, dict[str, tuple[str, NcnnShape]]]:
    """A graph-only conversion plus, per ncnn blob, its ONNX tensor name and ncnn shape
    (innermost first): what the shape-hint checks compare."""
    model, cv = _convert(_net(path_or_net), True, batch, postprocess, 0, "all")
    return model, {k: (t.name, s) for k, (t, s) in cv.blobs.items()}
