"""Splits (a), (c) and (d) with and without balancing devices inside a source, at two seeds.

Rows are weighted so no source drowns the others (1/sqrt of the source's rows). Inside HELP the
devices are unequal too: three GPUs (RTX 2080 Ti, Titan RTX, Titan Xp) hold 22,500 rows each,
the phones, Raspberry Pi and Xeons about 5,000, so the GPUs' launch-overhead pattern sets the
trees' first splits. ``balance_devices`` shares each source's weight among its devices by the
square root of their rows (``advisor.training.source_weights``). Retraining with another seed
moves these MAPEs by about a point (reports/seed_spread.md), so each variant runs at seeds 0 and
1 on the same rows and folds::

    python benchmarks/ablate_device_balance.py --public /tmp/public.csv.gz \\
        > reports/ablations/device_balance.txt

About 12 minutes on 2 cores.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ablation_common import assembled_rows, compare_acd  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    data, start = assembled_rows(__doc__, argv)
    variants = [(f"{name}, seed {seed}", data, {"balance_devices": balance, "random_state": seed})
                for seed in (0, 1) for name, balance in (("sources only", False),
                                                         ("devices balanced", True))]
    return compare_acd(variants, start)


if __name__ == "__main__":
    sys.exit(main())
