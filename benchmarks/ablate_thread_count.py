"""Splits (a), (c) and (d) side by side: the committed features, then without ``log_threads``.

``log_threads`` is the absolute thread count of a CPU row. Its values name devices more than
they describe work: 12 threads occur in training mostly on HELP's PyTorch Xeons (efficiency about
0.01), so MLPerf's unseen Jetson AGX Orin CPU (12 cores, TFLite/ArmNN) was predicted about 6x too
slow. What threads do to efficiency also shows relative to the graph: the roofline time per
kernel (``log_kernel_mean_s``) shrinks as threads are added, and ``thread_share`` says how much
of the chip is used. The variant blanks the column (NaN: XGBoost's missing value, so the column
can no longer split) and scores both on the same rows, folds and parameters::

    python benchmarks/ablate_thread_count.py --public /tmp/public.csv.gz \\
        > reports/ablations/thread_count_feature.txt

(b) is not run: our host's rows use 1 or 2 threads, which ``thread_share`` tells apart as well.
About 12 minutes on 2 cores.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ablation_common import assembled_rows, compare_acd  # noqa: E402
from advisor.features import feature_names  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    data, start = assembled_rows(__doc__, argv)
    without = data.subset(np.ones(len(data), bool))
    without.X = data.X.copy()
    without.X[:, feature_names().index("log_threads")] = np.nan
    return compare_acd([("committed", data), ("without log_threads", without)], start)


if __name__ == "__main__":
    sys.exit(main())
