"""What a runtime really runs when a precision is asked of it.

Training and prediction must agree on this, or a prediction asks the model about a setting the
training rows never showed it. Two conventions so far:

- ncnn turns on fp16 arithmetic by default on Arm CPUs that have it (ARMv8.2 ``fp16``), so an
  "fp32" model there runs fp16 kernels (the ncnn benchmark's own caveat: "bf16/fp16 storage may
  apply").
- ncnn's Vulkan backend does fp16 arithmetic only on GPUs that support it; on a GPU whose fp16
  rate is below its fp32 rate (Pascal GeForce: 1/64) or unknown, "fp16" runs fp32 arithmetic.
  Its roofline at the fp16 rate was 64x too slow (a GTX 1050 Ti "ran" VGG-16 10x faster than it).
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
    return precision
