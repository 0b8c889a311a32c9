"""Splits (a), (c) and (d) with and without session 5's minimum of held-out units per group band.

1. as committed: a (runtime, precision) group gets its own residual band only with residuals from
   at least ``MIN_UNITS_FOR_BAND`` = 3 held-out units (graphs; devices for spec-only bands);
2. as before: any group with 30 finite residuals gets its own band, however few units they
   come from.

Same rows, folds and parameters in both. About 15 minutes on 2 cores::

    python benchmarks/ablate_band_units.py --public /tmp/public.csv.gz \\
        > reports/ablations/band_units.txt
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import advisor.predictor as predictor  # noqa: E402
from ablation_common import assembled_rows, report_a, report_cd  # noqa: E402
from advisor.evaluation import split_a, split_cd  # noqa: E402
from advisor.report_eval import EVAL_PARAMS  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    data, start = assembled_rows(__doc__, argv)
    committed = predictor.MIN_UNITS_FOR_BAND
    for name, units in ((f"as committed (>= {committed} units)", committed), ("any units", 1)):
        predictor.MIN_UNITS_FOR_BAND = units
        try:
            report_a(name, split_a(data, EVAL_PARAMS))
            report_cd(name, split_cd(data, EVAL_PARAMS))
        finally:
            predictor.MIN_UNITS_FOR_BAND = committed
    print(f"done in {time.time() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
