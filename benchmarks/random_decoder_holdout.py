"""Split (b)'s random_decoder fold: which part of the prediction makes held-out decoders slow?

Fits split (b)'s model without the random_decoder family (as `advisor evaluate` does) and prints,
per precision and mode, the median predicted / measured of the held-out rows: as evaluated, without
the per-setting offsets, the plain trees, the plain trees with the kernel-sum and per-kernel
features hidden (NaN), and as an unseen device; with the two features' values and the measured
log efficiency. About 6 minutes on 2 cores::

    python benchmarks/random_decoder_holdout.py /tmp/public.csv.gz > reports/ablations/random_decoder_holdout.txt
"""
import sys, time
from pathlib import Path
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import numpy as np, pandas as pd
from advisor.training import assemble
from advisor.paths import measurement_csvs
from advisor.evaluation import _fit
from advisor.report_eval import EVAL_PARAMS
from advisor.features import feature_names
t = time.time()
data = assemble(sys.argv[1], measurement_csvs())
print("assembled", len(data), f"{time.time()-t:.0f}s", flush=True)
held = (data.meta["family"] == "random_decoder").to_numpy()
ours = (data.meta["source"] == "ours").to_numpy()
train, test = data.subset(~held), data.subset(held & ours)
model = _fit(train, EVAL_PARAMS)
X = test.features_for(model.kernel_sum_, getattr(model, "kernel_time_", None))
names = feature_names()
def ratio(log_eff):
    return test.roofline_s / np.exp(log_eff) / test.measured_s
_, full, _ = model.predict_interval(X, unseen=np.zeros(len(test), bool), setting_keys=test.setting_keys)
_, no_offset, _ = model.predict_interval(X, unseen=np.zeros(len(test), bool))
plain = model.predict(X)
Xn = X.copy()
for col in [c for c in names if "kernel_sum" in c or "kernel_time" in c]:
    Xn[:, names.index(col)] = np.nan
no_parts = model.predict(Xn)
unseen = model.predict(X, unseen=True)
mode = np.where(test.meta["graph"].astype(str).str.contains("mode=decode"), "decode", "prefill")
df = pd.DataFrame({"precision": test.meta["precision"].to_numpy(), "mode": mode,
                   "threads": test.meta["threads"].to_numpy(),
                   "full": ratio(full), "no_offset": ratio(no_offset), "plain_trees": ratio(plain),
                   "no_kernel_parts": ratio(no_parts), "as_unseen_device": ratio(unseen),
                   "kernel_sum_feat": X[:, names.index([c for c in names if "kernel_sum" in c][0])],
                   "kernel_time_feat": X[:, names.index([c for c in names if "kernel_time" in c][0])],
                   "log_eff_measured": test.y})
print("median predicted / measured, by precision and mode")
print(df.groupby(["precision", "mode"]).median(numeric_only=True).round(2).to_string())
print("offsets of the Xeon settings:", {k: round(v, 2) for k, v in model.setting_offsets_.items() if k.startswith(str(test.setting_keys[0]).split("|")[0])})
print(f"done {time.time()-t:.0f}s")
