"""The zoo's table of named networks, option validation and recipe strings.

A *recipe* (``"resnet50:batch=8,resolution=160"``) is a graph's identity: measurements record it,
and ``build_recipe`` turns it back into the same ``onnx.ModelProto``. ``canonical_recipe`` sorts
the options so equal graphs get equal strings. The recipe is stored in the model's
``metadata_props`` under ``advisor.zoo.recipe``.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable

import onnx

from advisor.errors import InputError
from advisor.zoo import cnn, misc, nas, random_families, transformers

RECIPE_KEY = "advisor.zoo.recipe"

_IMAGE = {"batch": 1, "resolution": 224, "dynamic": False, "graph_only": False, "seed": 0,
          "fold_bn": True, "num_classes": 1000}
_TEXT = {"batch": 1, "seq_len": 128, "dynamic": False, "graph_only": None, "seed": 0}
_DECODER = {**_TEXT, "mode": "prefill", "past_len": 127}


@dataclass(frozen=True)
class ZooEntry:
    name: str
    family: str
    description: str
    fn: Callable[..., onnx.ModelProto]
    fixed: dict = field(default_factory=dict)   # arguments that define this entry
    defaults: dict = field(default_factory=dict)  # user-visible default options

    def allowed(self) -> set[str]:
        params = {p for p, v in inspect.signature(self.fn).parameters.items()
                  if v.kind is not inspect.Parameter.VAR_KEYWORD}
        return (params | set(self.defaults)) - set(self.fixed)

    def default_opts(self) -> dict:
        out = dict(self.defaults)
        for p, v in inspect.signature(self.fn).parameters.items():
            if v.default is not inspect.Parameter.empty and p not in self.fixed and p not in out:
                out[p] = v.default if not isinstance(v.default, tuple) else "-".join(map(str, v.default))
        return out


_ENTRIES: dict[str, ZooEntry] = {}


def _add(name: str, family: str, desc: str, fn, defaults: dict, **fixed) -> None:
    _ENTRIES[name] = ZooEntry(name, family, desc, fn, fixed, dict(defaults))


for _d in (18, 34, 50, 101, 152):
    _add(f"resnet{_d}", "resnet", f"torchvision ResNet-{_d}", cnn.resnet, _IMAGE, depth=_d)
for _d in (11, 16, 19):
    _add(f"vgg{_d}", "vgg", f"torchvision VGG-{_d}", cnn.vgg, _IMAGE, depth=_d)
_add("alexnet", "alexnet", "torchvision AlexNet", cnn.alexnet, _IMAGE)
_add("googlenet", "googlenet", "torchvision GoogLeNet (Inception v1)", cnn.googlenet, _IMAGE)
_add("squeezenet1_0", "squeezenet", "torchvision SqueezeNet 1.0", cnn.squeezenet, _IMAGE, version="1.0")
_add("squeezenet1_1", "squeezenet", "torchvision SqueezeNet 1.1", cnn.squeezenet, _IMAGE, version="1.1")
_add("mobilenet_v1", "mobilenet", "MobileNet v1 (width multiplier)", cnn.mobilenet_v1, _IMAGE)
_add("mobilenet_v2", "mobilenet", "torchvision MobileNetV2 (width multiplier)", cnn.mobilenet_v2, _IMAGE)
for _s in ("small", "large"):
    _add(f"mobilenet_v3_{_s}", "mobilenet", f"torchvision MobileNetV3-{_s.title()}", cnn.mobilenet_v3,
         _IMAGE, size=_s)
_add("shufflenet_v1", "shufflenet", "ShuffleNet v1 (groups=3, 1x)", cnn.shufflenet_v1, _IMAGE)
for _w in ("0.5", "1.0", "1.5", "2.0"):
    _add(f"shufflenet_v2_x{_w.replace('.', '_')}", "shufflenet", f"torchvision ShuffleNetV2 x{_w}",
         cnn.shufflenet_v2, _IMAGE, width=float(_w))
_add("mnasnet", "mnasnet", "torchvision MNASNet (width multiplier)", cnn.mnasnet, _IMAGE)
_add("proxylessnas_mobile", "proxylessnas", "ProxylessNAS-Mobile", cnn.proxylessnas, _IMAGE)
for _v, (_wm, _dm, _r) in cnn._EFFNET.items():
    _add(f"efficientnet_{_v}", "efficientnet", f"torchvision EfficientNet-{_v.upper()} (native {_r}px)",
         cnn.efficientnet, {**_IMAGE, "resolution": _r}, variant=_v)
_add("efficientnet_v2_b0", "efficientnet", "EfficientNetV2-B0 (Keras layout)", cnn.efficientnet_v2_b0, _IMAGE)
for _v in cnn._REGNET:
    _add(f"regnet_{_v}", "regnet", f"torchvision RegNet{_v.upper().replace('_', '-')}", cnn.regnet,
         _IMAGE, variant=_v)
_VIT = {k: v for k, v in _IMAGE.items() if k != "fold_bn"}
_VIT["graph_only"] = None
for _s in transformers.VIT_CONFIGS:
    _add(f"vit_{_s}", "vit", f"ViT-{_s.title()}/16", transformers.vit, _VIT, size=_s)
for _s in ("tiny", "small", "base"):
    _add(f"deit_{_s}", "vit", f"DeiT-{_s.title()} (ViT-{_s.title()}/16 layout)", transformers.vit, _VIT, size=_s)
for _s in transformers.BERT_CONFIGS:
    _add(f"bert_{_s}", "bert", f"HF BERT-{_s} with pooler (L/H/A = "
         f"{'/'.join(map(str, transformers.BERT_CONFIGS[_s]))})", transformers.bert, _TEXT, size=_s)
for _s in transformers.GPT2_CONFIGS:
    _add("gpt2" if _s == "small" else f"gpt2_{_s}", "gpt2", f"HF GPT-2 {_s} decoder (prefill/decode)",
         transformers.gpt2, _DECODER, size=_s)
for _s in transformers.LLAMA_CONFIGS:
    _add(_s if not _s.startswith("tiny") or _s == "tinyllama_1b" else f"llama_{_s}", "llama",
         f"Llama-style decoder {_s} (GQA, RMSNorm, SwiGLU, RoPE)", transformers.llama, _DECODER, size=_s)
_add("mlp", "mlp", "multilayer perceptron (Gemm + ReLU)",
     misc.mlp, {k: v for k, v in _IMAGE.items() if k not in ("resolution", "num_classes")})
_add("unet", "unet", "UNet (milesial layout, ConvTranspose up)", misc.unet, {**_IMAGE, "resolution": 256})
for _s in misc._YOLO:
    _add(f"yolov5{_s}", "yolo", f"YOLOv5{_s} detector (C3, SPPF, PAN, Detect)", misc.yolo,
         {**_IMAGE, "resolution": 640}, size=_s)
# The NAS spaces of the public HELP / HW-NAS-Bench measurements (architecture strings as in the CSVs).
_NAS = {"batch": 1, "graph_only": False, "seed": 0}
_add("nasbench201", "nasbench201", "NAS-Bench-201 cell network (CIFAR-10 32x32)", nas.nasbench201, _NAS)
_add("fbnet", "fbnet", "FBNet-space network (HW-NAS-Bench; 22 blocks joined by '-')", nas.fbnet,
     {**_NAS, "dataset": "imagenet"})
_add("ofa", "ofa", "Once-for-All MobileNetV3 subnet (arch = ofa_code)", nas.ofa_mbv3, _NAS)
_add("random_cnn", "random_cnn", "random convnet drawn from seed", random_families.random_cnn,
     {k: v for k, v in _IMAGE.items() if k != "resolution"})
_add("random_transformer", "random_transformer", "random encoder drawn from seed",
     random_families.random_transformer, {k: v for k, v in _TEXT.items() if k != "seq_len"})
_add("random_decoder", "random_decoder", "random Llama-style decoder drawn from seed (prefill/decode)",
     random_families.random_decoder, _DECODER)
_add("random_mlp", "random_mlp", "random MLP drawn from seed", random_families.random_mlp,
     {k: v for k, v in _IMAGE.items() if k not in ("resolution", "num_classes")})
_OPTIONAL_KEYS = {"random_cnn": {"resolution"}, "random_transformer": {"seq_len"},
                  "random_mlp": {"in_features", "num_classes"}}


def list_models() -> list[tuple[str, str, str, dict]]:
    """Every zoo network as ``(name, family, description, default options)``."""
    return [(e.name, e.family, e.description, e.default_opts()) for e in _ENTRIES.values()]


def get_entry(name: str) -> ZooEntry:
    if name not in _ENTRIES:
        close = [n for n in _ENTRIES if name.split("_")[0] in n][:8]
        hint = f"; did you mean one of {close}" if close else "; see 'advisor zoo list'"
        raise InputError(f"unknown zoo network {name!r}{hint}")
    return _ENTRIES[name]


def parse_value(text: str) -> Any:
    """Recipe value: int, float, bool (true/false), none, or the string itself."""
    t = text.strip()
    low = t.lower()
    if low in ("true", "yes"):
        return True
    if low in ("false", "no"):
        return False
    if low in ("none", "null"):
        return None
    for conv in (int, float):
        try:
            return conv(t)
        except ValueError:
            pass
    return t


def parse_recipe(recipe: str) -> tuple[str, dict]:
    """``"name:k=v,k=v"`` -> ``(name, {k: v})``; values typed by ``parse_value``."""
    recipe = recipe.strip()
    if not recipe:
        raise InputError("empty zoo recipe")
    name, _, rest = recipe.partition(":")
    opts: dict = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        if "=" not in part:
            raise InputError(f"recipe option {part!r} must look like key=value (in {recipe!r})")
        k, v = part.split("=", 1)
        opts[k.strip()] = parse_value(v)
    return name.strip(), opts


def with_options(recipe: str, extra: dict[str, Any]) -> str:
    """``recipe`` with the options of ``extra`` appended, as a graph identity string.

    Options the recipe already sets win (``"gpt2:seq_len=64"`` stays at 64), and None or NaN
    values are left out, so a measured row without a sequence length keeps its plain recipe.
    Whole floats are written as integers (``seq_len=128``, not ``128.0``), as a table column
    hands them over.
    """
    name, _, opts = recipe.partition(":")
    have = {kv.split("=", 1)[0].strip() for kv in opts.split(",") if "=" in kv}
    add = []
    for key, value in extra.items():
        if value is None or key in have or (isinstance(value, float) and value != value):
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        add.append(f"{key}={value}")
    if not add:
        return recipe
    return f"{name}:{','.join(([opts] if opts else []) + add)}"


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (tuple, list)):
        return "-".join(map(str, v))
    return str(v)


def canonical_recipe(name: str, opts: dict | None = None) -> str:
    """The recipe string with options sorted (and non-defaults only), e.g. ``resnet50:batch=8``."""
    entry = get_entry(name)
    defaults = entry.default_opts()
    items = sorted((k, v) for k, v in (opts or {}).items() if k not in defaults or defaults[k] != v)
    return name + (":" + ",".join(f"{k}={_fmt(v)}" for k, v in items) if items else "")


def validate_opts(name: str, opts: dict) -> dict:
    entry = get_entry(name)
    allowed = entry.allowed() | _OPTIONAL_KEYS.get(name, set())
    bad = sorted(set(opts) - allowed)
    if bad:
        raise InputError(f"unknown option(s) {bad} for zoo network {name!r}; allowed: {sorted(allowed)}")
    for k in ("batch", "resolution", "seq_len", "past_len", "seed", "num_classes"):
        if k in opts and opts[k] is not None:
            if isinstance(opts[k], bool) or not isinstance(opts[k], int):
                raise InputError(f"option {k} must be an integer, got {opts[k]!r}")
            if opts[k] < (0 if k in ("seed", "past_len") else 1):
                raise InputError(f"option {k} must be positive, got {opts[k]}")
    if "width" in opts and (not isinstance(opts["width"], (int, float)) or opts["width"] <= 0):
        raise InputError(f"option width must be a positive number, got {opts['width']!r}")
    return opts


def build(name: str, **opts) -> onnx.ModelProto:
    """Build zoo network ``name`` with options; the recipe is stored in ``metadata_props``."""
    entry = get_entry(name)
    opts = validate_opts(name, {k: v for k, v in opts.items()})
    kwargs = {**entry.fixed, **{k: v for k, v in opts.items() if v is not None or k == "graph_only"}}
    try:
        model = entry.fn(**kwargs)
    except (ValueError, ZeroDivisionError, TypeError) as exc:
        raise InputError(f"cannot build {name} with {opts}: {exc}") from None
    prop = model.metadata_props.add()
    prop.key, prop.value = RECIPE_KEY, canonical_recipe(name, opts)
    return model


def build_recipe(recipe: str) -> onnx.ModelProto:
    """Build from a recipe string such as ``"random_cnn:seed=3"`` or ``"bert_base:seq_len=64"``."""
    name, opts = parse_recipe(recipe)
    return build(name, **opts)


def recipe_of(model: onnx.ModelProto) -> str | None:
    """The zoo recipe recorded in a model built here, if any."""
    for p in model.metadata_props:
        if p.key == RECIPE_KEY:
            return p.value
    return None
