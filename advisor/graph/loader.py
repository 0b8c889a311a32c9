"""Load an ONNX model for analysis without reading weight data.

In-file initializers are parsed (protobuf cannot skip them) but only their dims and dtypes are
kept; external data files are never opened. Large weights are then turned into graph inputs of
the same shape, which keeps shape inference fast and lets it run without the data (as the design
notes found). Small integer tensors stay: Reshape targets, Slice bounds and the like are needed
to infer shapes.
"""

from __future__ import annotations

import os
import stat
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
    data = read_regular_file(path, PROTOBUF_LIMIT_BYTES, "model")
    try:
        model = onnx.load_model_from_string(data)
    except (DecodeError, RuntimeError, ValueError) as exc:
        raise InputError(f"not a valid ONNX file ({type(exc).__name__}): {path}") from None
    if not model.HasField("graph"):
        raise InputError(f"not a valid ONNX file (no graph): {path}")
    return model


def read_regular_file(path: Path, limit: int, what: str) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes, else InputError.

    Opened non-blocking and checked with ``fstat`` on the open descriptor, so a FIFO, a device
    (``/dev/zero``) or a file swapped in after a check is refused at once instead of hanging or
    filling memory; a file over the limit is refused from its size, without reading it.
    """
    if path.is_dir():
        raise InputError(f"{what} path is a directory, not a file: {path}")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError(f"{what} file not found: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot open {what} file {path}: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{what} path is a directory, not a file: {path}")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{what} path is not a regular file (a FIFO, socket or device): {path}")
        if info.st_size == 0:
            raise InputError(f"{what} file is empty: {path}")
        if info.st_size > limit:
            if limit == PROTOBUF_LIMIT_BYTES:
                raise InputError(f"{what} file is {info.st_size / 2**30:.1f} GiB; ONNX files over "
                                 f"2 GiB must keep weights as external data (protobuf limit): {path}")
            raise InputError(f"{what} file is {info.st_size} bytes, over the {limit}-byte limit: {path}")
        chunks, total = [], 0
        while True:  # read at most limit + 1 bytes: a file that grows while read is still bounded
            chunk = os.read(fd, min(1 << 24, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise InputError(f"{what} file grew past the {limit}-byte limit while read: {path}")
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"cannot read {what} file {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


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
