"""Short microbenchmarks of this host: achievable GEMM GFLOPS per precision and memory bandwidth.

fp32 (MatMul), fp16 (MatMul) and int8 (MatMulInteger) GEMM through tiny onnxruntime graphs, the
runtime whose kernels advisor predicts, when the CPU provider supports them (until probe version 2
fp32 went through numpy's BLAS, which on an AVX-512 host ran at 0.55x onnxruntime's rate); fp64
through numpy; bandwidth as a large-array copy
(bytes read + bytes written). Each figure is the best of several timed repeats after a warm-up
(the best is the least disturbed by other processes). The full probe interleaves the metrics
round by round, so that every metric samples the whole probe window: on a shared VM a busy
neighbour lasts seconds, and a metric timed in one contiguous block can miss every quiet moment.
Results are cached per host fingerprint under ``~/.cache/advisor`` (``ADVISOR_CACHE`` overrides) so ``--hw local`` can use them.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import numpy as np

from advisor.atomic import write_text_atomically
from advisor.hardware.host import HostInfo, detect_host


# fresh processes per full probe: 3 left 26% between back-to-back runs here, 8 left 10%
# (reports/ablations/probe_statistics.md)
PROBE_PROCESSES = 8
#: what the probe measures: 2 = fp32 through onnxruntime (1: numpy). `advisor hw probe` measures
#: again over an older cached result; ``cached_probe`` still serves its bandwidth.
PROBE_VERSION = 2


def cache_dir() -> Path:
    return Path(os.environ.get("ADVISOR_CACHE", Path.home() / ".cache" / "advisor"))


def cache_path(host: HostInfo) -> Path:
    return cache_dir() / f"hw_probe_{host.fingerprint}.json"


def cached_probe(host: HostInfo | None = None) -> dict | None:
    p = cache_path(host or detect_host())
    if p.exists():
        try:
            return json.loads(p.read_text())
        except (OSError, ValueError):
            return None
    return None


def _time_once(fn, min_time: float) -> float:
    """Seconds per call of ``fn`` over one timed window of at least ``min_time``."""
    n, t0 = 0, time.perf_counter()
    while True:
        fn()
        n += 1
        el = time.perf_counter() - t0
        if el >= min_time:
            return el / n


def _numpy_gemm_kernel(dtype: str, n: int) -> tuple[Callable[[], object], float]:
    """(callable, FLOPs per call) of an n x n x n numpy matmul."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)).astype(dtype)
    b = rng.standard_normal((n, n)).astype(dtype)
    out = np.empty((n, n), dtype=dtype)
    return (lambda: np.matmul(a, b, out=out)), 2.0 * n ** 3


def gemm_numpy(dtype: str, n: int = 1024, min_time: float = 0.2, repeats: int = 5) -> float:
    """Achieved GFLOPS of an n x n x n matmul in numpy (2 n^3 FLOPs)."""
    return interleaved_best({"gemm": _numpy_gemm_kernel(dtype, n)}, min_time, repeats)["gemm"]


def _ort_session(model, threads: int | None):
    import onnxruntime as ort

    so = ort.SessionOptions()
    if threads:
        so.intra_op_num_threads = threads
    so.log_severity_level = 3
    return ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])


def _ort_gemm_kernel(precision: str, n: int,
                     threads: int | None = None) -> tuple[Callable[[], object], float] | None:
    """(callable, ops per call) of an n^3 MatMul (fp32, fp16) / MatMulInteger (int8); None if
    unsupported."""
    from onnx import TensorProto, helper

    if precision in ("fp32", "fp16"):
        et, np_t = ((TensorProto.FLOAT, np.float32) if precision == "fp32"
                    else (TensorProto.FLOAT16, np.float16))
        op, a_t, b_t, y_t = "MatMul", et, et, et
    elif precision == "int8":
        op, a_t, b_t, y_t = "MatMulInteger", TensorProto.UINT8, TensorProto.INT8, TensorProto.INT32
    else:
        raise ValueError(precision)
    g = helper.make_graph([helper.make_node(op, ["A", "B"], ["Y"])], "gemm",
                          [helper.make_tensor_value_info("A", a_t, [n, n]),
                           helper.make_tensor_value_info("B", b_t, [n, n])],
                          [helper.make_tensor_value_info("Y", y_t, [n, n])])
    model = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    rng = np.random.default_rng(0)
    if precision in ("fp32", "fp16"):
        feeds = {"A": rng.standard_normal((n, n)).astype(np_t), "B": rng.standard_normal((n, n)).astype(np_t)}
    else:
        feeds = {"A": rng.integers(0, 255, (n, n), dtype=np.uint8),
                 "B": rng.integers(-127, 127, (n, n), dtype=np.int8)}
    try:
        sess = _ort_session(model, threads)
        sess.run(None, feeds)
    except Exception:  # noqa: BLE001 - kernel not implemented for this provider/ISA
        return None
    return (lambda: sess.run(None, feeds)), 2.0 * n ** 3


def gemm_onnxruntime(precision: str, n: int = 1024, min_time: float = 0.2, repeats: int = 5,
                     threads: int | None = None) -> float | None:
    """Achieved GOPS of an n^3 MatMul (fp32, fp16) or MatMulInteger (int8) in onnxruntime; None if
    unsupported."""
    return interleaved_best({"gemm": _ort_gemm_kernel(precision, n, threads)}, min_time, repeats)["gemm"]


def _copy_kernel(mb: int) -> tuple[Callable[[], object], float]:
    """(callable, bytes moved per call) of a large array copy (read + write)."""
    src = np.ones(mb * 2 ** 20 // 8, dtype=np.float64)
    dst = np.empty_like(src)
    return (lambda: np.copyto(dst, src)), 2.0 * src.nbytes


def mem_bandwidth(mb: int = 256, min_time: float = 0.2, repeats: int = 5) -> float:
    """Achieved GB/s of a large array copy, counting bytes read + bytes written."""
    return interleaved_best({"copy": _copy_kernel(mb)}, min_time, repeats)["copy"]


def interleaved_samples(kernels: dict[str, tuple[Callable[[], object], float] | None],
                        min_time: float, rounds: int) -> dict[str, list[float] | None]:
    """Every round's rate (work per second / 1e9) of each kernel over ``rounds`` interleaved rounds.

    Every round times every kernel once, so each metric's samples are spread over the whole
    probe instead of one contiguous block that a busy neighbour can spoil entirely.
    """
    live = {k: v for k, v in kernels.items() if v is not None}
    for fn, _ in live.values():
        fn()                                        # warm-up
    samples: dict[str, list[float]] = {k: [] for k in live}
    for _ in range(rounds):
        for k, (fn, work) in live.items():
            samples[k].append(work / _time_once(fn, min_time) / 1e9)
    return {k: samples.get(k) for k in kernels}


def interleaved_best(kernels: dict[str, tuple[Callable[[], object], float] | None],
                     min_time: float, rounds: int) -> dict[str, float | None]:
    """Best rate of each kernel over ``rounds`` interleaved rounds (see ``interleaved_samples``)."""
    return {k: (None if v is None else max(v))
            for k, v in interleaved_samples(kernels, min_time, rounds).items()}


def probe_kernels(quick: bool = False) -> dict[str, tuple[Callable[[], object], float] | None]:
    """The probe's kernels: GEMM per precision and a large copy ("copy")."""
    n = 512 if quick else 1024
    return {
        "fp32": _ort_gemm_kernel("fp32", n),
        "fp64": _numpy_gemm_kernel("float64", n),
        "fp16": _ort_gemm_kernel("fp16", n),
        "int8": _ort_gemm_kernel("int8", n),
        "copy": _copy_kernel(64 if quick else 256),
    }


def probe_schedule(quick: bool = False) -> tuple[float, int]:
    """(seconds per timed window, interleaved rounds) of one probe process."""
    # best of many interleaved rounds: a shared VM's neighbours only ever slow a run down
    return (0.05, 3) if quick else (0.2, 8)


def probe_rates(quick: bool = False) -> dict[str, float | None]:
    """One process's best rates: GEMM GFLOPS/GOPS per precision and copy GB/s ("copy")."""
    return interleaved_best(probe_kernels(quick), *probe_schedule(quick))


def _child_rates(quick: bool) -> dict[str, float | None]:
    """probe_rates() in a fresh Python process (thread placement and allocator state are per process)."""
    out = subprocess.run([sys.executable, "-m", "advisor.hardware.probe"] + (["--quick"] if quick else []),
                         capture_output=True, text=True, timeout=600, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def combine_processes(per_process: list[dict[str, float | None]]) -> dict[str, float | None]:
    """Best rate per metric over processes (None where no process had a kernel for it)."""
    keys = dict.fromkeys(k for r in per_process for k in r)
    return {k: max((r[k] for r in per_process if r.get(k) is not None), default=None) for k in keys}


def run_probe(quick: bool = False, use_cache: bool = True, host: HostInfo | None = None,
              processes: int | None = None) -> dict:
    """Measure (or return the cached measurement of) this host. Values in GFLOPS/GOPS and GB/s.

    The full probe takes the best of ``processes`` (default ``PROBE_PROCESSES``) fresh processes:
    on a small shared VM one process's rates depend on where its threads land and on what the
    neighbours do (up to 36% apart here), so a run needs several processes to reproduce itself;
    ``reports/ablations/probe_statistics.md`` shows how the spread falls with their number.
    """
    host = host or detect_host()
    if use_cache:
        c = cached_probe(host)
        if c and c.get("probe_version") == PROBE_VERSION:
            c["cached"] = True
            return c
    processes = (1 if quick else PROBE_PROCESSES) if processes is None else processes
    per_process = ([probe_rates(quick)] if processes <= 1
                   else [_child_rates(quick) for _ in range(processes)])
    rates = combine_processes(per_process)
    res = {
        "host": host.to_dict(),
        "when": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "probe_version": PROBE_VERSION,
        "gemm_n": 512 if quick else 1024,
        "processes": len(per_process),
        "gflops": {k: rates[k] for k in ("fp32", "fp64", "fp16", "int8")},
        "mem_bw_gbs": rates["copy"],
        "per_process": per_process,
        "numpy": np.__version__,
        "threads": host.logical_cpus,
    }
    try:
        import onnxruntime

        res["onnxruntime"] = onnxruntime.__version__
    except ImportError:  # pragma: no cover
        pass
    if not quick:
        write_text_atomically(cache_path(host), json.dumps(res, indent=2))
    res["cached"] = False
    return res


if __name__ == "__main__":   # child of run_probe: print one process's rates as one JSON line
    _quick = "--quick" in sys.argv[1:]
    if "--samples" in sys.argv[1:]:     # every round's rate (benchmarks/probe_statistics.py)
        print(json.dumps(interleaved_samples(probe_kernels(_quick), *probe_schedule(_quick))))
    else:
        print(json.dumps(probe_rates(quick=_quick)))
