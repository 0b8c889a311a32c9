"""Read ncnn ``.param`` text files (the network definitions timed by ncnn's ``benchncnn``).

Format (ncnn ``src/net.cpp`` ``load_param``): line 1 is the magic ``7767517``, line 2 the layer
and blob counts, then one layer per line::

    LayerType  name  n_in  n_out  in_blob...  out_blob...  key=value ...

A value is an int, a float (has ``.`` or ``e``), or an array written under key ``-23300 - id``
as ``count,v1,v2,...``. Key ``-23330`` (array id 30) holds output shape hints, four numbers per
output blob: ``dims, w, h, c``. ncnn shapes are innermost-first (``w, h, c``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from advisor.errors import InputError

MAGIC = 7767517
ARRAY_KEY_BASE = -23300
SHAPE_HINT_ID = 30

# Input sizes benchncnn feeds (w, h, c) where the Input layer does not say them
# (Tencent/ncnn benchmark/benchncnn.cpp: ncnn::Mat(w, h, c) per model).
BENCHNCNN_INPUT: dict[str, tuple[int, int, int]] = {
    "squeezenet": (227, 227, 3), "squeezenet_int8": (227, 227, 3),
    "alexnet": (227, 227, 3), "blazeface": (128, 128, 3),
    "squeezenet_ssd": (300, 300, 3), "squeezenet_ssd_int8": (300, 300, 3),
    "mobilenet_ssd": (300, 300, 3), "mobilenet_ssd_int8": (300, 300, 3),
    "mobilenet_yolo": (416, 416, 3), "mobilenetv2_yolov3": (352, 352, 3),
    "yolov4-tiny": (416, 416, 3), "nanodet_m": (320, 320, 3),
    "yolo-fastest-1.1": (320, 320, 3), "yolo-fastestv2": (352, 352, 3),
    "vision_transformer": (384, 384, 3), "FastestDet": (352, 352, 3),
}
DEFAULT_INPUT = (224, 224, 3)

Value = int | float | list


@dataclass
class NcnnLayer:
    """One layer line: type, name, input/output blob names and its ``key -> value`` params."""

    type: str
    name: str
    inputs: list[str]
    outputs: list[str]
    params: dict[int, Value] = field(default_factory=dict)

    def get(self, key: int, default: Value = 0) -> Value:
        return self.params.get(key, default)

    def shape_hints(self) -> list[tuple[int, ...]] | None:
        """Output shapes from key -23330, innermost-first ``(w,)``, ``(w, h)`` or ``(w, h, c)``."""
        raw = self.params.get(SHAPE_HINT_ID)
        if not isinstance(raw, list) or len(raw) < 4 * len(self.outputs):
            return None
        hints = []
        for i in range(len(self.outputs)):
            dims, w, h, c = (int(v) for v in raw[4 * i: 4 * i + 4])
            hints.append((w, h, c)[:dims])
        return hints


@dataclass
class NcnnNet:
    """A parsed ``.param`` file."""

    name: str
    layers: list[NcnnLayer]
    blob_count: int
    path: Path | None = None
    ignored_lines: int = 0  # lines past the declared layer count (ncnn ignores them)

    @property
    def is_int8(self) -> bool:
        """True when any layer carries int8 quantisation (``int8_scale_term``)."""
        return any(l.get(8, 0) for l in self.layers
                   if l.type in ("Convolution", "ConvolutionDepthWise", "InnerProduct"))

    def input_shape(self) -> tuple[int, int, int]:
        """(w, h, c) of the first Input layer, else the size benchncnn feeds this model."""
        for layer in self.layers:
            if layer.type == "Input":
                w, h, c = (int(layer.get(k, 0)) for k in (0, 1, 2))
                if w > 0 and h > 0 and c > 0:
                    return (w, h, c)
        return BENCHNCNN_INPUT.get(self.name, DEFAULT_INPUT)

    def output_blobs(self) -> list[str]:
        """Blobs no layer consumes, in production order (ncnn's ``output_names()``)."""
        consumed = {b for l in self.layers for b in l.inputs}
        return [b for l in self.layers for b in l.outputs if b not in consumed]


def _number(text: str) -> int | float:
    if any(ch in text for ch in ".eE") and not text.lstrip("-").isdigit():
        return float(text)
    return int(text)


def _parse_kv(token: str, where: str) -> tuple[int, Value]:
    key_text, sep, value_text = token.partition("=")
    if not sep:
        raise InputError(f"{where}: expected key=value, got {token!r}")
    try:
        key = int(key_text)
        if key <= ARRAY_KEY_BASE:
            items = value_text.split(",")
            count = int(items[0])
            values = [_number(v) for v in items[1:] if v != ""]
            if len(values) != count:
                raise InputError(f"{where}: array key {key} says {count} values, has {len(values)}")
            return ARRAY_KEY_BASE - key, values
        return key, _number(value_text)
    except ValueError as exc:
        raise InputError(f"{where}: bad parameter {token!r} ({exc})") from None


def parse_param(text: str, name: str = "net", path: Path | None = None) -> NcnnNet:
    """Parse the text of a ``.param`` file."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines or lines[0].strip() != str(MAGIC):
        raise InputError(f"{name}: not an ncnn param file (magic {MAGIC} missing on line 1)")
    try:
        layer_count, blob_count = (int(v) for v in lines[1].split()[:2])
    except ValueError:
        raise InputError(f"{name}: line 2 must hold layer and blob counts") from None
    layers: list[NcnnLayer] = []
    # ncnn reads exactly layer_count layers and ignores any further lines
    ignored = len(lines) - 2 - layer_count
    for lineno, line in enumerate(lines[2:2 + layer_count], start=3):
        tok = line.split()
        where = f"{name}:{lineno}"
        if len(tok) < 4:
            raise InputError(f"{where}: short layer line")
        try:
            n_in, n_out = int(tok[2]), int(tok[3])
        except ValueError:
            raise InputError(f"{where}: bad input/output counts") from None
        blobs = tok[4:4 + n_in + n_out]
        if len(blobs) != n_in + n_out:
            raise InputError(f"{where}: missing blob names")
        params = dict(_parse_kv(t, where) for t in tok[4 + n_in + n_out:])
        layers.append(NcnnLayer(tok[0], tok[1], blobs[:n_in], blobs[n_in:], params))
    if len(layers) != layer_count:
        raise InputError(f"{name}: header says {layer_count} layers, file has {len(layers)}")
    return NcnnNet(name=name, layers=layers, blob_count=blob_count, path=path,
                   ignored_lines=max(ignored, 0))


def read_param(path: str | Path) -> NcnnNet:
    """Read and parse an ncnn ``.param`` file; the net's name is the file stem."""
    p = Path(path)
    try:
        text = p.read_text()
    except OSError as exc:
        raise InputError(f"cannot read {p}: {exc.strerror or exc}") from None
    return parse_param(text, name=p.stem, path=p)
