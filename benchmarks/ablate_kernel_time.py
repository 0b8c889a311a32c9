"""Ablation: the regressor with and without the per-kernel time feature (``advisor.kernel_model``).

Same rows, same splits, same seeds; the only difference is whether profiled hosts' rows get the
per-kernel model's time as a feature. Scores splits (a) and (b), and (b) per family, since the
feature exists only for our host's onnxruntime rows.

    python benchmarks/ablate_kernel_time.py --public /tmp/public.csv.gz | tee reports/ablations/kernel_time_feature.txt
"""

from __future__ import annotations

import sys
import time
from unittest import mock

import numpy as np

from ablation_common import assembled_rows, report_a

import advisor.training as training  # noqa: E402
from advisor.evaluation import split_a, split_b  # noqa: E402
from advisor.kernel_model import KernelTimeModel  # noqa: E402
from advisor.report_eval import EVAL_PARAMS  # noqa: E402

VARIANTS = ("with kernel-time feature", "without")


def _without():
    """Patches that leave the feature NaN everywhere (no kernel model fitted or attached)."""
    return (mock.patch.object(training, "cross_fitted_kernel_time", lambda data: np.full(len(data), np.nan)),
            mock.patch.object(training, "fit_kernel_time", lambda data, rows=None: KernelTimeModel()))


def main(argv=None) -> int:
    data, start = assembled_rows(__doc__, argv)
    params = EVAL_PARAMS    # as `advisor evaluate`, so numbers compare with reports/evaluation.md
    profiled = sum(k in data.kernel_data.profiled for k in data.profile_keys)
    with_kernels = int((data.kernel_spans[:, 1] > data.kernel_spans[:, 0]).sum())
    print(f"{with_kernels} rows on profiled hosts, {profiled} of them with kernel profiles", flush=True)
    by_family = {}
    for name in VARIANTS:
        patches = _without() if name == "without" else ()
        for p in patches:
            p.start()
        try:
            report_a(name, split_a(data, params))
            b = split_b(data, params)
        finally:
            for p in patches:
                p.stop()
        m = b["model"]
        print(f"{name} (b): MAPE {100 * m.mape:.1f}% median {100 * m.median_ape:.1f}% "
              f"within 10% {100 * m.within_10:.1f}% coverage {100 * m.coverage:.1f}%", flush=True)
        if b.get("kernel_model"):
            k = b["kernel_model"]
            print(f"{name} (b), per-kernel model alone: MAPE {100 * k.mape:.1f}% median "
                  f"{100 * k.median_ape:.1f}% over {k.n} rows", flush=True)
        by_family[name] = b["by_family"]
    print("\n(b) MAPE by held-out family: " + " | ".join(VARIANTS))
    for family in sorted(by_family[VARIANTS[0]]):
        scores = [by_family[v].get(family) for v in VARIANTS]
        print(f"  {family:20s} " + " | ".join("-" if s is None else f"{100 * s.mape:5.1f}% (n={s.n})"
                                              for s in scores))
    print(f"\ntotal {time.time() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
