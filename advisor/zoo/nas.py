"""NAS search-space networks behind the HELP / HW-NAS-Bench latency rows, as ONNX graphs.

- ``nasbench201(arch_str)``: NAS-Bench-201 TinyNetwork (xautodl ``InferCell``): CIFAR-10 32x32,
  stem 3x3 conv 16 + BN, 3 stages x 5 cells (16/32/64 channels) joined by ResNet basic blocks
  with stride 2 (ReLU-conv-BN x2, shortcut AvgPool 2x2 + 1x1 conv), BN + ReLU, global average
  pool, linear 10. Edge ops: ``none`` (x * 0, as the reference Zero op computes), ``skip_connect``,
  ``nor_conv_1x1``/``nor_conv_3x3`` (ReLU-conv-BN), ``avg_pool_3x3`` (count_include_pad=False).
- ``fbnet(arch)``: the FBNet space of HW-NAS-Bench (22 searchable blocks, stages of
  1/4/4/4/4/4/1 blocks, channels 16/24/32/64/112/184/352, stem 16, head 1x1 conv to 1984 (1504 on
  CIFAR-100), average pool, linear). Blocks ``k{3,5}_e{1,3,6}[_g2]`` are FBNet inverted
  residuals: 1x1 (group) conv + BN + ReLU, channel shuffle when grouped, kxk depthwise + BN +
  ReLU, 1x1 (group) conv + BN, residual when shape is kept; ``skip`` is identity, or a 1x1
  conv + BN where stride or width change. ``dataset="imagenet"`` (224x224, stem stride 2,
  strides 1/2/2/2/1/2/1) is the default; ``"cifar100"`` gives 32x32 with strides 1/1/2/2/1/2/1.
- ``ofa_mbv3(arch)``: Once-for-All MobileNetV3 (width 1.0): stem 3x3/2 16 + h-swish, a 16->16
  depthwise-separable block with residual, 5 stages (24/40/80/112/160 channels, strides
  2/2/2/1/2, ReLU/ReLU/h-swish/h-swish/h-swish, SE in stages 2, 4, 5) of ``d[i]`` MBConv
  blocks with kernel ``ks[4i+j]`` and expansion ``e[4i+j]``, 1x1 conv to 960 + h-swish,
  average pool, 1x1 conv to 1280 + h-swish, linear 1000; input ``r`` x ``r``.

Arguments may be the strings stored in the HELP CSVs (JSON lists / dicts) or Python objects.
"""

from __future__ import annotations

import ast
import json
import re

import onnx

from advisor.errors import InputError
from advisor.zoo.builder import GraphBuilder, T

NB201_OPS = ("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3")
FBNET_OPS = ("k3_e1", "k3_e1_g2", "k3_e3", "k3_e6", "k5_e1", "k5_e1_g2", "k5_e3", "k5_e6", "skip")


# ----------------------------------------------------------------- NAS-Bench-201
def parse_nb201(arch_str: str) -> list[list[tuple[str, int]]]:
    """``|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`` -> per node, its (op, source node) edges."""
    nodes = []
    for part in str(arch_str).strip().split("+"):
        edges = [(m.group(1), int(m.group(2))) for m in re.finditer(r"([a-z_0-9x]+)~(\d+)", part)]
        nodes.append(edges)
    if [len(n) for n in nodes] != [1, 2, 3] or any(
            op not in NB201_OPS or src >= i for i, n in enumerate(nodes, 1) for op, src in n):
        raise InputError(f"not a NAS-Bench-201 cell string: {arch_str!r}")
    return nodes


def _relu_conv_bn(b: GraphBuilder, x: T, c_out: int, k: int, stride: int) -> T:
    y = b.relu(x)
    y = b.conv(y, c_out, k, stride, pad=k // 2, bias=False)
    return b.batchnorm(y)


def _nb201_edge(b: GraphBuilder, x: T, op: str, c: int) -> T:
    if op == "none":
        return b.mul(x, 0.0)
    if op == "skip_connect":
        return x
    if op == "nor_conv_1x1":
        return _relu_conv_bn(b, x, c, 1, 1)
    if op == "nor_conv_3x3":
        return _relu_conv_bn(b, x, c, 3, 1)
    return b.avgpool(x, 3, 1, pad=1, count_include_pad=False)


#: Defaults, so each space builds by name alone: NAS-Bench-201's best CIFAR-10 cell, a uniform
#: FBNet network and the largest OFA MobileNetV3 subnet.
DEFAULT_NB201 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|"
DEFAULT_FBNET = "-".join(["k3_e6"] * 22)
DEFAULT_OFA = "r224k" + "7" * 20 + "e" + "6" * 20 + "d" + "4" * 5


def nasbench201(arch_str: str = DEFAULT_NB201, batch: int = 1, graph_only: bool = False, num_classes: int = 10,
                stem_channels: int = 16, cells_per_stage: int = 5, resolution: int = 32,
                seed: int = 0) -> onnx.ModelProto:
    """The NAS-Bench-201 network of ``arch_str`` (CIFAR-10 defaults)."""
    nodes = parse_nb201(arch_str)
    b = GraphBuilder(seed=seed, graph_only=graph_only, fold_bn=False)
    x = b.input("input", (batch, 3, resolution, resolution))
    with b.scope("stem"):
        x = b.batchnorm(b.conv(x, stem_channels, 3, 1, pad=1, bias=False))
    c = stem_channels
    idx = 0
    for stage in range(3):
        if stage > 0:
            c *= 2
            with b.scope(f"cells.{idx}"):  # ResNet basic block, stride 2
                with b.scope("conv_a"):
                    y = _relu_conv_bn(b, x, c, 3, 2)
                with b.scope("conv_b"):
                    y = _relu_conv_bn(b, y, c, 3, 1)
                with b.scope("downsample"):
                    r = b.avgpool(x, 2, 2)
                    r = b.conv(r, c, 1, 1, pad=0, bias=False)
                x = b.add(r, y)
            idx += 1
        for _ in range(cells_per_stage):
            with b.scope(f"cells.{idx}"):
                states = [x]
                for n, edges in enumerate(nodes, 1):
                    terms = []
                    for e, (op, src) in enumerate(edges):
                        with b.scope(f"edge{n}_{src}"):
                            terms.append(_nb201_edge(b, states[src], op, c))
                    s = terms[0]
                    for t in terms[1:]:
                        s = b.add(s, t)
                    states.append(s)
                x = states[-1]
            idx += 1
    with b.scope("lastact"):
        x = b.relu(b.batchnorm(x))
    x = b.flatten(b.global_avgpool(x))
    with b.scope("classifier"):
        x = b.linear(x, num_classes)
    b.output(x, "logits")
    return b.build("nasbench201", doc=f"NAS-Bench-201 {arch_str}")


# ----------------------------------------------------------------- FBNet
def parse_fbnet(arch) -> list[str]:
    """A list of 22 block names (or its JSON / Python-literal text)."""
    if isinstance(arch, str) and not arch.lstrip().startswith("["):
        arch = arch.split("-")  # recipe form: k5_e6-skip-...
    elif isinstance(arch, str):
        try:
            arch = json.loads(arch)
        except json.JSONDecodeError:
            try:
                arch = ast.literal_eval(arch)
            except (ValueError, SyntaxError):
                raise InputError(f"cannot parse FBNet architecture {arch!r}") from None
    ops = list(arch)
    if len(ops) != 22 or any(o not in FBNET_OPS for o in ops):
        raise InputError(f"FBNet architecture needs 22 blocks from {FBNET_OPS}, got {ops}")
    return ops


def _shuffle(b: GraphBuilder, x: T, groups: int) -> T:
    n, c, h, w = x.shape
    y = b.reshape(x, [n, groups, c // groups, h, w])
    y = b.transpose(y, [0, 2, 1, 3, 4])
    return b.reshape(y, [n, c, h, w])


def _fbnet_block(b: GraphBuilder, x: T, op: str, c_out: int, stride: int) -> T:
    c_in = x.shape[1]
    if op == "skip":
        if stride == 1 and c_in == c_out:
            return x
        return b.batchnorm(b.conv(x, c_out, 1, stride, pad=0, bias=False))
    k, e, g = int(op[1]), int(op.split("_")[1][1:]), (2 if op.endswith("_g2") else 1)
    mid = c_in * e
    y = b.relu(b.batchnorm(b.conv(x, mid, 1, 1, pad=0, groups=g, bias=False)))
    if g > 1:
        y = _shuffle(b, y, g)
    y = b.relu(b.batchnorm(b.conv(y, mid, k, stride, pad=k // 2, groups=mid, bias=False)))
    y = b.batchnorm(b.conv(y, c_out, 1, 1, pad=0, groups=g, bias=False))
    return b.add(x, y) if stride == 1 and c_in == c_out else y


def fbnet(arch=DEFAULT_FBNET, batch: int = 1, graph_only: bool = False, dataset: str = "imagenet",
          seed: int = 0) -> onnx.ModelProto:
    """The FBNet-space network of ``arch`` (22 block names) for ``imagenet`` or ``cifar100``."""
    ops = parse_fbnet(arch)
    if dataset == "imagenet":
        res, stem_stride, strides, head, classes = 224, 2, [1, 2, 2, 2, 1, 2, 1], 1984, 1000
    elif dataset == "cifar100":
        res, stem_stride, strides, head, classes = 32, 1, [1, 1, 2, 2, 1, 2, 1], 1504, 100
    else:
        raise InputError(f"fbnet dataset must be 'imagenet' or 'cifar100', got {dataset!r}")
    b = GraphBuilder(seed=seed, graph_only=graph_only, fold_bn=False)
    x = b.input("input", (batch, 3, res, res))
    with b.scope("stem"):
        x = b.relu(b.batchnorm(b.conv(x, 16, 3, stem_stride, pad=1, bias=False)))
    i = 0
    for stage, (n, c, s) in enumerate(zip([1, 4, 4, 4, 4, 4, 1],
                                          [16, 24, 32, 64, 112, 184, 352], strides)):
        for j in range(n):
            with b.scope(f"blocks.{i}"):
                x = _fbnet_block(b, x, ops[i], c, s if j == 0 else 1)
            i += 1
    with b.scope("head"):
        x = b.relu(b.batchnorm(b.conv(x, head, 1, 1, pad=0, bias=False)))
    x = b.flatten(b.global_avgpool(x))
    with b.scope("classifier"):
        x = b.linear(x, classes)
    b.output(x, "logits")
    return b.build("fbnet", doc=f"FBNet space ({dataset}): {','.join(ops)}")


# ----------------------------------------------------------------- Once-for-All MobileNetV3
def _make_divisible(v: float, divisor: int = 8) -> int:
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


def parse_ofa(arch) -> dict:
    """``{"ks": [20], "e": [20], "d": [5], "r": int}``, its JSON text, or the compact recipe
    form ``r<r>k<20 digits>e<20 digits>d<5 digits>`` (see ``ofa_code``), validated."""
    m = re.fullmatch(r"r(\d+)k(\d{20})e(\d{20})d(\d{5})", arch.strip()) if isinstance(arch, str) else None
    if m:
        arch = {"ks": list(m.group(2)), "e": list(m.group(3)), "d": list(m.group(4)), "r": m.group(1)}
    elif isinstance(arch, str):
        try:
            arch = json.loads(arch)
        except json.JSONDecodeError:
            raise InputError(f"cannot parse OFA architecture {arch!r}") from None
    try:
        ks, e, d = [int(v) for v in arch["ks"]], [int(v) for v in arch["e"]], [int(v) for v in arch["d"]]
        r = int(arch.get("r", 224))
    except (KeyError, TypeError, ValueError):
        raise InputError("OFA architecture needs keys ks, e, d (and r)") from None
    if (len(ks), len(e), len(d)) != (20, 20, 5) or not all(v in (3, 5, 7) for v in ks) \
            or not all(v in (3, 4, 6) for v in e) or not all(v in (2, 3, 4) for v in d) or r < 32:
        raise InputError("OFA architecture: ks[20] in {3,5,7}, e[20] in {3,4,6}, d[5] in "
                         f"{{2,3,4}}, r >= 32; got ks={ks} e={e} d={d} r={r}")
    return {"ks": ks, "e": e, "d": d, "r": r}


def ofa_code(arch) -> str:
    """The compact, comma-free form of an OFA architecture, for zoo recipe strings."""
    cfg = parse_ofa(arch)
    return (f"r{cfg['r']}k{''.join(map(str, cfg['ks']))}e{''.join(map(str, cfg['e']))}"
            f"d{''.join(map(str, cfg['d']))}")


def _hswish(b: GraphBuilder, x: T) -> T:
    return b.hardswish(x)


def _se(b: GraphBuilder, x: T) -> T:
    c = x.shape[1]
    mid = _make_divisible(c // 4)
    with b.scope("se"):
        y = b.global_avgpool(x)
        y = b.relu(b.conv(y, mid, 1, 1, pad=0, bias=True))
        y = b.hardsigmoid(b.conv(y, c, 1, 1, pad=0, bias=True))
    return b.mul(x, y)


def _mbconv(b: GraphBuilder, x: T, c_out: int, k: int, stride: int, expand: int, act: str,
            se: bool) -> T:
    c_in = x.shape[1]
    mid = _make_divisible(round(c_in * expand))
    y = x
    if expand != 1:
        with b.scope("inverted_bottleneck"):
            y = b.act(b.batchnorm(b.conv(y, mid, 1, 1, pad=0, bias=False)), act)
    with b.scope("depth_conv"):
        y = b.act(b.batchnorm(b.conv(y, mid, k, stride, pad=k // 2, groups=mid, bias=False)), act)
        if se:
            y = _se(b, y)
    with b.scope("point_linear"):
        y = b.batchnorm(b.conv(y, c_out, 1, 1, pad=0, bias=False))
    return y


def ofa_mbv3(arch=DEFAULT_OFA, batch: int = 1, graph_only: bool = False, num_classes: int = 1000,
             seed: int = 0) -> onnx.ModelProto:
    """The OFA MobileNetV3 subnet ``{"ks", "e", "d", "r"}`` at input ``r`` x ``r``."""
    cfg = parse_ofa(arch)
    b = GraphBuilder(seed=seed, graph_only=graph_only, fold_bn=False)
    x = b.input("input", (batch, 3, cfg["r"], cfg["r"]))
    with b.scope("first_conv"):
        x = _hswish(b, b.batchnorm(b.conv(x, 16, 3, 2, pad=1, bias=False)))
    with b.scope("blocks.0"):
        x = b.add(x, _mbconv(b, x, 16, 3, 1, 1, "relu", False))
    widths, strides = [24, 40, 80, 112, 160], [2, 2, 2, 1, 2]
    acts = ["relu", "relu", "hardswish", "hardswish", "hardswish"]
    ses = [False, True, False, True, True]
    blk = 1
    for i in range(5):
        for j in range(cfg["d"][i]):
            with b.scope(f"blocks.{blk}"):
                y = _mbconv(b, x, widths[i], cfg["ks"][4 * i + j], strides[i] if j == 0 else 1,
                            cfg["e"][4 * i + j], acts[i], ses[i])
                x = y if j == 0 else b.add(x, y)
            blk += 1
    with b.scope("final_expand_layer"):
        x = _hswish(b, b.batchnorm(b.conv(x, 960, 1, 1, pad=0, bias=False)))
    x = b.global_avgpool(x)
    with b.scope("feature_mix_layer"):
        x = _hswish(b, b.conv(x, 1280, 1, 1, pad=0, bias=False))
    x = b.flatten(x)
    with b.scope("classifier"):
        x = b.linear(x, num_classes)
    b.output(x, "logits")
    return b.build("ofa_mbv3", doc=f"OFA MobileNetV3 {json.dumps(cfg)}")


RECIPES = {"nasbench201": nasbench201, "fbnet": fbnet, "ofa": ofa_mbv3}
