"""Load an ONNX model for analysis without reading weight data.

In-file initializers are parsed (protobuf cannot skip them) but only their dims and dtypes are
kept; external data files are never opened. Large weights are then turned into graph inputs of
the same shape, which keeps shape inference fast and lets it run without the data (as the design
notes found). Small integer tensors stay: Reshape targets, Slice bounds and the like are needed
to infer shapes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import onnx
from google.protobuf.message import DecodeError
from onnx import TensorProto, helper

from advisor.errors import InputError

#: protobuf refuses messages of 2 GiB and more; ONNX keeps larger models' weights external.
PROTOBUF_LIMIT_BYTES = 2**31 - 1
#: Initializers at or below this many elements keep their values (shape constants live here).
SMALL_TENSOR_ELEMENTS = 64
#: Integer tensors keep their values up to this size: position-id buffers and index tables feed
#: Slice/Gather shape computations (BERT's position_ids is 512 int64s).
SMALL_INT_TENSOR_ELEMENTS = 4096
_INDEX_TYPES = {TensorProto.INT64, TensorProto.INT32}


def _keep_values(numel: int, dtype: int) -> bool:
    limit = SMALL_INT_TENSOR_ELEMENTS if dtype in _INDEX_TYPES else SMALL_TENSOR_ELEMENTS
    return numel <= limit


@dataclass(frozen=True)
class WeightInfo:
    """Shape and storage of one weight tensor, whose values were not read."""

    name: str
    shape: tuple[int, ...]
    dtype: int  # onnx TensorProto data type
    external: bool

    @property
    def numel(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n


def read_model(source: str | os.PathLike | onnx.ModelProto) -> onnx.ModelProto:
    """Parse a model file (never following external data) or pass a ModelProto through a copy."""
    if isinstance(source, onnx.ModelProto):
        copy = onnx.ModelProto()
        copy.CopyFrom(source)
        return copy
    path = Path(source)
    if not path.exists():
        raise InputError(f"model file not found: {path}")
    if path.is_dir():
        raise InputError(f"model path is a directory, not an ONNX file: {path}")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"model file is empty: {path}")
    if size > PROTOBUF_LIMIT_BYTES:
        raise InputError(f"model file is {size / 2**30:.1f} GiB; ONNX files over 2 GiB must keep "
                         f"weights as external data (protobuf limit): {path}")
    try:
        model = onnx.load_model_from_string(path.read_bytes())
    except (DecodeError, RuntimeError, ValueError) as exc:
        raise InputError(f"not a valid ONNX file ({type(exc).__name__}): {path}") from None
    if not model.HasField("graph"):
        raise InputError(f"not a valid ONNX file (no graph): {path}")
    return model


def strip_weights(model: onnx.ModelProto) -> dict[str, WeightInfo]:
    """Replace large initializers and Constant-node tensors by graph inputs of the same shape.

    Modifies ``model`` in place and returns what each removed tensor was. Nothing is read from
    external data: its dims come from the TensorProto itself.
    """
    graph = model.graph
    weights: dict[str, WeightInfo] = {}
    input_names = {i.name for i in graph.input}
    kept = []
    for init in graph.initializer:
        external = init.data_location == TensorProto.EXTERNAL
        info = WeightInfo(init.name, tuple(int(d) for d in init.dims), init.data_type, external)
        _check_dims(info)
        weights[init.name] = info
        if not external and _keep_values(info.numel, info.dtype):
            kept.append(init)  # small: keep values, shape inference may need them
            continue
        if init.name not in input_names:
            graph.input.append(helper.make_tensor_value_info(init.name, init.data_type, info.shape))
    del graph.initializer[:]
    graph.initializer.extend(kept)
    nodes = []
    for node in graph.node:
        tensor = _constant_tensor(node)
        if tensor is not None and len(node.output) == 1:
            info = WeightInfo(node.output[0], tuple(int(d) for d in tensor.dims), tensor.data_type, False)
            _check_dims(info)
            if not _keep_values(info.numel, info.dtype):
                weights[info.name] = info
                graph.input.append(helper.make_tensor_value_info(info.name, info.dtype, info.shape))
                continue
        nodes.append(node)
    if len(nodes) != len(graph.node):
        del graph.node[:]
        graph.node.extend(nodes)
    return weights


def _constant_tensor(node: onnx.NodeProto) -> TensorProto | None:
    if node.op_type != "Constant" or node.domain not in ("", "ai.onnx"):
        return None
    for attr in node.attribute:
        if attr.name == "value" and attr.type == onnx.AttributeProto.TENSOR:
            return attr.t
    return None


def _check_dims(info: WeightInfo) -> None:
    if any(d < 0 for d in info.shape):
        raise InputError(f"tensor '{info.name}' has a negative dimension {list(info.shape)}")
    if info.numel > 2**53:
        raise InputError(f"tensor '{info.name}' has an absurd size {list(info.shape)}")
