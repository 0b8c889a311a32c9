"""Per-kernel times from onnxruntime's own profiler: what each executed node cost.

End-to-end latency says how long a graph took; the profiler says which kernels onnxruntime ran
after its fusions (a Conv with its activation folded in, NCHWc reorders, MatMul+Add as Gemm)
and how long each took, with its input and output shapes. Those kernel rows are the training
data of a per-kernel latency model (nn-Meter's approach) and the ground truth for the fusions
``advisor.kernels`` assumes.

Profiling adds a little time to every node, so it runs in a second session *after* the timing
loop of a process has finished; the timed latency never includes it.
"""

from __future__ import annotations

import json
import statistics
import tempfile
from pathlib import Path

#: Field order of one compact node record (lists are a fraction of the size of dicts in JSON).
NODE_FIELDS = ("name", "op", "provider", "median_us", "inputs", "outputs", "activation_bytes",
               "parameter_bytes", "output_bytes")
PROFILE_WARMUP_RUNS = 2


def shapes_text(type_shapes) -> str:
    """onnxruntime's ``[{"float": [1, 3, 224, 224]}, ...]`` as ``"float:1x3x224x224;..."``."""
    parts = []
    for entry in type_shapes or []:
        if isinstance(entry, dict):
            for dtype, dims in entry.items():
                parts.append(f"{dtype}:{'x'.join(str(int(d)) for d in dims)}")
    return ";".join(parts)


def parse_profile(events: list[dict], runs: int) -> list[list]:
    """Median kernel time of each node over the last ``runs`` runs, in execution order, with its
    shapes and the bytes onnxruntime reports it reading (activations, parameters) and writing.

    ``events`` is onnxruntime's profile (Chrome trace JSON). Node events are named
    ``<node>_kernel_time``; the first occurrences of a node belong to warm-up runs.
    """
    durations: dict[str, list[float]] = {}
    first: dict[str, dict] = {}
    for event in events:
        if event.get("cat") != "Node" or not str(event.get("name", "")).endswith("_kernel_time"):
            continue
        name = event["name"][: -len("_kernel_time")]
        durations.setdefault(name, []).append(float(event.get("dur", 0.0)))
        first.setdefault(name, event)
    out = []
    for name, times in durations.items():
        args = first[name].get("args", {})
        provider = str(args.get("provider", "")).replace("ExecutionProvider", "")
        out.append([name, str(args.get("op_name", "")), provider,
                    round(statistics.median(times[-runs:]), 3),
                    shapes_text(args.get("input_type_shape")), shapes_text(args.get("output_type_shape")),
                    _int(args.get("activation_size")), _int(args.get("parameter_size")),
                    _int(args.get("output_size"))])
    return out


def _int(value) -> int | None:
    """onnxruntime writes sizes as decimal strings; None when absent or not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def profile_session(ort, model_path: str, session_options_factory, providers: list[str], feeds: dict,
                    runs: int) -> list[list]:
    """Run the model ``PROFILE_WARMUP_RUNS + runs`` times in a fresh profiling session; returns its
    node records. The profile file is written to a temporary folder and removed."""
    with tempfile.TemporaryDirectory(prefix="advisor-profile-") as tmp:
        so = session_options_factory()
        so.enable_profiling = True
        so.profile_file_prefix = str(Path(tmp) / "profile")
        sess = ort.InferenceSession(model_path, sess_options=so, providers=providers)
        for _ in range(PROFILE_WARMUP_RUNS + runs):
            sess.run(None, feeds)
        path = sess.end_profiling()
        with open(path) as fh:
            events = json.load(fh)
    return parse_profile(events if isinstance(events, list) else [], runs)
