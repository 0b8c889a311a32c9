"""Time one ONNX model with onnxruntime, each repetition set in a fresh subprocess.

Why subprocesses: on a small host the medians of separate processes differ by up to 1.2-1.4x
(allocator and thread placement), far more than the 2-10% noise within one process. So one
*process* warms up and repeats until its median is stable (or its time budget is spent), and the
ground truth is the median over N >= 3 such processes. Each process also reports how much CPU
other processes used while it ran, so busy runs can be retried or flagged.

The child is ``python -m advisor.measure.timing``: a JSON request on stdin, one JSON line out.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from advisor.errors import AdvisorError, InputError
from advisor.measure import idle
from advisor.measure.node_profile import profile_session

OPT_LEVELS = ("disable", "basic", "extended", "all")
_BATCH_NAMES = re.compile(r"^(n|b|bs|batch|batch_?size|batchsize|.*batch.*)$", re.I)
_SEQ_NAMES = re.compile(r"(seq|sequence|tokens?$|^s$|^t$|^l$|^len$|length)", re.I)
_PAST_NAMES = re.compile(r"(past|total|cache|kv)", re.I)


# ---------------------------------------------------------------------------- settings & inputs

@dataclass(frozen=True)
class TimingSettings:
    """How one model is run and how long each process may spend on it."""

    threads: int = 1                 # intra-op threads
    inter_op: int = 1                # inter-op threads (sequential execution)
    opt_level: str = "all"           # one of OPT_LEVELS
    provider: str = "CPUExecutionProvider"
    warmup_runs: int = 3             # at least this many warm-up runs ...
    warmup_s: float = 0.2            # ... and at least this long
    min_repeats: int = 10
    max_repeats: int = 2000
    min_time_s: float = 0.3          # never stop before this much timed work
    budget_s: float = 5.0            # per process, timing loop (warm-up excluded)
    rtol: float = 0.01               # median counts as stable when it moves less than this
    seed: int = 0

    def __post_init__(self) -> None:
        if self.threads < 1 or self.inter_op < 1:
            raise InputError(f"threads must be >= 1, got intra={self.threads} inter={self.inter_op}")
        if self.opt_level not in OPT_LEVELS:
            raise InputError(f"graph optimisation level must be one of {', '.join(OPT_LEVELS)}; "
                             f"got {self.opt_level!r}")
        if self.budget_s <= 0 or self.min_repeats < 1 or self.max_repeats < self.min_repeats:
            raise InputError("timing budget must be > 0 and 1 <= min_repeats <= max_repeats")


@dataclass(frozen=True)
class InputSpec:
    """A concrete model input: name, shape with every dim resolved, numpy dtype name."""

    name: str
    shape: tuple[int, ...]
    dtype: str


def _elem_type_to_numpy(elem_type: int) -> str:
    from onnx import helper
    try:
        return np.dtype(helper.tensor_dtype_to_np_dtype(elem_type)).name
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"unsupported input element type {elem_type}") from exc


@dataclass(frozen=True)
class ResolvedInputs:
    """Concrete inputs of a model, the batch they imply and whether ``seq_len`` was used."""

    specs: list[InputSpec]
    batch: int
    used_seq_len: bool

    def shapes(self) -> dict[str, list[int]]:
        return {s.name: list(s.shape) for s in self.specs}


def resolve_inputs(model, batch: int | None = None, seq_len: int | None = None,
                   dims: dict[str, int] | None = None) -> ResolvedInputs:
    """Concrete input shapes of an ONNX model (ModelProto or path) and the batch they imply.

    Symbolic dims are resolved, in order: ``dims[name]``; a batch-like name (or an unnamed
    leading dim) -> ``batch`` (default 1); a sequence-like name -> ``seq_len``. Anything left is
    an InputError naming the dim. When no input has a symbolic batch dim, the model's fixed
    leading dim is its batch, and asking for a different one is an InputError.
    """
    import onnx
    if not isinstance(model, onnx.ModelProto):
        model = onnx.load(str(model), load_external_data=False)
    dims = dict(dims or {})
    init_names = {t.name for t in model.graph.initializer}
    specs: list[InputSpec] = []
    batch_resolved = used_seq = False
    fixed_leading: set[int] = set()
    for vi in model.graph.input:
        if vi.name in init_names:
            continue
        tt = vi.type.tensor_type
        if not vi.type.HasField("tensor_type"):
            raise InputError(f"input {vi.name!r} is not a tensor; only tensor inputs are supported")
        shape: list[int] = []
        for axis, d in enumerate(tt.shape.dim):
            if d.HasField("dim_value") and d.dim_value > 0:
                shape.append(int(d.dim_value))
                if axis == 0:
                    fixed_leading.add(int(d.dim_value))
                continue
            name = d.dim_param if d.HasField("dim_param") else ""
            if name and name in dims:
                shape.append(int(dims[name]))
            elif name and _PAST_NAMES.search(name):
                raise InputError(f"input {vi.name!r} has cache/past dim {name!r}; "
                                 f"give its size with --dim {name}=N")
            elif (name and _BATCH_NAMES.match(name)) or (not name and axis == 0) or \
                    (axis == 0 and not _SEQ_NAMES.search(name)):
                shape.append(int(batch or 1))
                batch_resolved = True
            elif name and _SEQ_NAMES.search(name):
                if seq_len is None:
                    raise InputError(f"input {vi.name!r} has sequence dim {name!r}; "
                                     "give it with --seq-len N")
                shape.append(int(seq_len))
                used_seq = True
            else:
                raise InputError(f"cannot resolve dim {name or '?'} (axis {axis}) of input "
                                 f"{vi.name!r}; give it with --dim NAME=N")
        specs.append(InputSpec(vi.name, tuple(shape), _elem_type_to_numpy(tt.elem_type)))
    if batch_resolved:
        effective = int(batch or 1)
    else:
        effective = min(fixed_leading) if fixed_leading else 1
        if batch is not None and int(batch) != effective:
            raise InputError(f"model has a fixed batch of {effective}; cannot run it at batch "
                             f"{batch} (export it with a symbolic batch dim, or use the zoo)")
    return ResolvedInputs(specs, effective, used_seq)


def random_inputs(specs: list[InputSpec], seed: int = 0) -> dict[str, np.ndarray]:
    """Random feeds for the given specs: normal floats, 0/1 integers (valid indices), ones for masks."""
    rng = np.random.default_rng(seed)
    feeds: dict[str, np.ndarray] = {}
    for s in specs:
        dt = np.dtype(s.dtype)
        if dt.kind == "f":
            feeds[s.name] = rng.standard_normal(s.shape).astype(dt)
        elif dt.kind == "b":
            feeds[s.name] = np.ones(s.shape, dtype=dt)
        elif dt.kind in "iu":
            if "mask" in s.name.lower():
                feeds[s.name] = np.ones(s.shape, dtype=dt)
            else:
                feeds[s.name] = rng.integers(0, 2, size=s.shape).astype(dt)
        else:
            raise InputError(f"cannot make random data for input {s.name!r} of dtype {s.dtype}")
    return feeds


# ---------------------------------------------------------------------------- statistics

@dataclass(frozen=True)
class ProcessResult:
    """What one timing subprocess measured."""

    times_ms: list[float]
    median_ms: float
    p10_ms: float
    p90_ms: float
    min_ms: float
    repeats: int
    cv: float
    stable: bool
    load_s: float
    other_cores: float       # other processes' CPU use during the timing loop (cores)
    idle_known: bool
    nodes: list | None = None  # per-kernel records (node_profile.NODE_FIELDS) when profiled


def summarize(times_ms: list[float]) -> dict:
    """median, p10, p90, min, repeats and coefficient of variation of a list of times."""
    a = np.asarray(times_ms, dtype=float)
    mean = float(a.mean())
    return dict(median_ms=float(np.median(a)), p10_ms=float(np.percentile(a, 10)),
                p90_ms=float(np.percentile(a, 90)), min_ms=float(a.min()), repeats=int(a.size),
                cv=float(a.std(ddof=1) / mean) if a.size > 1 and mean > 0 else 0.0)


def time_loop(run, settings: TimingSettings, clock=time.perf_counter) -> tuple[list[float], bool]:
    """Warm up, then call ``run()`` until the median is stable or the budget is spent.

    Stable: after ``min_repeats`` and ``min_time_s``, the running median moved by less than
    ``rtol`` at two consecutive checkpoints (a checkpoint every ~10% more repeats).
    Returns (times in ms, whether it stabilised).
    """
    t0 = clock()
    n = 0
    while n < settings.warmup_runs or clock() - t0 < settings.warmup_s:
        run()
        n += 1
        if clock() - t0 > settings.budget_s:       # huge model: warm-up may not eat the budget
            break
    times: list[float] = []
    start = clock()
    next_check = settings.min_repeats
    last_median: float | None = None
    calm = 0
    stable = False
    while True:
        a = clock()
        run()
        times.append((clock() - a) * 1e3)
        spent = clock() - start
        if len(times) >= settings.max_repeats or spent >= settings.budget_s:
            break
        if len(times) >= next_check and spent >= settings.min_time_s:
            med = statistics.median(times)
            if last_median is not None and abs(med - last_median) <= settings.rtol * last_median:
                calm += 1
                if calm >= 2:
                    stable = True
                    break
            else:
                calm = 0
            last_median = med
            next_check = len(times) + max(3, len(times) // 10)
    return times, stable


# ---------------------------------------------------------------------------- child process

def _ort_opt_level(ort, name: str):
    return {"disable": ort.GraphOptimizationLevel.ORT_DISABLE_ALL,
            "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
            "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
            "all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL}[name]


def _child(request: dict) -> dict:
    """Body of the timing subprocess: load, feed, time, report (runs in a fresh interpreter)."""
    import onnxruntime as ort
    settings = TimingSettings(**request["settings"])
    specs = [InputSpec(s["name"], tuple(s["shape"]), s["dtype"]) for s in request["inputs"]]
    t_load = time.perf_counter()

    def options():
        so = ort.SessionOptions()
        so.intra_op_num_threads = settings.threads
        so.inter_op_num_threads = settings.inter_op
        so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        so.graph_optimization_level = _ort_opt_level(ort, settings.opt_level)
        so.log_severity_level = 3
        return so
    sess = ort.InferenceSession(request["model"], sess_options=options(), providers=[settings.provider])
    feeds = random_inputs(specs, settings.seed)
    load_s = time.perf_counter() - t_load
    before = idle.sample()
    times, stable = time_loop(lambda: sess.run(None, feeds), settings)
    report = idle.between(before, idle.sample())
    out = dict(times_ms=times, stable=stable, load_s=load_s, other_cores=report.other_cores,
               idle_known=report.available, **summarize(times))
    runs = int(request.get("profile_runs") or 0)
    if runs > 0:      # after the timing loop: profiling never slows a timed run
        del sess
        out["nodes"] = profile_session(ort, request["model"], options, [settings.provider], feeds, runs)
    return out


def main() -> int:  # pragma: no cover - exercised through run_process
    request = json.loads(sys.stdin.read())
    try:
        out = {"ok": True, **_child(request)}
    except Exception as exc:  # noqa: BLE001 - reported to the parent as one line
        out = {"ok": False, "error": f"{type(exc).__name__}: {' '.join(str(exc).split())[:400]}"}
    sys.stdout.write("\n" + json.dumps(out) + "\n")
    sys.stdout.flush()
    return 0


# ---------------------------------------------------------------------------- parent side

def run_process(model_path: str | Path, inputs: list[InputSpec], settings: TimingSettings,
                timeout_s: float | None = None, profile_runs: int = 0) -> ProcessResult:
    """Time the model in one fresh subprocess; raise AdvisorError when it fails.
    ``profile_runs`` > 0 also profiles that many runs per kernel after timing (``nodes``)."""
    request = dict(model=str(model_path), settings=asdict(settings), profile_runs=int(profile_runs),
                   inputs=[dict(name=s.name, shape=list(s.shape), dtype=s.dtype) for s in inputs])
    timeout = timeout_s if timeout_s is not None else settings.budget_s * 4 + 300
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", str(settings.threads))
    try:
        proc = subprocess.run([sys.executable, "-m", "advisor.measure.timing"],
                              input=json.dumps(request), capture_output=True, text=True,
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired as exc:
        raise AdvisorError(f"timing process exceeded {timeout:.0f} s") from exc
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        tail = " ".join(proc.stderr.split())[-300:]
        raise AdvisorError(f"timing process died (exit {proc.returncode}): {tail}")
    out = json.loads(lines[-1])
    if not out.get("ok"):
        raise AdvisorError(out.get("error", "timing process failed"))
    out.pop("ok")
    return ProcessResult(**out)


@dataclass
class Measurement:
    """Ground truth for one (model, settings): the median over separate processes."""

    median_ms: float
    p10_ms: float
    p90_ms: float
    min_ms: float
    repeats: int             # timed runs over all kept processes
    cv: float                # median within-process coefficient of variation
    spread: float            # (max - min) / median of the per-process medians
    processes: int
    process_medians_ms: list[float]
    idle: bool               # every kept process ran on an idle machine
    other_cores_max: float   # worst other-process CPU use seen before or during a kept process
    retries: int             # processes rerun: the machine was busy, or the kept ones disagreed
    stable: bool             # every kept process reached a stable median
    seconds: float = 0.0
    results: list[ProcessResult] = field(default_factory=list, repr=False)
    nodes: list | None = None  # per-kernel profile of the first kept process (when asked for)


#: A row whose separate processes' medians differ by more than this factor timed contention, not
#: the model: clean processes differ by up to 1.2-1.4x (DESIGN.md), while another process on one
#: core tripled a latency. ``measure`` reruns the slowest process of such a row (contention only
#: slows), and training drops rows still beyond it (``advisor.training.load_measurements``): a
#: GPT-2 medium decode step at 1 thread was stored as 840 ms from processes at 147, 879 and 840 ms,
#: where 2 threads took 101 ms.
MAX_PROCESS_DISAGREEMENT = 3.0


def disagreement(medians_ms: list[float]) -> float:
    """Largest over smallest of per-process medians (1 for fewer than two positive values)."""
    values = [v for v in medians_ms if np.isfinite(v) and v > 0]
    return max(values) / min(values) if len(values) > 1 else 1.0


def measure(model_path: str | Path, inputs: list[InputSpec], settings: TimingSettings,
            processes: int = 3, max_retries: int = 3,
            max_other_cores: float = idle.DEFAULT_MAX_OTHER_CORES,
            idle_window_s: float = 0.3, idle_wait_s: float = 5.0,
            profile_runs: int = 0) -> Measurement:
    """Median over ``processes`` separate timing processes, retrying those run on a busy machine.

    Before each process the parent waits (up to ``idle_wait_s``) for the machine to be idle; a
    process during or before which others used more than ``max_other_cores`` is rerun, and so is
    the slowest process while the kept ones disagree beyond ``MAX_PROCESS_DISAGREEMENT`` (the
    idle check misses contention from outside this machine's view, such as a busy VM host): at
    most ``max_retries`` reruns in total. When retries run out the result is kept and flagged
    (``idle=False``, or its process medians show the disagreement) rather than dropped, so a row
    is never silently clean.
    ``profile_runs`` > 0: processes also profile kernels after timing until one kept has them.
    """
    if processes < 1:
        raise InputError(f"processes must be >= 1, got {processes}")
    t0 = time.monotonic()
    kept: list[ProcessResult] = []
    worst = 0.0
    all_idle = True
    retries = 0
    while len(kept) < processes:
        pre = idle.wait_until_idle(idle_wait_s, idle_window_s, max_other_cores) \
            if idle_window_s > 0 else idle.IdleReport(0.0, 0.0, 0.0, False)
        want_nodes = profile_runs if not any(r.nodes for r in kept) else 0
        res = run_process(model_path, inputs, settings, profile_runs=want_nodes)
        others = max(pre.other_cores, res.other_cores)
        busy = others > max_other_cores
        if busy and retries < max_retries:
            retries += 1
            continue
        all_idle = all_idle and not busy
        worst = max(worst, others)
        kept.append(res)
        if (len(kept) == processes and retries < max_retries
                and disagreement([r.median_ms for r in kept]) > MAX_PROCESS_DISAGREEMENT):
            retries += 1
            # contention only slows: drop the slowest and time another (which profiles the
            # kernels again if the dropped one held the profile)
            kept.remove(max(kept, key=lambda r: r.median_ms))
    meds = [r.median_ms for r in kept]
    pooled = summarize([t for r in kept for t in r.times_ms])
    median = float(statistics.median(meds))
    return Measurement(
        median_ms=median, p10_ms=pooled["p10_ms"], p90_ms=pooled["p90_ms"], min_ms=pooled["min_ms"],
        repeats=pooled["repeats"], cv=float(statistics.median(r.cv for r in kept)),
        spread=(max(meds) - min(meds)) / median if median > 0 else 0.0,
        processes=len(kept), process_medians_ms=meds, idle=all_idle,
        other_cores_max=round(worst, 4), retries=retries, stable=all(r.stable for r in kept),
        seconds=time.monotonic() - t0, results=kept,
        nodes=next((r.nodes for r in kept if r.nodes), None))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
