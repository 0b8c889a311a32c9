"""A short calibration suite for ``advisor calibrate --hw local``: time a few zoo networks here.

Ten batch-1 fp32 configurations chosen to span the three regimes the predictor must get right
on a new machine: compute-bound convolutions (ResNet-18, EfficientNet-B0), bandwidth-bound
weights (an MLP, ViT-Tiny), and many small kernels (SqueezeNet, ShuffleNet, a one-token decode
step). Each is timed with the same harness as ``advisor measure`` (fresh processes, warm-up,
median), with a short budget so the whole suite takes about a minute. The rows come back in the
``advisor calibrate --measurements`` CSV schema, so the same fitting code serves both paths and a
suite run can be saved and replayed.
"""

from __future__ import annotations

import datetime as _dt
import tempfile
from pathlib import Path
from typing import Callable

import pandas as pd

from advisor.errors import AdvisorError

SUITE: list[tuple[str, int | None]] = [      # (zoo recipe, sequence length)
    ("resnet18", None),
    ("mobilenet_v2", None),
    ("squeezenet1_1", None),
    ("efficientnet_b0", None),
    ("shufflenet_v2_x1_0", None),
    ("vit_tiny", None),
    ("mlp", None),
    ("bert_tiny", 128),
    ("gpt2_tiny", 128),
    ("gpt2_tiny:mode=decode,past_len=128", 1),
]
COLUMNS = ["model", "batch", "seq_len", "precision", "threads", "runtime", "latency_ms",
           "p10_ms", "p90_ms", "processes", "date_utc", "host"]


def run_suite(threads: int | None = None, processes: int = 2, seconds_per_process: float = 0.5,
              suite: list[tuple[str, int | None]] | None = None,
              on_row: Callable[[dict], None] | None = None) -> pd.DataFrame:
    """Time the suite with onnxruntime on this host; one row per configuration that ran.

    ``threads``: intra-op threads (default: every logical core, as a deployment would use).
    Raises AdvisorError when nothing could be timed.
    """
    from advisor.measure import RunOptions, Store, TimingSettings, run_jobs
    from advisor.measure.host import host_info
    from advisor.measure.runner import Job

    host = host_info()
    threads = threads or host.logical_cores or 1
    jobs = [Job(recipe, "zoo", 1, seq, threads, "fp32", None) for recipe, seq in (suite or SUITE)]
    opts = RunOptions(settings=TimingSettings(budget_s=seconds_per_process,
                                              min_time_s=min(0.3, seconds_per_process)),
                      processes=processes)
    with tempfile.TemporaryDirectory(prefix="advisor-calibrate-") as tmp:
        with Store(Path(tmp) / "suite.sqlite") as store:
            summary = run_jobs(jobs, store, opts, progress=False, on_row=on_row)
    rows = [r for r in summary.rows if r.get("status") == "ok"]
    if not rows:
        errors = "; ".join(sorted({str(r.get("error"))[:80] for r in summary.rows})) or "no rows"
        raise AdvisorError(f"the calibration suite could not time any model here ({errors})")
    when = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    return pd.DataFrame([{
        "model": _identity(r["source"], r.get("seq_len")), "batch": r["batch"],
        "seq_len": r.get("seq_len"), "precision": "fp32", "threads": r["threads"],
        "runtime": "onnxruntime", "latency_ms": r["median_ms"], "p10_ms": r["p10_ms"],
        "p90_ms": r["p90_ms"], "processes": r["processes"], "date_utc": r.get("date_utc", when),
        "host": f"{host.cpu_model} ({host.host_hash})"} for r in rows], columns=COLUMNS)


def _identity(recipe: str, seq_len) -> str:
    """The graph identity `advisor calibrate` rebuilds: the recipe with its sequence length."""
    from advisor.zoo.registry import with_options

    return with_options(recipe, {"seq_len": seq_len})
