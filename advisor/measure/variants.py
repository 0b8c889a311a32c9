"""Precision variants of an fp32 ONNX model, made with onnxruntime's own tooling.

``fp32`` is the model as given; ``int8-dynamic`` is ``quantize_dynamic`` (int8 weights, activations
quantised at run time); ``int8-static`` is ``quantize_static`` in QDQ format, calibrated (MinMax)
on random inputs after ``quant_pre_process``; ``fp16`` is ``onnxruntime.transformers.float16``
(ships inside onnxruntime) with fp32 inputs/outputs kept. A provider without kernels for a variant
fails when the session is created; the harness records that as ``unsupported``, never as a time.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

import onnx

from advisor.errors import AdvisorError, InputError
from advisor.measure.timing import InputSpec, random_inputs

PRECISIONS = ("fp32", "int8-dynamic", "int8-static", "fp16")
ALIASES = {"int8": "int8-static", "int8-qdq": "int8-static", "int8dyn": "int8-dynamic",
           "int8_dynamic": "int8-dynamic", "int8_static": "int8-static", "float32": "fp32",
           "float16": "fp16", "dynamic": "int8-dynamic", "static": "int8-static"}


class VariantUnsupported(AdvisorError):
    """The tooling cannot make this precision variant of this model."""


@dataclass(frozen=True)
class Variant:
    """A precision variant on disk and how it was made (recorded with every row)."""

    precision: str
    path: Path
    tool: str


def normalize_precision(name: str) -> str:
    """Canonical precision name, or InputError listing the valid ones."""
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    if key not in PRECISIONS:
        raise InputError(f"unknown precision {name!r}; choose from {', '.join(PRECISIONS)}")
    return key


class RandomCalibrationReader:
    """CalibrationDataReader over a few batches of random inputs (what static QDQ calibrates on)."""

    def __init__(self, inputs: list[InputSpec], samples: int = 4, seed: int = 0) -> None:
        self._feeds = [random_inputs(inputs, seed + i) for i in range(samples)]
        self._it = iter(self._feeds)

    def get_next(self):
        return next(self._it, None)

    def rewind(self) -> None:
        self._it = iter(self._feeds)


def _quiet_ort_logs() -> None:
    for name in ("onnxruntime", "root"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _toposort(graph: onnx.GraphProto) -> None:
    """Reorder ``graph.node`` topologically in place (stable: keeps the given order otherwise)."""
    available = {i.name for i in graph.input} | {t.name for t in graph.initializer} | {""}
    pending = list(graph.node)
    ordered: list[onnx.NodeProto] = []
    while pending:
        rest = []
        for node in pending:
            if all(i in available for i in node.input):
                ordered.append(node)
                available.update(node.output)
            else:
                rest.append(node)
        if len(rest) == len(pending):      # a cycle or an outer-scope input: keep as is
            ordered.extend(rest)
            break
        pending = rest
    copies = [onnx.NodeProto() for _ in ordered]
    for c, n in zip(copies, ordered):
        c.CopyFrom(n)
    del graph.node[:]
    graph.node.extend(copies)


def make_variant(src: str | Path, precision: str, out_dir: str | Path,
                 inputs: list[InputSpec] | None = None, calib_samples: int = 4,
                 seed: int = 0) -> Variant:
    """Write the ``precision`` variant of the fp32 model ``src`` into ``out_dir``.

    ``inputs`` (concrete shapes) are needed for ``int8-static`` calibration. Raises
    VariantUnsupported when onnxruntime's tooling fails on the model.
    """
    precision = normalize_precision(precision)
    src = Path(src)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if precision == "fp32":
        return Variant("fp32", src, "as given")
    out = out_dir / f"{src.stem}.{precision}.onnx"
    _quiet_ort_logs()
    try:
        if precision == "int8-dynamic":
            from onnxruntime.quantization import QuantType, quantize_dynamic
            quantize_dynamic(str(src), str(out), weight_type=QuantType.QInt8)
            return Variant(precision, out, "onnxruntime.quantization.quantize_dynamic(weight=QInt8)")
        if precision == "int8-static":
            from onnxruntime.quantization import (CalibrationMethod, QuantFormat, QuantType,
                                                  quantize_static)
            if not inputs:
                raise InputError("int8-static needs the model's input shapes for calibration")
            tool = ("onnxruntime.quantization.quantize_static(QDQ, act=QInt8, weight=QInt8, "
                    "MinMax, per-tensor, random calibration x%d)" % calib_samples)
            model_in = src
            with tempfile.TemporaryDirectory() as tmp:
                pre = Path(tmp) / "pre.onnx"
                try:
                    from onnxruntime.quantization.shape_inference import quant_pre_process
                    quant_pre_process(str(src), str(pre))
                    model_in = pre
                    tool += " after quant_pre_process"
                except Exception:  # noqa: BLE001 - preprocessing is an optimisation, not required
                    model_in = src
                quantize_static(str(model_in), str(out),
                                RandomCalibrationReader(inputs, calib_samples, seed),
                                quant_format=QuantFormat.QDQ, activation_type=QuantType.QInt8,
                                weight_type=QuantType.QInt8,
                                calibrate_method=CalibrationMethod.MinMax)
            return Variant(precision, out, tool)
        # fp16
        from onnxruntime.transformers.float16 import convert_float_to_float16
        model = onnx.load(str(src))
        fp16 = convert_float_to_float16(model, keep_io_types=True)
        _toposort(fp16.graph)      # the converter appends input Casts after their consumers
        onnx.save(fp16, str(out))
        return Variant(precision, out,
                       "onnxruntime.transformers.float16.convert_float_to_float16(keep_io_types)")
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - any tooling failure means "cannot make this variant"
        msg = " ".join(str(exc).split())[:300]
        raise VariantUnsupported(f"{precision} variant failed: {type(exc).__name__}: {msg}") from exc
