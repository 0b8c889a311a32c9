"""``GraphBuilder``: emit ONNX graphs with ``onnx.helper`` the way PyTorch exporters do.

Why: the zoo, the NAS-space builders and the tests all need real-looking ONNX graphs at any
batch, resolution and sequence length, without torch. The builder tracks every tensor's shape
itself (so network code knows channel counts), names nodes uniquely in PyTorch's style
(``/layer1/0/conv1/Conv``), and makes the weights: random (small-scale normal, float32) by
default, or, with ``graph_only=True``, *external* initializers with no data at all
(``data_location=EXTERNAL``, ``location="weights.bin"``, offset, length) so that a 7B-parameter
graph is a few hundred kilobytes on disk. Graph-only models are for shape/cost analysis; they
cannot be run.

API (every op returns a ``T``: ``name``, ``shape`` (tuple of ``int`` or ``str`` for symbolic
dims), ``dtype`` (``onnx.TensorProto`` enum))::

    from advisor.zoo.builder import GraphBuilder
    b = GraphBuilder(seed=0, graph_only=False, fold_bn=True, opset=17)
    x = b.input("input", ("batch", 3, 224, 224))          # str dims are symbolic
    with b.scope("stem"):                                  # names: /stem/Conv, stem.weight ...
        y = b.conv(x, 32, k=3, stride=2)                   # pad defaults to "same" (k//2*dilation)
        y = b.batchnorm(y)                                  # folded into the conv when fold_bn
        y = b.relu(y)
    y = b.conv_bn_act(y, 64, 3, act="relu6")               # conv + BN + activation in one call
    y = b.global_avgpool(y); y = b.flatten(y)
    y = b.linear(y, 1000)                                   # rank 2 -> Gemm, else MatMul + Add
    b.output(y, "logits")
    model = b.build("resnet")                               # onnx.ModelProto, checker-clean

Ops: ``conv, batchnorm, conv_bn_act, relu, relu6, hardswish, hardsigmoid, sigmoid, silu,
gelu(approx="erf"|"tanh"), tanh, leaky_relu, act(x, name), add, sub, mul, div, pow, sqrt, neg,
maxpool, avgpool, global_avgpool, reduce_mean, gemm, linear, matmul, reshape, flatten, transpose,
concat, split, slice, unsqueeze, squeeze, expand, gather, cast, where, layernorm, rmsnorm,
softmax, resize, shape_of, constant, weight, op`` (``op`` is the generic escape hatch: give the
output shapes yourself). Binary ops accept Python numbers for either side (a scalar Constant).
``b.num_params`` counts initializer elements. Shapes broadcast numpy-style; symbolic dims must
match by name.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence, Union

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from advisor.errors import InputError

Dim = Union[int, str]
Shape = tuple[Dim, ...]

DTYPES = {
    "float32": TensorProto.FLOAT, "float16": TensorProto.FLOAT16, "int64": TensorProto.INT64,
    "int32": TensorProto.INT32, "bool": TensorProto.BOOL, "uint8": TensorProto.UINT8,
    "int8": TensorProto.INT8, "bfloat16": TensorProto.BFLOAT16,
}
_ITEMSIZE = {TensorProto.FLOAT: 4, TensorProto.FLOAT16: 2, TensorProto.INT64: 8,
             TensorProto.INT32: 4, TensorProto.BOOL: 1, TensorProto.UINT8: 1, TensorProto.INT8: 1,
             TensorProto.BFLOAT16: 2}


@dataclass(frozen=True)
class T:
    """A tensor in the graph being built: its name, tracked shape and element type."""

    name: str
    shape: Shape
    dtype: int = TensorProto.FLOAT

    @property
    def rank(self) -> int:
        return len(self.shape)

    @property
    def channels(self) -> Dim:
        """Dim 1 (channels for NCHW tensors)."""
        return self.shape[1]


def _dtype(d: Union[str, int]) -> int:
    if isinstance(d, int):
        return d
    if d not in DTYPES:
        raise InputError(f"unknown dtype {d!r}; expected one of {sorted(DTYPES)}")
    return DTYPES[d]


def _prod(dims: Iterable[Dim]) -> Dim:
    """Product of dims; symbolic parts are joined as 'a*b' strings, ints multiplied."""
    num, syms = 1, []
    for d in dims:
        if isinstance(d, int):
            num *= d
        else:
            syms.extend(str(d).split("*"))
    if not syms:
        return num
    parts = ([str(num)] if num != 1 else []) + sorted(syms)
    return "*".join(parts)


def _split_dim(d: Dim) -> tuple[int, list[str]]:
    if isinstance(d, int):
        return d, []
    num, syms = 1, []
    for p in str(d).split("*"):
        if p.isdigit():
            num *= int(p)
        else:
            syms.append(p)
    return num, syms


def broadcast(a: Shape, b: Shape) -> Shape:
    """Numpy-style broadcast of two tracked shapes (symbolic dims broadcast against 1)."""
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    out: list[Dim] = []
    for x, y in zip(a, b):
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        elif isinstance(x, str) or isinstance(y, str):
            out.append(x if isinstance(x, str) else y)
        else:
            raise InputError(f"cannot broadcast shapes {a} and {b}")
    return tuple(out)


def _conv_out(size: Dim, k: int, stride: int, pad_total: int, dilation: int, ceil: bool = False) -> Dim:
    if isinstance(size, str):
        return f"{size}_out"
    eff = dilation * (k - 1) + 1
    span = size + pad_total - eff
    out = (-(-span // stride) if ceil else span // stride) + 1
    if ceil and (out - 1) * stride >= size + pad_total // 2:  # PyTorch's ceil_mode rule
        out -= 1
    if out <= 0:
        raise InputError(f"spatial size {size} too small for kernel {k} stride {stride}")
    return out


class GraphBuilder:
    """Accumulates nodes, initializers and tracked shapes; ``build()`` returns a ModelProto."""

    def __init__(self, seed: int = 0, graph_only: bool = False, fold_bn: bool = True,
                 opset: int = 17, weight_std: float | None = None,
                 external_location: str = "weights.bin") -> None:
        self.rng = np.random.default_rng(seed)
        self.graph_only = graph_only
        self.fold_bn = fold_bn
        self.opset = opset
        self.weight_std = weight_std
        self.external_location = external_location
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[TensorProto] = []
        self.inputs: list[onnx.ValueInfoProto] = []
        self.outputs: list[onnx.ValueInfoProto] = []
        self.num_params = 0
        self._ext_offset = 0
        self._scopes: list[str] = []
        self._used: dict[str, int] = {}
        self._consts: dict[tuple, T] = {}

    # ----------------------------------------------------------------- naming
    @contextlib.contextmanager
    def scope(self, name: str) -> Iterator[None]:
        """Nest names like PyTorch module paths: ``scope("layer1.0")`` -> ``/layer1/0/...``."""
        self._scopes.extend(str(name).split("."))
        try:
            yield
        finally:
            for _ in str(name).split("."):
                self._scopes.pop()

    def _unique(self, base: str) -> str:
        n = self._used.get(base, 0)
        self._used[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    def _node_name(self, op_type: str) -> str:
        return self._unique("/" + "/".join(self._scopes + [op_type]))

    def _param_name(self, leaf: str) -> str:
        return self._unique(".".join(self._scopes + [leaf]))

    # ----------------------------------------------------------------- tensors
    def input(self, name: str, shape: Sequence[Dim], dtype: Union[str, int] = "float32") -> T:
        """Declare a graph input; ``str`` dims become symbolic (``dim_param``)."""
        t = T(name, tuple(shape), _dtype(dtype))
        self._used[name] = self._used.get(name, 0) + 1
        self.inputs.append(helper.make_tensor_value_info(name, t.dtype, list(t.shape)))
        return t

    def output(self, x: T, name: str | None = None) -> T:
        """Mark ``x`` as a graph output (renamed through Identity when ``name`` is given)."""
        if name is not None and name != x.name:
            x = self._emit("Identity", [x], [x.shape], out_names=[name], dtypes=[x.dtype])[0]
        self.outputs.append(helper.make_tensor_value_info(x.name, x.dtype, list(x.shape)))
        return x

    def initializer(self, array: np.ndarray, leaf: str, exact_name: str | None = None) -> T:
        """Add ``array`` as an initializer (external, data-less when ``graph_only``)."""
        name = exact_name or self._param_name(leaf)
        array = np.asarray(array)
        dtype = helper.np_dtype_to_tensor_dtype(array.dtype)
        self.initializers.append(self._tensor_proto(name, array.shape, dtype, array))
        self.num_params += int(array.size)
        return T(name, tuple(int(d) for d in array.shape), dtype)

    def weight(self, shape: Sequence[int], leaf: str = "weight", std: float | None = None,
               fill: float | None = None, dtype: Union[str, int] = "float32",
               buffer: bool = False) -> T:
        """A parameter of ``shape``: normal(0, std) (default 1/sqrt(fan_in)), or constant ``fill``.

        ``buffer=True`` (BN running stats) keeps it out of ``num_params``, as PyTorch counts."""
        shape = tuple(int(d) for d in shape)
        dt = _dtype(dtype)
        name = self._param_name(leaf)
        n = int(np.prod(shape)) if shape else 1
        if not buffer:
            self.num_params += n
        if self.graph_only:
            self.initializers.append(self._tensor_proto(name, shape, dt, None))
            return T(name, shape, dt)
        if fill is not None:
            arr = np.full(shape, fill, dtype=np.float32)
        else:
            if std is None:
                fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else max(shape[0] if shape else 1, 1)
                std = self.weight_std if self.weight_std is not None else 1.0 / math.sqrt(max(fan_in, 1))
            arr = (self.rng.standard_normal(shape, dtype=np.float32) * np.float32(std))
        arr = arr.astype(helper.tensor_dtype_to_np_dtype(dt))
        self.initializers.append(self._tensor_proto(name, shape, dt, arr))
        return T(name, shape, dt)

    def _tensor_proto(self, name: str, shape: Sequence[int], dtype: int,
                      array: np.ndarray | None) -> TensorProto:
        if not self.graph_only:
            assert array is not None
            return numpy_helper.from_array(array, name)
        tp = TensorProto()
        tp.name = name
        tp.data_type = dtype
        tp.dims.extend(int(d) for d in shape)
        length = int(np.prod(shape)) * _ITEMSIZE.get(dtype, 4) if shape else _ITEMSIZE.get(dtype, 4)
        tp.data_location = TensorProto.EXTERNAL
        for k, v in (("location", self.external_location), ("offset", str(self._ext_offset)),
                     ("length", str(length))):
            e = tp.external_data.add()
            e.key, e.value = k, v
        self._ext_offset += length
        return tp

    def constant(self, value, dtype: Union[str, int] = "float32") -> T:
        """A small non-parameter constant (scalar, shape vector) as a ``Constant`` node; cached."""
        dt = _dtype(dtype)
        arr = np.asarray(value, dtype=helper.tensor_dtype_to_np_dtype(dt))
        key = (dt, arr.shape, arr.tobytes())
        if key in self._consts:
            return self._consts[key]
        name = self._unique("/" + "/".join(self._scopes + ["Constant"])) + "_output_0"
        node = helper.make_node("Constant", [], [name], name=name[: -len("_output_0")],
                                value=numpy_helper.from_array(arr, name + "_value"))
        self.nodes.append(node)
        t = T(name, tuple(arr.shape), dt)
        self._consts[key] = t
        return t

    def _as_t(self, v, like: T | None = None) -> T:
        if isinstance(v, T):
            return v
        return self.constant(v, like.dtype if like is not None else TensorProto.FLOAT)

    # ----------------------------------------------------------------- generic op
    def _emit(self, op_type: str, inputs: Sequence[T | None], shapes: Sequence[Shape],
              dtypes: Sequence[int] | None = None, out_names: Sequence[str] | None = None,
              domain: str = "", **attrs) -> list[T]:
        name = self._node_name(op_type)
        outs = list(out_names) if out_names else [f"{name}_output_{i}" for i in range(len(shapes))]
        if dtypes is None:
            first = next((i for i in inputs if i is not None), None)
            dtypes = [first.dtype if first is not None else TensorProto.FLOAT] * len(shapes)
        node = helper.make_node(op_type, [i.name if i is not None else "" for i in inputs], outs,
                                name=name, domain=domain or None,
                                **{k: v for k, v in attrs.items() if v is not None})
        self.nodes.append(node)
        return [T(n, tuple(s), d) for n, s, d in zip(outs, shapes, dtypes)]

    def op(self, op_type: str, inputs: Sequence[T | None], shapes: Sequence[Shape],
           dtypes: Sequence[int] | None = None, domain: str = "", **attrs) -> list[T]:
        """Emit any op; the caller states the output shapes (and dtypes, default: first input's)."""
        return self._emit(op_type, inputs, shapes, dtypes, domain=domain, **attrs)

    def _unary(self, op_type: str, x: T, **attrs) -> T:
        return self._emit(op_type, [x], [x.shape], **attrs)[0]

    def _binary(self, op_type: str, a, b) -> T:
        like = a if isinstance(a, T) else b
        a, b = self._as_t(a, like), self._as_t(b, like)
        return self._emit(op_type, [a, b], [broadcast(a.shape, b.shape)], dtypes=[like.dtype])[0]

    # ----------------------------------------------------------------- elementwise
    def add(self, a, b) -> T:
        return self._binary("Add", a, b)

    def sub(self, a, b) -> T:
        return self._binary("Sub", a, b)

    def mul(self, a, b) -> T:
        return self._binary("Mul", a, b)

    def div(self, a, b) -> T:
        return self._binary("Div", a, b)

    def pow(self, a, b) -> T:
        return self._binary("Pow", a, b)

    def sqrt(self, x: T) -> T:
        return self._unary("Sqrt", x)

    def neg(self, x: T) -> T:
        return self._unary("Neg", x)

    def relu(self, x: T) -> T:
        return self._unary("Relu", x)

    def relu6(self, x: T) -> T:
        """ReLU6 as PyTorch exports it: Clip with min/max constant inputs."""
        return self._emit("Clip", [x, self.constant(0.0), self.constant(6.0)], [x.shape])[0]

    def hardswish(self, x: T) -> T:
        return self._unary("HardSwish", x)

    def hardsigmoid(self, x: T) -> T:
        return self._unary("HardSigmoid", x, alpha=1.0 / 6.0, beta=0.5)

    def sigmoid(self, x: T) -> T:
        return self._unary("Sigmoid", x)

    def tanh(self, x: T) -> T:
        return self._unary("Tanh", x)

    def leaky_relu(self, x: T, alpha: float = 0.1) -> T:
        return self._unary("LeakyRelu", x, alpha=alpha)

    def silu(self, x: T) -> T:
        """SiLU/Swish as exported: Sigmoid then Mul."""
        return self.mul(x, self.sigmoid(x))

    def gelu(self, x: T, approx: str = "erf") -> T:
        """GELU as exported before opset 20: the Erf pattern, or GPT-2's tanh pattern."""
        if approx == "erf":
            e = self._unary("Erf", self.div(x, 1.4142135381698608))
            return self.mul(self.mul(x, self.add(e, 1.0)), 0.5)
        if approx == "tanh":
            inner = self.mul(self.add(x, self.mul(self.pow(x, 3.0), 0.044715)), math.sqrt(2.0 / math.pi))
            return self.mul(self.mul(x, 0.5), self.add(self.tanh(inner), 1.0))
        if approx == "op":
            return self._unary("Gelu", x)
        raise InputError(f"unknown gelu approximation {approx!r}")

    def act(self, x: T, kind: str | None) -> T:
        """Apply an activation by name (None/'none'/'identity' = no-op)."""
        if kind in (None, "none", "identity", "linear"):
            return x
        fn = {"relu": self.relu, "relu6": self.relu6, "hardswish": self.hardswish,
              "hswish": self.hardswish, "hardsigmoid": self.hardsigmoid, "sigmoid": self.sigmoid,
              "silu": self.silu, "swish": self.silu, "gelu": self.gelu, "tanh": self.tanh,
              "leaky_relu": self.leaky_relu}.get(kind)
        if fn is None:
            raise InputError(f"unknown activation {kind!r}")
        return fn(x)

    # ----------------------------------------------------------------- conv / norm / pool
    def conv(self, x: T, out_ch: int, k: int | Sequence[int] = 3, stride: int | Sequence[int] = 1,
             pad: int | Sequence[int] | None = None, groups: int = 1, dilation: int = 1,
             bias: bool = True, leaf: str | None = None) -> T:
        """2-D convolution (NCHW). ``pad=None`` means PyTorch's usual ``k//2 * dilation``."""
        ks = (k, k) if isinstance(k, int) else tuple(k)
        ss = (stride, stride) if isinstance(stride, int) else tuple(stride)
        if pad is None:
            pads = [(kk // 2) * dilation for kk in ks] * 2
        elif isinstance(pad, int):
            pads = [pad, pad, pad, pad]
        else:
            pads = list(pad) if len(pad) == 4 else list(pad) * 2
        in_ch = x.shape[1]
        if not isinstance(in_ch, int) or in_ch % groups or out_ch % groups:
            raise InputError(f"conv: channels {in_ch}->{out_ch} not divisible by groups {groups}")
        w = self.weight((out_ch, in_ch // groups) + ks, "weight")
        inputs = [x, w]
        if bias:
            inputs.append(self.weight((out_ch,), "bias", std=0.01))
        h = _conv_out(x.shape[2], ks[0], ss[0], pads[0] + pads[2], dilation)
        wd = _conv_out(x.shape[3], ks[1], ss[1], pads[1] + pads[3], dilation)
        return self._emit("Conv", inputs, [(x.shape[0], out_ch, h, wd)], dilations=[dilation] * 2,
                          group=groups, kernel_shape=list(ks), pads=pads, strides=list(ss))[0]

    def conv_transpose(self, x: T, out_ch: int, k: int = 2, stride: int = 2, pad: int = 0,
                       bias: bool = True) -> T:
        """2-D transposed convolution (nn.ConvTranspose2d), out = (in-1)*stride - 2*pad + k."""
        in_ch = int(x.shape[1])
        w = self.weight((in_ch, out_ch, k, k), "weight", std=1.0 / math.sqrt(in_ch * k * k))
        inputs = [x, w] + ([self.weight((out_ch,), "bias", std=0.01)] if bias else [])
        hw = [((d - 1) * stride - 2 * pad + k) if isinstance(d, int) else f"{d}_up" for d in x.shape[2:]]
        return self._emit("ConvTranspose", inputs, [(x.shape[0], out_ch, *hw)], kernel_shape=[k, k],
                          strides=[stride, stride], pads=[pad] * 4)[0]

    def batchnorm(self, x: T, eps: float = 1e-5) -> T:
        """BatchNormalization (inference form); a no-op when ``fold_bn`` (exporters fold it)."""
        if self.fold_bn:
            return x
        c = x.shape[1]
        scale = self.weight((c,), "weight", fill=1.0)
        b = self.weight((c,), "bias", fill=0.0)
        mean = self.weight((c,), "running_mean", fill=0.0, buffer=True)
        var = self.weight((c,), "running_var", fill=1.0, buffer=True)
        return self._emit("BatchNormalization", [x, scale, b, mean, var], [x.shape], epsilon=eps)[0]

    def conv_bn_act(self, x: T, out_ch: int, k: int = 3, stride: int = 1, groups: int = 1,
                    act: str | None = "relu", pad: int | None = None, dilation: int = 1,
                    name: str | None = None) -> T:
        """Conv (bias only when BN is folded) + BatchNorm + activation, like torchvision's blocks."""
        ctx = self.scope(name) if name else contextlib.nullcontext()
        with ctx:
            with self.scope("conv") if name else contextlib.nullcontext():
                y = self.conv(x, out_ch, k, stride, pad, groups, dilation, bias=self.fold_bn)
            with self.scope("bn") if name else contextlib.nullcontext():
                y = self.batchnorm(y)
            return self.act(y, act)

    def _pool(self, op: str, x: T, k: int, stride: int | None, pad: int, ceil_mode: bool,
              **extra) -> T:
        stride = k if stride is None else stride
        h = _conv_out(x.shape[2], k, stride, 2 * pad, 1, ceil_mode)
        w = _conv_out(x.shape[3], k, stride, 2 * pad, 1, ceil_mode)
        return self._emit(op, [x], [(x.shape[0], x.shape[1], h, w)], kernel_shape=[k, k],
                          strides=[stride, stride], pads=[pad] * 4,
                          ceil_mode=1 if ceil_mode else None, **extra)[0]

    def maxpool(self, x: T, k: int, stride: int | None = None, pad: int = 0,
                ceil_mode: bool = False) -> T:
        return self._pool("MaxPool", x, k, stride, pad, ceil_mode)

    def avgpool(self, x: T, k: int, stride: int | None = None, pad: int = 0,
                ceil_mode: bool = False, count_include_pad: bool = False) -> T:
        return self._pool("AveragePool", x, k, stride, pad, ceil_mode,
                          count_include_pad=1 if count_include_pad else None)

    def global_avgpool(self, x: T) -> T:
        return self._emit("GlobalAveragePool", [x], [x.shape[:2] + (1,) * (x.rank - 2)])[0]

    def reduce_mean(self, x: T, axes: Sequence[int], keepdims: bool = True) -> T:
        axes = [a % x.rank for a in axes]
        shape = tuple((1 if i in axes else d) for i, d in enumerate(x.shape) if keepdims or i not in axes)
        if self.opset >= 18:
            return self._emit("ReduceMean", [x, self.constant(axes, "int64")], [shape],
                              keepdims=int(keepdims))[0]
        return self._emit("ReduceMean", [x], [shape], axes=list(axes), keepdims=int(keepdims))[0]

    def layernorm(self, x: T, eps: float = 1e-5, affine: bool = True) -> T:
        """LayerNormalization (opset 17) over the last axis, with weight and bias."""
        d = x.shape[-1]
        inputs = [x]
        if affine:
            inputs += [self.weight((d,), "weight", fill=1.0), self.weight((d,), "bias", fill=0.0)]
        else:
            inputs += [self.constant(np.ones(d, np.float32))]
        return self._emit("LayerNormalization", inputs, [x.shape], axis=-1, epsilon=eps)[0]

    def rmsnorm(self, x: T, eps: float = 1e-6) -> T:
        """RMSNorm as exporters write it: Pow, ReduceMean, Add, Sqrt, Div, Mul, Mul(weight)."""
        d = x.shape[-1]
        var = self.reduce_mean(self.pow(x, 2.0), [-1])
        inv = self.div(1.0, self.sqrt(self.add(var, eps)))
        return self.mul(self.weight((d,), "weight", fill=1.0), self.mul(x, inv))

    def softmax(self, x: T, axis: int = -1) -> T:
        return self._unary("Softmax", x, axis=axis)

    def resize(self, x: T, scale: float = 2.0, mode: str = "nearest",
               size: Sequence[int] | None = None) -> T:
        """Spatial Resize (NCHW) by ``scale`` or to ``size``, as F.interpolate exports."""
        if size is not None:
            out = (x.shape[0], x.shape[1], int(size[0]), int(size[1]))
            # ONNX 'sizes' must be concrete; a symbolic batch stays via scales instead
            if any(isinstance(d, str) for d in out):
                return self._emit("Resize", [x, None, self.constant(
                    [1.0, 1.0, size[0] / x.shape[2], size[1] / x.shape[3]])], [out], mode=mode,
                    coordinate_transformation_mode="asymmetric" if mode == "nearest" else "pytorch_half_pixel",
                    **({"nearest_mode": "floor"} if mode == "nearest" else {}))[0]
            inputs = [x, None, None, self.constant(list(out), "int64")]
        else:
            sh, sw = (scale, scale) if isinstance(scale, (int, float)) else scale
            out = (x.shape[0], x.shape[1],
                   int(math.floor(x.shape[2] * sh)) if isinstance(x.shape[2], int) else x.shape[2],
                   int(math.floor(x.shape[3] * sw)) if isinstance(x.shape[3], int) else x.shape[3])
            inputs = [x, None, self.constant([1.0, 1.0, float(sh), float(sw)])]
        extra = {"nearest_mode": "floor"} if mode == "nearest" else {}
        ctm = "asymmetric" if mode == "nearest" else "pytorch_half_pixel"
        return self._emit("Resize", inputs, [out], mode=mode, coordinate_transformation_mode=ctm,
                          **extra)[0]

    # ----------------------------------------------------------------- linear algebra
    def matmul(self, a: T, b: T) -> T:
        """MatMul with numpy batch broadcasting of the leading dims."""
        if a.shape[-1] != b.shape[-2] and not (isinstance(a.shape[-1], str) or isinstance(b.shape[-2], str)):
            raise InputError(f"matmul: inner dims differ, {a.shape} @ {b.shape}")
        lead = broadcast(a.shape[:-2], b.shape[:-2])
        return self._emit("MatMul", [a, b], [lead + (a.shape[-2], b.shape[-1])])[0]

    def gemm(self, x: T, out_features: int, bias: bool = True) -> T:
        """nn.Linear on a 2-D input, as exported: Gemm with transB=1 and a [out, in] weight."""
        in_f = x.shape[-1]
        w = self.weight((out_features, in_f), "weight")
        inputs = [x, w] + ([self.weight((out_features,), "bias", std=0.01)] if bias else [])
        return self._emit("Gemm", inputs, [(x.shape[0], out_features)], alpha=1.0, beta=1.0, transB=1)[0]

    def linear(self, x: T, out_features: int, bias: bool = True) -> T:
        """nn.Linear: Gemm for rank-2 inputs, else MatMul with a pre-transposed weight (+ Add)."""
        if x.rank == 2:
            return self.gemm(x, out_features, bias)
        w = self.weight((x.shape[-1], out_features), "weight", std=1.0 / math.sqrt(int(x.shape[-1])))
        y = self.matmul(x, w)
        if bias:
            y = self.add(self.weight((out_features,), "bias", std=0.01), y)
        return y

    # ----------------------------------------------------------------- shape ops
    def reshape(self, x: T, shape: Sequence[int]) -> T:
        """Reshape with ONNX semantics (0 copies the input dim, -1 is inferred)."""
        shape = [int(s) for s in shape]
        out: list[Dim] = []
        for i, s in enumerate(shape):
            out.append(x.shape[i] if s == 0 else s)
        if -1 in shape:
            i = shape.index(-1)
            tot_n, tot_s = _split_dim(_prod(x.shape))
            known_n, known_s = _split_dim(_prod([d for j, d in enumerate(out) if j != i]))
            syms = list(tot_s)
            for s in known_s:
                if s in syms:
                    syms.remove(s)
            n = tot_n // known_n if known_n and tot_n % known_n == 0 else tot_n
            out[i] = _prod([n] + syms) if syms else n
        elif all(isinstance(d, int) for d in x.shape) and _prod(out) != _prod(x.shape):
            raise InputError(f"reshape: cannot reshape {x.shape} to {tuple(shape)}")
        return self._emit("Reshape", [x, self.constant(shape, "int64")], [tuple(out)])[0]

    def flatten(self, x: T, axis: int = 1) -> T:
        return self._emit("Flatten", [x], [(_prod(x.shape[:axis]), _prod(x.shape[axis:]))], axis=axis)[0]

    def transpose(self, x: T, perm: Sequence[int]) -> T:
        return self._emit("Transpose", [x], [tuple(x.shape[p] for p in perm)], perm=list(perm))[0]

    def concat(self, xs: Sequence[T], axis: int = 1) -> T:
        ax = axis % xs[0].rank
        shape = list(xs[0].shape)
        shape[ax] = _prod([]) if False else _sum_dims([t.shape[ax] for t in xs])
        return self._emit("Concat", list(xs), [tuple(shape)], axis=axis)[0]

    def split(self, x: T, sizes: Sequence[int], axis: int = 1) -> list[T]:
        ax = axis % x.rank
        shapes = [tuple(s if i == ax else d for i, d in enumerate(x.shape)) for s in sizes]
        return self._emit("Split", [x, self.constant(list(sizes), "int64")], shapes, axis=axis)

    def slice(self, x: T, starts: Sequence[int] | T, ends: Sequence[int] | T,
              axes: Sequence[int], steps: Sequence[int] | None = None,
              out_shape: Shape | None = None) -> T:
        """Slice; with tensor starts/ends (dynamic), pass the resulting ``out_shape``."""
        if out_shape is None:
            shape = list(x.shape)
            for j, ax in enumerate(axes):
                d = shape[ax]
                st = (steps[j] if steps else 1)
                if isinstance(d, str):
                    continue
                s, e = int(starts[j]), int(ends[j])  # type: ignore[index]
                s = max(0, min(d, s + d if s < 0 else s))
                e = max(0, min(d, e + d if e < 0 else e))
                shape[ax] = max(0, -(-(e - s) // st))
            out_shape = tuple(shape)
        st_t = starts if isinstance(starts, T) else self.constant(list(starts), "int64")
        en_t = ends if isinstance(ends, T) else self.constant(list(ends), "int64")
        inputs = [x, st_t, en_t, self.constant(list(axes), "int64")]
        if steps:
            inputs.append(self.constant(list(steps), "int64"))
        return self._emit("Slice", inputs, [tuple(out_shape)])[0]

    def unsqueeze(self, x: T, axes: Sequence[int]) -> T:
        shape = list(x.shape)
        n = x.rank + len(axes)
        for a in sorted(a % n for a in axes):
            shape.insert(a, 1)
        return self._emit("Unsqueeze", [x, self.constant(list(axes), "int64")], [tuple(shape)])[0]

    def squeeze(self, x: T, axes: Sequence[int]) -> T:
        ax = {a % x.rank for a in axes}
        shape = tuple(d for i, d in enumerate(x.shape) if i not in ax)
        return self._emit("Squeeze", [x, self.constant(list(axes), "int64")], [shape])[0]

    def expand(self, x: T, shape: Sequence[int]) -> T:
        return self._emit("Expand", [x, self.constant(list(shape), "int64")],
                          [broadcast(x.shape, tuple(shape))])[0]

    def gather(self, data: T, indices: T, axis: int = 0) -> T:
        ax = axis % data.rank
        shape = data.shape[:ax] + indices.shape + data.shape[ax + 1:]
        return self._emit("Gather", [data, indices], [shape], dtypes=[data.dtype], axis=axis)[0]

    def cast(self, x: T, dtype: Union[str, int]) -> T:
        dt = _dtype(dtype)
        return self._emit("Cast", [x], [x.shape], dtypes=[dt], to=dt)[0]

    def where(self, cond: T, a, b) -> T:
        like = a if isinstance(a, T) else b
        a, b = self._as_t(a, like), self._as_t(b, like)
        shape = broadcast(broadcast(cond.shape, a.shape), b.shape)
        return self._emit("Where", [cond, a, b], [shape], dtypes=[like.dtype])[0]

    def shape_of(self, x: T, start: int | None = None, end: int | None = None) -> T:
        """``Shape`` (optionally a slice of it), int64, as exporters emit for dynamic dims."""
        n = x.rank
        s = 0 if start is None else start % n
        e = n if end is None else (end % n if end < 0 else min(end, n))
        attrs = {}
        if start is not None:
            attrs["start"] = start
        if end is not None:
            attrs["end"] = end
        return self._emit("Shape", [x], [(e - s,)], dtypes=[TensorProto.INT64], **attrs)[0]

    # ----------------------------------------------------------------- finish
    def build(self, name: str = "graph", doc: str = "", check: bool = True) -> onnx.ModelProto:
        """Assemble the ModelProto (opset ``self.opset``, IR 8), optionally checked."""
        if not self.outputs:
            raise InputError("graph has no outputs; call output() first")
        graph = helper.make_graph(self.nodes, name, self.inputs, self.outputs, self.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", self.opset)],
                                  producer_name="advisor.zoo", producer_version="0.1")
        model.ir_version = 8 if self.opset <= 17 else 9 if self.opset <= 20 else 10
        if doc:
            model.doc_string = doc
        if check:
            check_model(model)
        return model


def check_model(model: onnx.ModelProto) -> None:
    """``onnx.checker.check_model``, also for graph-only models (external weights that exist
    nowhere): those are checked with the initializers declared as graph inputs instead."""
    if any(t.data_location == TensorProto.EXTERNAL for t in model.graph.initializer):
        m = onnx.ModelProto()
        m.CopyFrom(model)
        inits = list(m.graph.initializer)
        del m.graph.initializer[:]
        for t in inits:
            m.graph.input.append(helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)))
        model = m
    onnx.checker.check_model(model)


def _sum_dims(dims: Sequence[Dim]) -> Dim:
    if all(isinstance(d, int) for d in dims):
        return int(sum(dims))  # type: ignore[arg-type]
    syms = [d for d in dims if isinstance(d, str)]
    num = sum(d for d in dims if isinstance(d, int))
    return "+".join(syms + ([str(num)] if num else []))
