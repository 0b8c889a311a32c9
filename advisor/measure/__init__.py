"""Measure ONNX models with onnxruntime on this host and store the rows safely.

Modules: ``host`` (machine fingerprint), ``idle`` (is anyone else using the CPU?), ``timing``
(one model, N fresh processes, stable medians), ``variants`` (fp32 / int8 dynamic / int8 static
QDQ / fp16 via onnxruntime's tooling), ``identity`` (weight-free graph hash), ``store`` (SQLite,
WAL, one transaction per row, CSV export) and ``runner`` (resumable, budgeted job lists).

Typical use::

    from advisor.measure import Store, RunOptions, expand_jobs, run_jobs
    jobs = expand_jobs(["m.onnx"], "file", batches=[1, 8], threads=[1, 2],
                       precisions=["fp32", "int8-static"])
    with Store("data/measurements/measurements.sqlite") as st:
        summary = run_jobs(jobs, st, RunOptions(processes=3))
"""

from advisor.measure.host import HostInfo, host_info
from advisor.measure.identity import graph_hash
from advisor.measure.runner import (Job, RunOptions, RunSummary, expand_jobs, expand_zoo_spec,
                                    run_jobs)
from advisor.measure.store import Store, settings_key
from advisor.measure.timing import (InputSpec, Measurement, TimingSettings, measure,
                                    resolve_inputs)
from advisor.measure.variants import PRECISIONS, make_variant

__all__ = ["HostInfo", "host_info", "graph_hash", "Job", "RunOptions", "RunSummary",
           "expand_jobs", "expand_zoo_spec", "run_jobs", "Store", "settings_key", "InputSpec",
           "Measurement", "TimingSettings", "measure", "resolve_inputs", "PRECISIONS",
           "make_variant"]
