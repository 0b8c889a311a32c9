"""Split (b)'s random_decoder fold: which part of the prediction makes held-out decoders slow?

Fits split (b)'s model without the random_decoder family (as `advisor evaluate` does) and prints,
per precision and mode, the median predicted / measured of the held-out rows: as evaluated, without
the per-setting offsets, the plain trees, the plain trees with the kernel-sum and per-kernel
features hidden (NaN), and as an unseen device; with the two features' values and the measured
log efficiency. About 6 minutes on 2 cores::

    python benchmarks/random_decoder_holdout.py /tmp/public.csv.gz > reports/ablations/random_decoder_holdout.txt
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.evaluation import _fit  # noqa: E402
from advisor.features import kernel_sum_column, kernel_time_column  # noqa: E402
from advisor.paths import measurement_csvs  # noqa: E402
from advisor.report_eval import EVAL_PARAMS  # noqa: E402
from advisor.training import assemble  # noqa: E402

FAMILY = "random_decoder"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("public", help="`advisor data import` table")
    args = ap.parse_args(argv)
    start = time.time()
    data = assemble(args.public, measurement_csvs())
    print("assembled", len(data), f"{time.time() - start:.0f}s", flush=True)
    held = (data.meta["family"] == FAMILY).to_numpy()
    ours = (data.meta["source"] == "ours").to_numpy()
    train, test = data.subset(~held), data.subset(held & ours)
    model = _fit(train, EVAL_PARAMS)
    X = test.features_for(model.kernel_sum_, getattr(model, "kernel_time_", None))
    parts = [kernel_sum_column(), kernel_time_column()]

    def ratio(log_eff):
        return test.roofline_s / np.exp(log_eff) / test.measured_s

    seen = np.zeros(len(test), bool)
    _, full, _ = model.predict_interval(X, unseen=seen, setting_keys=test.setting_keys)
    _, no_offset, _ = model.predict_interval(X, unseen=seen)
    hidden = X.copy()
    hidden[:, parts] = np.nan
    mode = np.where(test.meta["graph"].astype(str).str.contains("mode=decode"), "decode", "prefill")
    df = pd.DataFrame({"precision": test.meta["precision"].to_numpy(), "mode": mode,
                       "threads": test.meta["threads"].to_numpy(),
                       "full": ratio(full), "no_offset": ratio(no_offset),
                       "plain_trees": ratio(model.predict(X)),
                       "no_kernel_parts": ratio(model.predict(hidden)),
                       "as_unseen_device": ratio(model.predict(X, unseen=True)),
                       "kernel_sum_feat": X[:, parts[0]], "kernel_time_feat": X[:, parts[1]],
                       "log_eff_measured": test.y})
    print("median predicted / measured, by precision and mode")
    print(df.groupby(["precision", "mode"]).median(numeric_only=True).round(2).to_string())
    host = str(test.setting_keys[0]).split("|")[0]
    print("offsets of the Xeon settings:",
          {k: round(v, 2) for k, v in model.setting_offsets_.items() if k.startswith(host)})
    print(f"done {time.time() - start:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
