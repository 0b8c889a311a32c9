"""Canonical convolutional networks, layer for layer as torchvision (or the paper) defines them.

Each builder takes keyword options and returns an ``onnx.ModelProto`` with one input ``input``
(``[batch, 3, resolution, resolution]``) and one output ``logits``. Common options:
``batch``, ``resolution``, ``num_classes``, ``dynamic`` (symbolic ``batch`` dim), ``graph_only``
(external, data-less weights), ``seed``, ``fold_bn`` (Conv+bias as exporters emit in eval mode;
False keeps BatchNormalization nodes). Parameter counts with ``fold_bn=False`` match torchvision's
``sum(p.numel())`` (BN running stats are buffers, not counted).
"""

from __future__ import annotations

import math
from typing import Sequence

import onnx

from advisor.errors import InputError
from advisor.zoo.builder import GraphBuilder, T


# ----------------------------------------------------------------------------- shared helpers
def make_divisible(v: float, divisor: int = 8, min_value: int | None = None) -> int:
    """torchvision's ``_make_divisible``: round to a multiple of ``divisor``, at most 10% down."""
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def new_builder(opts: dict) -> GraphBuilder:
    return GraphBuilder(seed=int(opts.get("seed", 0)), graph_only=bool(opts.get("graph_only", False)),
                        fold_bn=bool(opts.get("fold_bn", True)))


def image_input(b: GraphBuilder, opts: dict, default_res: int = 224, channels: int = 3) -> T:
    batch = "batch" if opts.get("dynamic") else int(opts.get("batch", 1))
    res = int(opts.get("resolution", default_res))
    if res < 8:
        raise InputError(f"resolution {res} too small")
    return b.input("input", (batch, channels, res, res))


def classifier_head(b: GraphBuilder, x: T, num_classes: int, hidden: Sequence[int] = (),
                    act: str = "relu", pool: str = "gap") -> T:
    """Global average pool (GlobalAveragePool or ReduceMean), Flatten, Linear(s) -> logits."""
    if pool == "mean":
        x = b.reduce_mean(x, [2, 3], keepdims=False)
    else:
        x = b.flatten(b.global_avgpool(x))
    for i, h in enumerate(hidden):
        with b.scope(f"classifier.{i}"):
            x = b.act(b.linear(x, h), act)
    with b.scope("fc"):
        return b.linear(x, num_classes)


def finish(b: GraphBuilder, y: T, name: str, doc: str = "") -> onnx.ModelProto:
    b.output(y, "logits")
    return b.build(name, doc)


def _adaptive_avgpool(b: GraphBuilder, x: T, out: int) -> T:
    """AdaptiveAvgPool2d(out) as exporters emit it: nothing when the map is already ``out``,
    AveragePool when it divides evenly, otherwise a Resize to ``out`` (keeps the head's shape)."""
    h = x.shape[2]
    if h == out:
        return x
    if isinstance(h, int) and h % out == 0:
        return b.avgpool(x, h // out, h // out)
    return b.resize(x, mode="linear", size=(out, out))


# ----------------------------------------------------------------------------- ResNet
_RESNET = {18: ("basic", [2, 2, 2, 2]), 34: ("basic", [3, 4, 6, 3]),
           50: ("bottleneck", [3, 4, 6, 3]), 101: ("bottleneck", [3, 4, 23, 3]),
           152: ("bottleneck", [3, 8, 36, 3])}


def resnet(depth: int = 50, width: float = 1.0, num_classes: int = 1000, **opts) -> onnx.ModelProto:
    """torchvision ResNet (v1.5: stride on the 3x3 conv of bottlenecks)."""
    if int(depth) not in _RESNET:
        raise InputError(f"resnet depth must be one of {sorted(_RESNET)}")
    kind, layers = _RESNET[int(depth)]
    b = new_builder(opts)
    x = image_input(b, opts)
    base = int(64 * float(width))
    x = b.conv_bn_act(x, base, 7, 2, pad=3, name="conv1")
    x = b.maxpool(x, 3, 2, 1)
    inp = base
    for li, n in enumerate(layers):
        planes = base * 2 ** li
        for bi in range(n):
            stride = 2 if (bi == 0 and li > 0) else 1
            with b.scope(f"layer{li + 1}.{bi}"):
                out_ch = planes * (4 if kind == "bottleneck" else 1)
                if kind == "basic":
                    y = b.conv_bn_act(x, planes, 3, stride, name="conv1")
                    y = b.conv_bn_act(y, planes, 3, 1, act=None, name="conv2")
                else:
                    y = b.conv_bn_act(x, planes, 1, 1, name="conv1")
                    y = b.conv_bn_act(y, planes, 3, stride, name="conv2")
                    y = b.conv_bn_act(y, out_ch, 1, 1, act=None, name="conv3")
                sc = x
                if stride != 1 or inp != out_ch:
                    sc = b.conv_bn_act(x, out_ch, 1, stride, act=None, name="downsample")
                x = b.relu(b.add(y, sc))
                inp = out_ch
    return finish(b, classifier_head(b, x, num_classes), f"resnet{depth}")


# ----------------------------------------------------------------------------- VGG / AlexNet
_VGG = {11: [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
        16: [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
        19: [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M",
             512, 512, 512, 512, "M"]}


def vgg(depth: int = 16, num_classes: int = 1000, batch_norm: bool = False, **opts) -> onnx.ModelProto:
    """torchvision VGG (no BN by default): 3x3 convs with bias, 7x7 adaptive pool, 3 FC layers."""
    if int(depth) not in _VGG:
        raise InputError(f"vgg depth must be one of {sorted(_VGG)}")
    b = new_builder(opts)
    x = image_input(b, opts)
    i = 0
    for v in _VGG[int(depth)]:
        if v == "M":
            x = b.maxpool(x, 2, 2)
        else:
            with b.scope(f"features.{i}"):
                x = b.conv(x, int(v), 3, 1, 1)
                if batch_norm:
                    x = b.batchnorm(x)
                x = b.relu(x)
        i += 1
    x = _adaptive_avgpool(b, x, 7)
    x = b.flatten(x)
    for j, h in enumerate((4096, 4096)):
        with b.scope(f"classifier.{3 * j}"):
            x = b.relu(b.linear(x, h))
    with b.scope("classifier.6"):
        y = b.linear(x, num_classes)
    return finish(b, y, f"vgg{depth}")


def alexnet(num_classes: int = 1000, **opts) -> onnx.ModelProto:
    """torchvision AlexNet."""
    b = new_builder(opts)
    x = image_input(b, opts)
    for i, (c, k, s, p, pool) in enumerate([(64, 11, 4, 2, True), (192, 5, 1, 2, True),
                                            (384, 3, 1, 1, False), (256, 3, 1, 1, False),
                                            (256, 3, 1, 1, True)]):
        with b.scope(f"features.{i}"):
            x = b.relu(b.conv(x, c, k, s, p))
        if pool:
            x = b.maxpool(x, 3, 2)
    x = b.flatten(_adaptive_avgpool(b, x, 6))
    for j, h in enumerate((4096, 4096)):
        with b.scope(f"classifier.{3 * j + 1}"):
            x = b.relu(b.linear(x, h))
    with b.scope("classifier.6"):
        y = b.linear(x, num_classes)
    return finish(b, y, "alexnet")


# ----------------------------------------------------------------------------- GoogLeNet
def googlenet(num_classes: int = 1000, **opts) -> onnx.ModelProto:
    """torchvision GoogLeNet (no aux heads at inference; 3x3 in the '5x5' branch as torchvision)."""
    b = new_builder(opts)
    x = image_input(b, opts)

    def bc(x: T, c: int, k: int, s: int = 1, name: str = "") -> T:
        return b.conv_bn_act(x, c, k, s, name=name)

    x = bc(x, 64, 7, 2, "conv1")
    x = b.maxpool(x, 3, 2, ceil_mode=True)
    x = bc(x, 64, 1, name="conv2")
    x = bc(x, 192, 3, name="conv3")
    x = b.maxpool(x, 3, 2, ceil_mode=True)

    def inception(x: T, name: str, c1, c3r, c3, c5r, c5, pp) -> T:
        with b.scope(name):
            y1 = bc(x, c1, 1, name="branch1")
            y2 = bc(bc(x, c3r, 1, name="branch2.0"), c3, 3, name="branch2.1")
            y3 = bc(bc(x, c5r, 1, name="branch3.0"), c5, 3, name="branch3.1")
            y4 = bc(b.maxpool(x, 3, 1, 1, ceil_mode=True), pp, 1, name="branch4.1")
            return b.concat([y1, y2, y3, y4], 1)

    x = inception(x, "inception3a", 64, 96, 128, 16, 32, 32)
    x = inception(x, "inception3b", 128, 128, 192, 32, 96, 64)
    x = b.maxpool(x, 3, 2, ceil_mode=True)
    for n, cfg in [("4a", (192, 96, 208, 16, 48, 64)), ("4b", (160, 112, 224, 24, 64, 64)),
                   ("4c", (128, 128, 256, 24, 64, 64)), ("4d", (112, 144, 288, 32, 64, 64)),
                   ("4e", (256, 160, 320, 32, 128, 128))]:
        x = inception(x, "inception" + n, *cfg)
    x = b.maxpool(x, 2, 2, ceil_mode=True)
    x = inception(x, "inception5a", 256, 160, 320, 32, 128, 128)
    x = inception(x, "inception5b", 384, 192, 384, 48, 128, 128)
    return finish(b, classifier_head(b, x, num_classes), "googlenet")


# ----------------------------------------------------------------------------- SqueezeNet
def squeezenet(version: str = "1.0", num_classes: int = 1000, **opts) -> onnx.ModelProto:
    """torchvision SqueezeNet 1.0 / 1.1 (Fire modules; conv classifier)."""
    version = str(version)
    if version not in ("1.0", "1.1"):
        raise InputError("squeezenet version must be 1.0 or 1.1")
    b = new_builder(opts)
    x = image_input(b, opts)

    def fire(x: T, i: int, s: int, e: int) -> T:
        with b.scope(f"features.{i}"):
            with b.scope("squeeze"):
                x = b.relu(b.conv(x, s, 1))
            with b.scope("expand1x1"):
                y1 = b.relu(b.conv(x, e, 1))
            with b.scope("expand3x3"):
                y2 = b.relu(b.conv(x, e, 3, 1, 1))
            return b.concat([y1, y2], 1)

    if version == "1.0":
        with b.scope("features.0"):
            x = b.relu(b.conv(x, 96, 7, 2, 0))
        plan = ["M", (16, 64), (16, 64), (32, 128), "M", (32, 128), (48, 192), (48, 192), (64, 256),
                "M", (64, 256)]
    else:
        with b.scope("features.0"):
            x = b.relu(b.conv(x, 64, 3, 2, 0))
        plan = ["M", (16, 64), (16, 64), "M", (32, 128), (32, 128), "M", (48, 192), (48, 192),
                (64, 256), (64, 256)]
    for i, p in enumerate(plan, start=2):
        x = b.maxpool(x, 3, 2, ceil_mode=True) if p == "M" else fire(x, i, *p)
    with b.scope("classifier.1"):
        x = b.relu(b.conv(x, num_classes, 1))
    y = b.flatten(b.global_avgpool(x))
    return finish(b, y, "squeezenet" + version.replace(".", "_"))


# ----------------------------------------------------------------------------- MobileNets
def mobilenet_v1(width: float = 1.0, num_classes: int = 1000, **opts) -> onnx.ModelProto:
    """MobileNet v1 (Howard et al. 2017): depthwise-separable convs, width multiplier alpha."""
    b = new_builder(opts)
    x = image_input(b, opts)
    w = float(width)
    x = b.conv_bn_act(x, int(32 * w), 3, 2, name="conv0")
    plan = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + \
           [(1024, 2), (1024, 1)]
    for i, (c, s) in enumerate(plan, start=1):
        with b.scope(f"block{i}"):
            x = b.conv_bn_act(x, x.shape[1], 3, s, groups=x.shape[1], name="dw")
            x = b.conv_bn_act(x, int(c * w), 1, 1, name="pw")
    return finish(b, classifier_head(b, x, num_classes), "mobilenet_v1")


def _inverted_residual(b: GraphBuilder, x: T, out: int, k: int, stride: int, exp_ch: int,
                       act: str, se: int = 0, se_act: tuple[str, str] = ("relu", "hardsigmoid"),
                       se_pool: str = "gap") -> T:
    """MBConv: expand 1x1 (if any) -> depthwise kxk -> optional squeeze-excite -> project 1x1."""
    inp = x.shape[1]
    y = x
    if exp_ch != inp:
        y = b.conv_bn_act(y, exp_ch, 1, 1, act=act, name="expand")
    y = b.conv_bn_act(y, exp_ch, k, stride, groups=exp_ch, act=act, name="dw")
    if se:
        with b.scope("se"):
            s = b.global_avgpool(y) if se_pool == "gap" else b.reduce_mean(y, [2, 3])
            with b.scope("fc1"):
                s = b.act(b.conv(s, se, 1), se_act[0])
            with b.scope("fc2"):
                s = b.act(b.conv(s, exp_ch, 1), se_act[1])
            y = b.mul(y, s)
    y = b.conv_bn_act(y, out, 1, 1, act=None, name="project")
    if stride == 1 and inp == out:
        y = b.add(y, x)
    return y


def mobilenet_v2(width: float = 1.0, num_classes: int = 1000, **opts) -> onnx.ModelProto:
    """torchvision MobileNetV2 (inverted residuals, ReLU6, width multiplier)."""
    b = new_builder(opts)
    x = image_input(b, opts)
    w = float(width)
    x = b.conv_bn_act(x, make_divisible(32 * w), 3, 2, act="relu6", name="features.0")
    i = 1
    for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
                       (6, 160, 3, 2), (6, 320, 1, 1)]:
        for j in range(n):
            with b.scope(f"features.{i}"):
                x = _inverted_residual(b, x, make_divisible(c * w), 3, s if j == 0 else 1,
                                       int(round(x.shape[1] * t)), "relu6")
            i += 1
    x = b.conv_bn_act(x, make_divisible(1280 * max(1.0, w)), 1, 1, act="relu6", name=f"features.{i}")
    return finish(b, classifier_head(b, x, num_classes), "mobilenet_v2")


_MBV3 = {
    "large": ([(3, 16, 16, False, "relu", 1), (3, 64, 24, False, "relu", 2),
               (3, 72, 24, False, "relu", 1), (5, 72, 40, True, "relu", 2),
               (5, 120, 40, True, "relu", 1), (5, 120, 40, True, "relu", 1),
               (3, 240, 80, False, "hardswish", 2), (3, 200, 80, False, "hardswish", 1),
               (3, 184, 80, False, "hardswish", 1), (3, 184, 80, False, "hardswish", 1),
               (3, 480, 112, True, "hardswish", 1), (3, 672, 112, True, "hardswish", 1),
               (5, 672, 160, True, "hardswish", 2), (5, 960, 160, True, "hardswish", 1),
               (5, 960, 160, True, "hardswish", 1)], 1280),
    "small": ([(3, 16, 16, True, "relu", 2), (3, 72, 24, False, "relu", 2),
               (3, 88, 24, False, "relu", 1), (5, 96, 40, True, "hardswish", 2),
               (5, 240, 40, True, "hardswish", 1), (5, 240, 40, True, "hardswish", 1),
               (5, 120, 48, True, "hardswish", 1), (5, 144, 48, True, "hardswish", 1),
               (5, 288, 96, True, "hardswish", 2), (5, 576, 96, True, "hardswish", 1),
               (5, 576, 96, True, "hardswish", 1)], 1024),
}


def mobilenet_v3(size: str = "large", width: float = 1.0, num_classes: int = 1000,
                 **opts) -> onnx.ModelProto:
    """torchvision MobileNetV3 small/large (SE with hardsigmoid, hardswish, width multiplier)."""
    if size not in _MBV3:
        raise InputError("mobilenet_v3 size must be 'small' or 'large'")
    cfg, last = _MBV3[size]
    w = float(width)
    b = new_builder(opts)
    x = image_input(b, opts)
    x = b.conv_bn_act(x, make_divisible(16 * w), 3, 2, act="hardswish", name="features.0")
    for i, (k, e, c, se, act, s) in enumerate(cfg, start=1):
        exp_ch = make_divisible(e * w)
        with b.scope(f"features.{i}"):
            x = _inverted_residual(b, x, make_divisible(c * w), k, s, exp_ch, act,
                                   se=make_divisible(exp_ch // 4) if se else 0)
    x = b.conv_bn_act(x, 6 * x.shape[1], 1, 1, act="hardswish", name=f"features.{len(cfg) + 1}")
    y = classifier_head(b, x, num_classes, hidden=[make_divisible(last * w)], act="hardswish")
    return finish(b, y, f"mobilenet_v3_{size}")


# ----------------------------------------------------------------------------- ShuffleNets
def _channel_shuffle(b: GraphBuilder, x: T, groups: int) -> T:
    n, c, h, w = x.shape
    y = b.reshape(x, [0, groups, int(c) // groups, int(h), int(w)])
    y = b.transpose(y, [0, 2, 1, 3, 4])
    return b.reshape(y, [0, int(c), int(h), int(w)])


_SHUFFLE_V2 = {"0.5": [24, 48, 96, 192, 1024], "1.0": [24, 116, 232, 464, 1024],
               "1.5": [24, 176, 352, 704, 1024], "2.0": [24, 244, 488, 976, 2048]}


def shufflenet_v2(width: float = 1.0, num_classes: int = 1000, **opts) -> onnx.ModelProto:
    """torchvision ShuffleNetV2 x0.5/x1.0/x1.5/x2.0 (Split, Concat, channel shuffle)."""
    key = f"{float(width):.1f}"
    if key not in _SHUFFLE_V2:
        raise InputError(f"shufflenet_v2 width must be one of {sorted(_SHUFFLE_V2)}")
    chans = _SHUFFLE_V2[key]
    b = new_builder(opts)
    x = image_input(b, opts)
    x = b.conv_bn_act(x, chans[0], 3, 2, name="conv1")
    x = b.maxpool(x, 3, 2, 1)
    for si, (reps, out) in enumerate(zip([4, 8, 4], chans[1:4]), start=2):
        bf = out // 2
        for r in range(reps):
            with b.scope(f"stage{si}.{r}"):
                if r == 0:
                    inp = x.shape[1]
                    b1 = b.conv_bn_act(x, inp, 3, 2, groups=inp, act=None, name="branch1.0")
                    b1 = b.conv_bn_act(b1, bf, 1, 1, name="branch1.2")
                    src = x
                else:
                    x1, src = b.split(x, [bf, bf], 1)
                    b1 = x1
                y = b.conv_bn_act(src, bf, 1, 1, name="branch2.0")
                y = b.conv_bn_act(y, bf, 3, 2 if r == 0 else 1, groups=bf, act=None, name="branch2.3")
                y = b.conv_bn_act(y, bf, 1, 1, name="branch2.5")
                x = _channel_shuffle(b, b.concat([b1, y], 1), 2)
    x = b.conv_bn_act(x, chans[4], 1, 1, name="conv5")
    return finish(b, classifier_head(b, x, num_classes, pool="mean"), "shufflenet_v2")


_SHUFFLE_V1 = {1: [144, 288, 576], 2: [200, 400, 800], 3: [240, 480, 960], 4: [272, 544, 1088],
               8: [384, 768, 1536]}


def shufflenet_v1(groups: int = 3, width: float = 1.0, num_classes: int = 1000,
                  **opts) -> onnx.ModelProto:
    """ShuffleNet v1 (Zhang et al. 2018): grouped 1x1 convs, channel shuffle, avg-pool shortcut."""
    g = int(groups)
    if g not in _SHUFFLE_V1:
        raise InputError(f"shufflenet_v1 groups must be one of {sorted(_SHUFFLE_V1)}")
    w = float(width)
    b = new_builder(opts)
    x = image_input(b, opts)
    x = b.conv_bn_act(x, 24, 3, 2, name="conv1")
    x = b.maxpool(x, 3, 2, 1)
    for si, (reps, out) in enumerate(zip([4, 8, 4], _SHUFFLE_V1[g]), start=2):
        out = int(out * w) // g * g if w != 1.0 else out
        for r in range(reps):
            with b.scope(f"stage{si}.{r}"):
                inp = x.shape[1]
                stride = 2 if r == 0 else 1
                branch_out = out - inp if stride == 2 else out
                mid = out // 4
                g1 = 1 if (si == 2 and r == 0) else g
                y = b.conv_bn_act(x, mid, 1, 1, groups=g1, name="gconv1")
                if g1 > 1:
                    y = _channel_shuffle(b, y, g1)
                y = b.conv_bn_act(y, mid, 3, stride, groups=mid, act=None, name="dw")
                y = b.conv_bn_act(y, branch_out, 1, 1, groups=g, act=None, name="gconv2")
                if stride == 2:
                    x = b.relu(b.concat([b.avgpool(x, 3, 2, 1), y], 1))
                else:
                    x = b.relu(b.add(x, y))
    return finish(b, classifier_head(b, x, num_classes), "shufflenet_v1")


# ----------------------------------------------------------------------------- MnasNet / Proxyless
def _round_to_multiple(val: float, divisor: int = 8, round_up_bias: float = 0.9) -> int:
    new_val = max(divisor, int(val + divisor / 2) // divisor * divisor)
    return new_val if new_val >= round_up_bias * val else new_val + divisor


def mnasnet(width: float = 1.0, num_classes: int = 1000, **opts) -> onnx.ModelProto:
    """torchvision MNASNet (0.5/0.75/1.0/1.3)."""
    a = float(width)
    d = [_round_to_multiple(c * a) for c in [32, 16, 24, 40, 80, 96, 192, 320]]
    b = new_builder(opts)
    x = image_input(b, opts)
    x = b.conv_bn_act(x, d[0], 3, 2, name="layers.0")
    x = b.conv_bn_act(x, d[0], 3, 1, groups=d[0], name="layers.3")
    x = b.conv_bn_act(x, d[1], 1, 1, act=None, name="layers.6")
    stacks = [(d[2], 3, 2, 3, 3), (d[3], 5, 2, 3, 3), (d[4], 5, 2, 6, 3), (d[5], 3, 1, 6, 2),
              (d[6], 5, 2, 6, 4), (d[7], 3, 1, 6, 1)]
    for si, (out, k, s, e, n) in enumerate(stacks, start=8):
        for j in range(n):
            with b.scope(f"layers.{si}.{j}"):
                x = _inverted_residual(b, x, out, k, s if j == 0 else 1, x.shape[1] * e, "relu")
    x = b.conv_bn_act(x, 1280, 1, 1, name="layers.14")
    return finish(b, classifier_head(b, x, num_classes, pool="mean"), "mnasnet")


# ProxylessNAS-Mobile (Cai et al. 2019; mit-han-lab/proxylessnas proxyless_mobile.config):
# per stage (out, [(kernel, expand), ...]); None = zero (skipped) block.
_PROXYLESS_MOBILE = [
    (32, 2, [(3, 3), (3, 3), None, None]),
    (40, 2, [(7, 3), (3, 3), (5, 3), (5, 3)]),
    (80, 2, [(7, 6), (5, 3), (5, 3), (5, 3)]),
    (96, 1, [(5, 6), (5, 3), (5, 3), (5, 3)]),
    (192, 2, [(7, 6), (7, 6), (7, 3), (7, 3)]),
    (320, 1, [(7, 6)]),
]


def proxylessnas(width: float = 1.0, num_classes: int = 1000, **opts) -> onnx.ModelProto:
    """ProxylessNAS-Mobile-style network (searched MBConv kernels/expansions, ReLU6)."""
    w = float(width)
    b = new_builder(opts)
    x = image_input(b, opts)
    x = b.conv_bn_act(x, make_divisible(32 * w), 3, 2, act="relu6", name="first_conv")
    with b.scope("blocks.0"):
        x = _inverted_residual(b, x, make_divisible(16 * w), 3, 1, x.shape[1], "relu6")
    i = 1
    for out, stride, blocks in _PROXYLESS_MOBILE:
        for j, blk in enumerate(blocks):
            if blk is None:
                continue
            k, e = blk
            with b.scope(f"blocks.{i}"):
                x = _inverted_residual(b, x, make_divisible(out * w), k, stride if j == 0 else 1,
                                       x.shape[1] * e, "relu6")
            i += 1
    x = b.conv_bn_act(x, make_divisible(1280 * max(1.0, w)), 1, 1, act="relu6", name="feature_mix_layer")
    return finish(b, classifier_head(b, x, num_classes), "proxylessnas_mobile")


# ----------------------------------------------------------------------------- EfficientNets
_EFFNET = {"b0": (1.0, 1.0, 224), "b1": (1.0, 1.1, 240), "b2": (1.1, 1.2, 260),
           "b3": (1.2, 1.4, 300), "b4": (1.4, 1.8, 380), "b5": (1.6, 2.2, 456)}


def efficientnet(variant: str = "b0", num_classes: int = 1000, **opts) -> onnx.ModelProto:
    """torchvision EfficientNet-B0..B5 (MBConv + SE with SiLU, compound scaling)."""
    if variant not in _EFFNET:
        raise InputError(f"efficientnet variant must be one of {sorted(_EFFNET)}")
    wm, dm, res = _EFFNET[variant]
    opts.setdefault("resolution", res)
    b = new_builder(opts)
    x = image_input(b, opts, res)
    ch = lambda c: make_divisible(c * wm)  # noqa: E731
    x = b.conv_bn_act(x, ch(32), 3, 2, act="silu", name="features.0")
    stage = 1
    for e, k, s, c, n in [(1, 3, 1, 16, 1), (6, 3, 2, 24, 2), (6, 5, 2, 40, 2), (6, 3, 2, 80, 3),
                          (6, 5, 1, 112, 3), (6, 5, 2, 192, 4), (6, 3, 1, 320, 1)]:
        for j in range(int(math.ceil(n * dm))):
            with b.scope(f"features.{stage}.{j}"):
                inp = x.shape[1]
                x = _inverted_residual(b, x, ch(c), k, s if j == 0 else 1, make_divisible(inp * e),
                                       "silu", se=max(1, inp // 4), se_act=("silu", "sigmoid"))
        stage += 1
    x = b.conv_bn_act(x, 4 * x.shape[1], 1, 1, act="silu", name=f"features.{stage}")
    return finish(b, classifier_head(b, x, num_classes), f"efficientnet_{variant}")


def efficientnet_v2_b0(num_classes: int = 1000, **opts) -> onnx.ModelProto:
    """EfficientNetV2-B0 (Keras application layout): FusedMBConv stages, then MBConv + SE."""
    b = new_builder(opts)
    x = image_input(b, opts)
    x = b.conv_bn_act(x, 32, 3, 2, act="silu", name="stem")
    blocks = [(3, 1, 16, 1, 0.0, 1, True), (3, 2, 32, 4, 0.0, 2, True), (3, 2, 48, 4, 0.0, 2, True),
              (3, 3, 96, 4, 0.25, 2, False), (3, 5, 112, 6, 0.25, 1, False),
              (3, 8, 192, 6, 0.25, 2, False)]
    for si, (k, n, c, e, se, s, fused) in enumerate(blocks):
        for j in range(n):
            stride = s if j == 0 else 1
            inp = x.shape[1]
            with b.scope(f"block{si + 1}.{j}"):
                if fused:
                    if e == 1:
                        y = b.conv_bn_act(x, c, k, stride, act="silu", name="project")
                    else:
                        y = b.conv_bn_act(x, inp * e, k, stride, act="silu", name="expand")
                        y = b.conv_bn_act(y, c, 1, 1, act=None, name="project")
                    x = b.add(y, x) if (stride == 1 and inp == c) else y
                else:
                    x = _inverted_residual(b, x, c, k, stride, inp * e, "silu",
                                           se=max(1, int(inp * se)), se_act=("silu", "sigmoid"))
    x = b.conv_bn_act(x, 1280, 1, 1, act="silu", name="top")
    return finish(b, classifier_head(b, x, num_classes), "efficientnet_v2_b0")


# ----------------------------------------------------------------------------- RegNet
_REGNET = {"y_400mf": ([1, 3, 6, 6], [48, 104, 208, 440], 8, 0.25),
           "y_800mf": ([1, 3, 8, 2], [64, 144, 320, 784], 16, 0.25),
           "x_400mf": ([1, 2, 7, 12], [32, 64, 160, 400], 16, 0.0)}


def regnet(variant: str = "y_400mf", num_classes: int = 1000, **opts) -> onnx.ModelProto:
    """torchvision RegNet (X/Y; Y adds squeeze-excite): grouped-bottleneck residual stages."""
    if variant not in _REGNET:
        raise InputError(f"regnet variant must be one of {sorted(_REGNET)}")
    depths, widths, gw, se_ratio = _REGNET[variant]
    b = new_builder(opts)
    x = image_input(b, opts)
    x = b.conv_bn_act(x, 32, 3, 2, name="stem")
    for si, (d, w) in enumerate(zip(depths, widths), start=1):
        for j in range(d):
            stride = 2 if j == 0 else 1
            inp = x.shape[1]
            with b.scope(f"trunk_output.block{si}.block{si}-{j}"):
                y = b.conv_bn_act(x, w, 1, 1, name="f.a")
                y = b.conv_bn_act(y, w, 3, stride, groups=w // gw, name="f.b")
                if se_ratio:
                    with b.scope("f.se"):
                        s = b.global_avgpool(y)
                        with b.scope("fc1"):
                            s = b.relu(b.conv(s, int(round(se_ratio * inp)), 1))
                        with b.scope("fc2"):
                            s = b.sigmoid(b.conv(s, w, 1))
                        y = b.mul(y, s)
                y = b.conv_bn_act(y, w, 1, 1, act=None, name="f.c")
                sc = b.conv_bn_act(x, w, 1, stride, act=None, name="proj") if (inp != w or stride != 1) else x
                x = b.relu(b.add(sc, y))
    return finish(b, classifier_head(b, x, num_classes), f"regnet_{variant}")
