"""Turn a graph identity string from the training table back into its ONNX graph.

Two forms:

- a zoo recipe (``"resnet50:resolution=160"``, ``"nasbench201:arch_str=|nor_conv_3x3~0|+..."``)
  built by ``advisor.zoo.build_recipe``;
- ``"ncnn:<model>[:batch=N]"``: the ncnn benchmark network ``<public>/ncnn/models/<model>.param``
  converted by ``advisor.ncnn.to_onnx`` (``<model>`` may end in ``_int8``).

The import stores only these strings (building 600k graphs would take hours); whoever trains
builds each distinct graph once.
"""

from __future__ import annotations

import re
from pathlib import Path

import onnx

from advisor.errors import InputError
from advisor.paths import public_data_dir

_NCNN = re.compile(r"ncnn:([A-Za-z0-9_.\-]+)(?::batch=(\d+))?")


def ncnn_graph(model: str, batch: int | None = None) -> str:
    """The identity string of an ncnn benchmark network."""
    return f"ncnn:{model}" + (f":batch={batch}" if batch and batch != 1 else "")


def ncnn_param_path(model: str, public_dir: str | Path | None = None) -> Path:
    return Path(public_dir or public_data_dir()) / "ncnn" / "models" / f"{model}.param"


def graph_for(recipe: str, graph_only: bool = True, batch: int | None = None,
              public_dir: str | Path | None = None) -> onnx.ModelProto:
    """The ONNX graph named by ``recipe`` (see module doc); ``graph_only`` keeps weights data-less.

    The table stores batch-free identities and the batch in its ``batch`` column: pass it as
    ``batch`` (it overrides a ``batch=`` inside the identity).
    """
    if batch is not None and (isinstance(batch, bool) or int(batch) != batch or batch < 1):
        raise InputError(f"batch must be a positive integer, got {batch!r}")
    text = (recipe or "").strip()
    if not text:
        raise InputError("empty graph identity")
    if text.startswith("ncnn:"):
        m = _NCNN.fullmatch(text)
        if not m:
            raise InputError(f"bad ncnn graph identity {text!r}; expected ncnn:<model>[:batch=N]")
        path = ncnn_param_path(m.group(1), public_dir)
        if not path.exists():
            raise InputError(f"ncnn model {m.group(1)!r} not found: {path}")
        from advisor.ncnn import to_onnx

        return to_onnx(path, graph_only=graph_only, batch=int(batch or m.group(2) or 1))
    from advisor.zoo.registry import build, parse_recipe

    name, opts = parse_recipe(text)
    opts.setdefault("graph_only", graph_only)
    if batch is not None:
        opts["batch"] = int(batch)
    return build(name, **opts)
