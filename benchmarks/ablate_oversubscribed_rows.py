"""Splits (c) and (d) with and without ncnn's oversubscribed big-core rows, devices held out in the
same folds: ``ablate_row_rule.py --rule oversubscribed`` (this name is kept for the record in
reports/ablations/oversubscribed_rows.txt, made when the folds were scikit-learn's GroupKFold).

    python benchmarks/ablate_oversubscribed_rows.py --public /tmp/public.csv.gz
"""

from __future__ import annotations

import sys

from ablate_row_rule import main as ablate

if __name__ == "__main__":
    sys.exit(ablate(["--rule", "oversubscribed", *sys.argv[1:]]))
