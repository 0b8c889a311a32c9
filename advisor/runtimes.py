"""What a runtime really runs when a precision is asked of it.

Training and prediction must agree on this, or a prediction asks the model about a setting the
training rows never showed it. Three conventions so far:

- ncnn turns on fp16 arithmetic by default on Arm CPUs that have it (ARMv8.2 ``fp16``), so an
  "fp32" model there runs fp16 kernels (the ncnn benchmark's own caveat: "bf16/fp16 storage may
  apply").
- ncnn's Vulkan backend does fp16 arithmetic only on GPUs that support it; on a GPU whose fp16
  rate is below its fp32 rate (Pascal GeForce: 1/64) or unknown, "fp16" runs fp32 arithmetic.
  Its roofline at the fp16 rate was 64x too slow (a GTX 1050 Ti "ran" VGG-16 10x faster than it).
- onnxruntime's CUDA execution provider (``use_tf32`` defaults to true in its provider options)
  and TensorRT (its TF32 builder flag is on unless cleared) run fp32 matrix math on TF32 tensor
  cores on NVIDIA GPUs that have them (Ampere and later). The sources: onnxruntime's
  ``cuda_execution_provider_info.h`` (``use_tf32{true}``) and TensorRT's builder defaults. No
  measurement here confirms it: the only such training rows, six MLPerf TensorRT "fp32" rows,
  ran faster than even TF32 allows on the RTX 4090 (2.9x its TF32 = fp32 roofline), so they ran
  a lower precision under an fp32 label.
"""

from __future__ import annotations

#: The op types onnxruntime's static quantizer quantizes by default (``quantize_static``: the
#: union of ``QLinearOpsRegistry`` and ``QDQRegistry`` in onnxruntime 1.32, what `advisor measure`
#: ran). Any other op stays fp32 between a DequantizeLinear and a QuantizeLinear: an fp32 island
#: whose activations are converted twice. Static int8 measured here runs 3.2-4.1x slower than
#: fp32 on MobileNetV3 and OFA (HardSwish islands) and 1.0x on MobileNetV2 and ProxylessNAS
#: (reports/int8_static.md).
ORT_QDQ_QUANTIZED_OPS = frozenset({
    "Add", "ArgMax", "AveragePool", "BatchNormalization", "Clip", "Concat", "Conv",
    "ConvTranspose", "CumSum", "EmbedLayerNormalization", "Flatten", "Gather",
    "GatherElements", "Gemm", "GlobalAveragePool", "InstanceNormalization",
    "LayerNormalization", "LeakyRelu", "MatMul", "MaxPool", "Mul", "Pad", "Relu", "Reshape",
    "Resize", "Sigmoid", "Slice", "Softmax", "Split", "Squeeze", "TopK", "Transpose",
    "Unsqueeze", "Where"})


#: Runtimes whose fp32 runs use TF32 tensor cores by default where the GPU has them.
TF32_BY_DEFAULT = frozenset({"onnxruntime", "tensorrt"})


def ncnn_runs_fp16(hw) -> bool:
    """True when ncnn's default options run fp32 models with fp16 arithmetic on ``hw``."""
    # duck-typed like the rest of the prediction path (features, roofline): any object with a kind
    is_cpu = str(getattr(hw, "kind", "")).endswith("cpu")
    return is_cpu and "fp16" in (getattr(hw, "isa", None) or ()) and bool(hw.peak_tflops("fp16"))


def has_fast_fp16(hw) -> bool:
    """True when ``hw``'s fp16 peak is known and at least its fp32 peak."""
    fp16, fp32 = hw.peak_tflops("fp16"), hw.peak_tflops("fp32")
    return bool(fp16) and (not fp32 or fp16 >= fp32)


def effective_precision(runtime: str, hw, precision: str) -> str:
    """The precision ``runtime`` runs on ``hw`` when ``precision`` is asked for."""
    if runtime == "ncnn" and precision == "fp32" and ncnn_runs_fp16(hw):
        return "fp16"
    if runtime == "ncnn-vulkan" and precision == "fp16" and not has_fast_fp16(hw):
        return "fp32"
    has_tf32 = not str(getattr(hw, "kind", "")).endswith("cpu") and bool(hw.peak_tflops("tf32"))
    if runtime in TF32_BY_DEFAULT and precision == "fp32" and has_tf32:
        return "tf32"
    if precision == "tf32" and not has_tf32:     # no TF32 units: the same fp32 tensors, fp32 math
        return "fp32"
    return precision


def ran_precision(runtime: str, hw, name: str):
    """The ``Precision`` that ``runtime`` runs on ``hw`` when ``name`` is asked for."""
    from advisor.precision import get_precision
    return get_precision(effective_precision(runtime, hw, get_precision(name).name))


def convention_note(runtime: str, hw_id: str, asked: str, ran: str) -> str:
    """The note a prediction carries when ``runtime`` runs ``ran`` for ``asked`` on ``hw_id``."""
    if asked == "tf32":
        return f"{hw_id} has no TF32 tensor cores: tf32 runs as {ran}"
    if ran == "tf32":
        why = "its default TF32 tensor cores; a session that turns TF32 off runs at the slower fp32 rate"
    else:
        why = "as its measurements there did"
    return f"{runtime} runs {asked} models with {ran} arithmetic on {hw_id} by default ({why})"


def ort_cpu_static_int8(runtime: str, hw, precision: str) -> bool:
    """Static QDQ int8 run by onnxruntime on a CPU: where matrix ops with a second reader on their
    input or output stay unfused in fp32 (``advisor.profile.qdq_unfused_nodes``)."""
    return precision == "int8" and runtime == "onnxruntime" and str(getattr(hw, "kind", "")).endswith("cpu")
