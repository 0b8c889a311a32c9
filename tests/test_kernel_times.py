"""Per-kernel features: a profiled onnxruntime kernel and the kernel we predict describe alike."""

from __future__ import annotations

import pandas as pd
import pytest

from advisor.graph import analyze
from advisor.kernel_times import FEATURES, feature_frame, predicted_kernel, profiled_kernel
from advisor.kernels import fuse
from tests.test_measure import conv_model


def test_a_profiled_conv_and_our_fused_conv_get_the_same_costs():
    ours = fuse(analyze(conv_model(cin=8, cout=16, hw=16, batch=1)))
    assert len(ours) == 1                                  # Conv + Relu: one kernel
    mine = predicted_kernel(ours[0])
    # what onnxruntime's profiler reports for that kernel (FusedConv with the Relu folded in)
    theirs = profiled_kernel("FusedConv", "float:1x8x16x16;float:16x8x3x3;float:16", "float:1x16x16x16",
                             8 * 16 * 16 * 4, (16 * 8 * 9 + 16) * 4, 16 * 16 * 16 * 4)
    assert theirs["category"] == mine["category"] == "conv"
    assert theirs["flops"] == pytest.approx(mine["flops"], rel=0.01)      # ours adds the Relu's
    for key in ("activation_bytes", "weight_bytes", "output_bytes"):
        assert theirs[key] == mine[key]


def test_profiled_kernels_without_reported_sizes_and_unknown_ops():
    gemm = profiled_kernel("Gemm", "float:4x512;float:1000x512;float:1000", "float:4x1000")
    assert gemm["category"] == "matmul" and gemm["flops"] >= 2 * 4 * 1000 * 512
    assert gemm["activation_bytes"] == (4 * 512 + 1000 * 512 + 1000) * 4    # no sizes: all inputs
    reorder = profiled_kernel("ReorderOutput", "float:1x64x8x8", "float:1x64x8x8")
    assert reorder["category"] == "unknown" and reorder["flops"] == 0
    frame = feature_frame(pd.DataFrame([gemm, reorder]).assign(threads=2, precision="int8-static"))
    assert list(frame.columns) == FEATURES and len(frame) == 2
    assert frame["precision_int8-static"].tolist() == [1.0, 1.0]
    assert frame["category_matmul"].tolist() == [1.0, 0.0]
