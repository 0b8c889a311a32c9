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

import argparse
import glob
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import advisor.predictor as predictor  # noqa: E402
from ablate_offsets_threads import report  # noqa: E402
from advisor.evaluation import split_a, split_cd  # noqa: E402
from advisor.report_eval import EVAL_PARAMS  # noqa: E402
from advisor.training import assemble  # noqa: E402


def report_a(name: str, a: dict) -> None:
    m = a["model"]
    print(f"{name} (a): MAPE {100 * m.mape:.1f}% median {100 * m.median_ape:.1f}% "
          f"within 10% {100 * m.within_10:.1f}% coverage {100 * m.coverage:.1f}%", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--public", required=True, help="imported public table (advisor data import)")
    args = ap.parse_args(argv)
    start = time.time()
    data = assemble(args.public, sorted(glob.glob(str(ROOT / "data/measurements/*.csv"))))
    print(f"{len(data)} rows assembled in {time.time() - start:.0f} s; digest {data.digest()}",
          flush=True)
    committed = predictor.MIN_UNITS_FOR_BAND
    for name, units in ((f"as committed (>= {committed} units)", committed), ("any units", 1)):
        predictor.MIN_UNITS_FOR_BAND = units
        try:
            report_a(name, split_a(data, EVAL_PARAMS))
            report(name, split_cd(data, EVAL_PARAMS))
        finally:
            predictor.MIN_UNITS_FOR_BAND = committed
    print(f"done in {time.time() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
