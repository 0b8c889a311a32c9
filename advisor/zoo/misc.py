"""Other canonical shapes of network: an MLP, a UNet and a YOLOv5-style detector.

Same options as ``advisor.zoo.cnn`` (``batch``, ``resolution``, ``dynamic``, ``graph_only``,
``seed``, ``fold_bn``); the MLP takes ``in_features`` and ``hidden`` instead of a resolution.
"""

from __future__ import annotations

import math

import numpy as np
import onnx

from advisor.errors import InputError
from advisor.zoo.builder import GraphBuilder, T
from advisor.zoo.cnn import finish, image_input, new_builder


def mlp(in_features: int = 784, hidden: str | tuple = (512, 512), num_classes: int = 10,
        act: str = "relu", **opts) -> onnx.ModelProto:
    """Plain multilayer perceptron: Gemm + activation per hidden layer (``hidden`` "512-256")."""
    if isinstance(hidden, int):          # a recipe's "hidden=32" arrives as an int
        hidden = (hidden,)
    if isinstance(hidden, str):
        try:
            hidden = tuple(int(h) for h in hidden.replace("x", "-").split("-") if h)
        except ValueError:
            raise InputError(f"mlp hidden must look like '512-256', got {hidden!r}") from None
    b = new_builder(opts)
    batch = "batch" if opts.get("dynamic") else int(opts.get("batch", 1))
    x = b.input("input", (batch, int(in_features)))
    for i, h in enumerate(hidden):
        with b.scope(f"layers.{2 * i}"):
            x = b.act(b.linear(x, int(h)), act)
    with b.scope(f"layers.{2 * len(hidden)}"):
        y = b.linear(x, int(num_classes))
    return finish(b, y, "mlp")


def unet(base: int = 64, depth: int = 4, num_classes: int = 2, in_channels: int = 3,
         **opts) -> onnx.ModelProto:
    """UNet (Ronneberger et al.; milesial/Pytorch-UNet layout): double 3x3 conv+BN+ReLU blocks,
    MaxPool down, ConvTranspose up, skip Concat, 1x1 output conv. Resolution % 2**depth == 0."""
    base, depth = int(base), int(depth)
    res = int(opts.get("resolution", 256))
    if res % (2 ** depth):
        raise InputError(f"unet resolution {res} must be a multiple of {2 ** depth}")
    opts = {**opts, "resolution": res}
    b = new_builder(opts)
    x = image_input(b, opts, 256, channels=int(in_channels))

    def double(x: T, c: int, name: str) -> T:
        with b.scope(name):
            x = b.conv_bn_act(x, c, 3, 1, name="double_conv.0")
            return b.conv_bn_act(x, c, 3, 1, name="double_conv.3")

    skips = []
    x = double(x, base, "inc")
    for i in range(depth):
        skips.append(x)
        x = double(b.maxpool(x, 2, 2), base * 2 ** (i + 1), f"down{i + 1}")
    for i in range(depth):
        c = base * 2 ** (depth - 1 - i)
        with b.scope(f"up{i + 1}.up"):
            x = b.conv_transpose(x, c, 2, 2)
        x = double(b.concat([skips.pop(), x], 1), c, f"up{i + 1}.conv")
    with b.scope("outc.conv"):
        y = b.conv(x, int(num_classes), 1, 1, 0)
    return finish(b, y, "unet")


_YOLO = {"n": (0.33, 0.25), "s": (0.33, 0.50), "m": (0.67, 0.75), "l": (1.0, 1.0), "x": (1.33, 1.25)}
_ANCHORS = [[10, 13, 16, 30, 33, 23], [30, 61, 62, 45, 59, 119], [116, 90, 156, 198, 373, 326]]


def yolo(size: str = "s", num_classes: int = 80, **opts) -> onnx.ModelProto:
    """YOLOv5 v6 layout (Conv-BN-SiLU, C3, SPPF, FPN/PAN with Resize + Concat, Detect head with
    Sigmoid and box decoding). Output ``[batch, anchors, 5 + classes]``; resolution % 32 == 0."""
    if size not in _YOLO:
        raise InputError(f"yolo size must be one of {sorted(_YOLO)}")
    dm, wm = _YOLO[size]
    res = int(opts.get("resolution", 640))
    if res % 32:
        raise InputError(f"yolo resolution {res} must be a multiple of 32")
    opts = {**opts, "resolution": res}
    b = new_builder(opts)
    x = image_input(b, opts, 640)
    ch = lambda c: int(math.ceil(c * wm / 8) * 8)  # noqa: E731  (YOLOv5's make_divisible)
    nd = lambda n: max(round(n * dm), 1)  # noqa: E731
    idx = [0]

    def conv(x: T, c: int, k: int = 1, s: int = 1, p: int | None = None) -> T:
        with b.scope(f"model.{idx[0]}"):
            idx[0] += 1
            return b.conv_bn_act(x, c, k, s, act="silu", pad=p, name="conv")

    def c3(x: T, c2: int, n: int, shortcut: bool = True) -> T:
        with b.scope(f"model.{idx[0]}"):
            idx[0] += 1
            c_ = c2 // 2
            a = b.conv_bn_act(x, c_, 1, 1, act="silu", name="cv1")
            for i in range(n):
                with b.scope(f"m.{i}"):
                    y = b.conv_bn_act(a, c_, 1, 1, act="silu", name="cv1")
                    y = b.conv_bn_act(y, c_, 3, 1, act="silu", name="cv2")
                    a = b.add(a, y) if shortcut else y
            c = b.conv_bn_act(x, c_, 1, 1, act="silu", name="cv2")
            return b.conv_bn_act(b.concat([a, c], 1), c2, 1, 1, act="silu", name="cv3")

    def sppf(x: T, c2: int) -> T:
        with b.scope(f"model.{idx[0]}"):
            idx[0] += 1
            c_ = x.shape[1] // 2
            x = b.conv_bn_act(x, c_, 1, 1, act="silu", name="cv1")
            y1 = b.maxpool(x, 5, 1, 2)
            y2 = b.maxpool(y1, 5, 1, 2)
            y3 = b.maxpool(y2, 5, 1, 2)
            return b.conv_bn_act(b.concat([x, y1, y2, y3], 1), c2, 1, 1, act="silu", name="cv2")

    def skip() -> None:
        idx[0] += 1

    x = conv(x, ch(64), 6, 2, 2)
    x = conv(x, ch(128), 3, 2)
    x = c3(x, ch(128), nd(3))
    x = conv(x, ch(256), 3, 2)
    p3 = x = c3(x, ch(256), nd(6))
    x = conv(x, ch(512), 3, 2)
    p4 = x = c3(x, ch(512), nd(9))
    x = conv(x, ch(1024), 3, 2)
    x = c3(x, ch(1024), nd(3))
    x = sppf(x, ch(1024))
    h10 = x = conv(x, ch(512), 1, 1)
    x = b.resize(x, 2.0, "nearest"); skip()
    x = b.concat([x, p4], 1); skip()
    x = c3(x, ch(512), nd(3), False)
    h14 = x = conv(x, ch(256), 1, 1)
    x = b.resize(x, 2.0, "nearest"); skip()
    x = b.concat([x, p3], 1); skip()
    o17 = x = c3(x, ch(256), nd(3), False)
    x = conv(x, ch(256), 3, 2)
    x = b.concat([x, h14], 1); skip()
    o20 = x = c3(x, ch(512), nd(3), False)
    x = conv(x, ch(512), 3, 2)
    x = b.concat([x, h10], 1); skip()
    o23 = c3(x, ch(1024), nd(3), False)

    na, no = 3, int(num_classes) + 5
    outs = []
    with b.scope(f"model.{idx[0]}"):
        for i, (f, stride) in enumerate(zip([o17, o20, o23], [8, 16, 32])):
            ny, nx = f.shape[2], f.shape[3]
            with b.scope(f"m.{i}"):
                y = b.conv(f, na * no, 1, 1, 0)
            y = b.transpose(b.reshape(y, [0, na, no, ny, nx]), [0, 1, 3, 4, 2])
            y = b.sigmoid(y)
            xy, wh, conf = b.split(y, [2, 2, no - 4], axis=4)
            gy, gx = np.meshgrid(np.arange(ny), np.arange(nx), indexing="ij")
            grid = np.stack([gx, gy], -1)[None, None].astype(np.float32) - 0.5
            anchors = np.array(_ANCHORS[i], np.float32).reshape(1, na, 1, 1, 2)
            xy = b.mul(b.add(b.mul(xy, 2.0), b.constant(grid)), float(stride))
            wh = b.mul(b.pow(b.mul(wh, 2.0), 2.0), b.constant(anchors))
            y = b.concat([xy, wh, conf], 4)
            outs.append(b.reshape(y, [0, -1, no]))
    y = b.concat(outs, 1)
    b.output(y, "output0")
    return b.build(f"yolov5{size}")
