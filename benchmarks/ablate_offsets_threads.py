"""Splits (c) and (d) for three variants of session 4's two predictor changes, side by side.

1. as committed: setting offsets and group centres count evidence per graph (per device for the
   spec-only bands), and thread features are NaN on accelerators (feature schema 4);
2. thread features on accelerators as before schema 4 (thread share 1, log threads = log units);
3. offsets and centres counting evidence per row, as before.

Same rows, folds and parameters in every variant. About 12 minutes on 2 cores::

    python benchmarks/ablate_offsets_threads.py --public /tmp/public.csv.gz \\
        > reports/ablations/offsets_and_thread_features.txt
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import advisor.predictor as predictor  # noqa: E402
from ablation_common import assembled_rows, report_cd  # noqa: E402
from advisor.evaluation import split_cd  # noqa: E402
from advisor.features import KINDS, feature_names  # noqa: E402
from advisor.report_eval import EVAL_PARAMS  # noqa: E402
from advisor.setting_offsets import fit_setting_offsets  # noqa: E402
from advisor.training import training_hardware  # noqa: E402


def threads_on_accelerators(X: np.ndarray, hw_ids) -> np.ndarray:
    """Schema-3 thread features: accelerators get share 1 and log threads = log units."""
    names = feature_names()
    X = X.copy()
    units = {h: training_hardware(h).compute_units or 1 for h in set(hw_ids)}
    log_units = np.log([units[h] for h in hw_ids])
    cpu = np.zeros(len(X), bool)
    for kind in KINDS:
        if kind.endswith("cpu"):
            cpu |= X[:, names.index(f"kind_{kind}")] == 1
    X[~cpu, names.index("thread_share")] = 1.0
    X[~cpu, names.index("log_threads")] = log_units[~cpu]
    return X


def per_row_evidence(residuals, keys, usable=None, graphs=None):
    """fit_setting_offsets as before: every row counts as its own graph."""
    return fit_setting_offsets(residuals, keys, usable)


def main(argv: list[str] | None = None) -> int:
    data, start = assembled_rows(__doc__, argv)
    report_cd("as committed", split_cd(data, EVAL_PARAMS))
    old_threads = data.subset(np.ones(len(data), bool))
    old_threads.X = threads_on_accelerators(data.X, data.meta["hw_id"].tolist())
    report_cd("thread features on accelerators", split_cd(old_threads, EVAL_PARAMS))
    original = predictor.fit_setting_offsets
    predictor.fit_setting_offsets = per_row_evidence
    try:
        report_cd("evidence per row", split_cd(data, EVAL_PARAMS))
    finally:
        predictor.fit_setting_offsets = original
    print(f"done in {time.time() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
