"""Number formats a model can run in, and what each does to a kernel's arithmetic and bytes.

A precision says which peak rate the matrix kernels (conv, matmul, attention) run at, which rate
everything else runs at, and how many bytes activations and weights take relative to the graph's
own float format. Weight-only formats (GGUF / AWQ / GPTQ style int8 and int4) shrink the weights
streamed from memory but compute in 16-bit floats.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.errors import InputError

MATRIX_CATEGORIES = {"conv", "matmul", "attention"}


@dataclass(frozen=True)
class Precision:
    name: str
    matrix_format: str       # peak used for conv / matmul / attention kernels
    other_format: str        # peak used for everything else
    activation_bytes: float  # bytes per activation element
    weight_bytes: float      # bytes per weight element
    description: str

    def compute_format(self, category: str) -> str:
        return self.matrix_format if category in MATRIX_CATEGORIES else self.other_format


PRECISIONS: dict[str, Precision] = {p.name: p for p in (
    Precision("fp32", "fp32", "fp32", 4, 4, "32-bit float everywhere"),
    Precision("tf32", "tf32", "fp32", 4, 4,
              "fp32 tensors, matrix math on TF32 tensor cores (NVIDIA Ampere and later)"),
    Precision("fp16", "fp16", "fp16", 2, 2, "16-bit float weights, activations and math"),
    Precision("bf16", "bf16", "bf16", 2, 2, "bfloat16 weights, activations and math"),
    Precision("fp8", "fp8", "fp16", 1, 1, "8-bit float matrix math (Hopper/Ada/MI300), fp16 elsewhere"),
    Precision("int8", "int8", "fp32", 1, 1,
              "int8 weights and activations (static QDQ calibration), int8 matrix math"),
    Precision("int8-dynamic", "int8", "fp32", 4, 1,
              "int8 weights, activations quantized at run time; float tensors between kernels"),
    Precision("int8-weight", "fp16", "fp16", 2, 1, "int8 weight-only (GPTQ/AWQ/GGUF Q8), fp16 math"),
    Precision("int4-weight", "fp16", "fp16", 2, 0.5625,
              "int4 weight-only with a scale per 32-weight block (GGUF Q4 / AWQ / GPTQ), fp16 math"),
)}

#: Formats a device may lack, and what it falls back to (a CPU without fp16 units upconverts).
FALLBACK = {"tf32": "fp32", "bf16": "fp16", "fp16": "fp32", "fp8": "fp16", "int8": "fp16", "int4": "int8"}


def get_precision(name: str) -> Precision:
    key = name.strip().lower().replace("_", "-")
    aliases = {"float32": "fp32", "tensorfloat32": "tf32", "float16": "fp16", "half": "fp16",
               "int8-static": "int8",
               "w8a8": "int8", "int8-qdq": "int8", "w8a16": "int8-weight", "w4a16": "int4-weight",
               "int4": "int4-weight", "q4": "int4-weight", "q8": "int8-weight"}
    key = aliases.get(key, key)
    if key not in PRECISIONS:
        raise InputError(f"unknown precision '{name}'; choose from {', '.join(PRECISIONS)}")
    return PRECISIONS[key]


def parse_precisions(text: str) -> list[Precision]:
    return [get_precision(p) for p in text.split(",") if p.strip()]
