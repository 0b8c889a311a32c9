"""Split (d) with calibration's local offsets chosen from the old and the current grids.

Leave-one-out over a device's calibration rows picks the offsets' bandwidth and shrink from
``advisor.calibration_local.BANDWIDTHS`` and ``SHRINKS``. Until 2026-11-30 those grids stopped at
0.05 and 0.1, the values chosen most. Each fold's model is fitted once and calibrated with either
grid, on the same calibration rows. Spec-only (c) is the same in both (the grid is not used there).
The post-calibration interval band is the fitted model's (computed with the current grid), so
(d)'s coverage in the old-grid lines is not what that grid's own bands would give.

    python benchmarks/ablate_calibration_grid.py --public /tmp/public.csv.gz
"""

from __future__ import annotations

import contextlib
import sys
import time

from ablation_common import assembled_rows, compare_cd_on_same_fits

OLD_GRID = {"BANDWIDTHS": (0.05, 0.1, 0.2, 0.5, 1.0, 2.0), "SHRINKS": (0.1, 0.3, 1.0, 3.0)}


@contextlib.contextmanager
def old_grid(model):
    """Score ``model`` with the calibration grids of before 2026-11-30."""
    import advisor.calibration_local as local
    saved = {name: getattr(local, name) for name in OLD_GRID}
    try:
        for name, value in OLD_GRID.items():
            setattr(local, name, value)
        yield model
    finally:
        for name, value in saved.items():
            setattr(local, name, value)


def main(argv: list[str] | None = None) -> int:
    data, start = assembled_rows(__doc__, argv)
    compare_cd_on_same_fits(data, {"old grid": old_grid, "current grid": contextlib.nullcontext})
    print(f"done in {time.time() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
