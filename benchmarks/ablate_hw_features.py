"""Splits (a), (c) and (d) side by side: the committed features, then with absolute spec numbers.

Feature schema 6 dropped the absolute spec numbers (log peak matrix / fp32 TFLOPS, log bandwidth,
log compute units, log last-level cache). This script puts them back as extra columns, computed
from each row's hardware exactly as schema 5 did, and scores both variants on the same rows,
folds and parameters::

    python benchmarks/ablate_hw_features.py --public /tmp/public.csv.gz \\
        > reports/ablations/absolute_hw_features.txt

(Schema 3's removal of release year and TDP, ``reports/ablations/with_release_year_and_tdp.md``,
was measured the same way.) About 16 minutes on 2 cores.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ablation_common import assembled_rows, compare_acd  # noqa: E402
from advisor.precision import get_precision  # noqa: E402
from advisor.roofline import effective_peak_tflops  # noqa: E402
from advisor.training import TrainingSet, training_hardware  # noqa: E402

ABSOLUTE = ("log_peak_matrix", "log_peak_fp32", "log_bw", "log_units", "log_llc")


def absolute_spec_columns(data: TrainingSet) -> np.ndarray:
    """Schema 5's absolute spec features for every row (one column per name in ABSOLUTE)."""
    cache: dict[tuple, list[float]] = {}
    out = np.empty((len(data), len(ABSOLUTE)))
    meta = data.meta
    threads = meta["threads"].to_numpy(float)
    for i, (hw_id, precision) in enumerate(zip(meta["hw_id"], meta["precision"])):
        t = None if np.isnan(threads[i]) else int(threads[i])
        key = (hw_id, precision, t)
        if key not in cache:
            hw = training_hardware(hw_id)
            matrix, _ = effective_peak_tflops(hw, get_precision(precision).matrix_format, t)
            fp32, _ = effective_peak_tflops(hw, "fp32", t)
            cache[key] = [np.log(max(v, 1e-30)) for v in
                          (matrix, fp32, hw.mem_bw_gbs or 0, hw.compute_units or 1, hw.llc_mb or 1.0)]
        out[i] = cache[key]
    return out


def main(argv: list[str] | None = None) -> int:
    data, start = assembled_rows(__doc__, argv)
    with_absolute = data.subset(np.ones(len(data), bool))
    with_absolute.X = np.hstack([data.X, absolute_spec_columns(data)])
    return compare_acd([("schema 6 (committed)", data),
                        (f"with {', '.join(ABSOLUTE)}", with_absolute)], start)


if __name__ == "__main__":
    sys.exit(main())
