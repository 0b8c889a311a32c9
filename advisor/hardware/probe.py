"""Short microbenchmarks of this host: achievable GEMM GFLOPS per precision and memory bandwidth.

fp32/fp64 GEMM through numpy's BLAS; fp16 (MatMul) and int8 (MatMulInteger) through tiny
onnxruntime graphs when the CPU provider supports them; bandwidth as a large-array copy
(bytes read + bytes written). Each figure is the best of several timed repeats after a warm-up
(the best is the least disturbed by other processes). Results are cached per host fingerprint
under ``~/.cache/advisor`` (``ADVISOR_CACHE`` overrides) so ``--hw local`` can use them.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import time
from pathlib import Path

import numpy as np

from advisor.hardware.host import HostInfo, detect_host


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


def _best_time(fn, min_time: float, repeats: int) -> float:
    fn()  # warm-up
    best = float("inf")
    for _ in range(repeats):
        n, t0 = 0, time.perf_counter()
        while True:
            fn()
            n += 1
            el = time.perf_counter() - t0
            if el >= min_time:
                break
        best = min(best, el / n)
    return best


def gemm_numpy(dtype: str, n: int = 1024, min_time: float = 0.2, repeats: int = 5) -> float:
    """Achieved GFLOPS of an n x n x n matmul in numpy (2 n^3 FLOPs)."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)).astype(dtype)
    b = rng.standard_normal((n, n)).astype(dtype)
    out = np.empty((n, n), dtype=dtype)
    t = _best_time(lambda: np.matmul(a, b, out=out), min_time, repeats)
    return 2 * n ** 3 / t / 1e9


def _ort_session(model, threads: int | None):
    import onnxruntime as ort

    so = ort.SessionOptions()
    if threads:
        so.intra_op_num_threads = threads
    so.log_severity_level = 3
    return ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])


def gemm_onnxruntime(precision: str, n: int = 1024, min_time: float = 0.2, repeats: int = 5,
                     threads: int | None = None) -> float | None:
    """Achieved GOPS of an n^3 MatMul (fp16) or MatMulInteger (int8) in onnxruntime; None if unsupported."""
    from onnx import TensorProto, helper

    if precision == "fp16":
        et, op, np_t = TensorProto.FLOAT16, "MatMul", np.float16
        a_t = b_t = et
        y_t = et
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
    if precision == "fp16":
        feeds = {"A": rng.standard_normal((n, n)).astype(np_t), "B": rng.standard_normal((n, n)).astype(np_t)}
    else:
        feeds = {"A": rng.integers(0, 255, (n, n), dtype=np.uint8),
                 "B": rng.integers(-127, 127, (n, n), dtype=np.int8)}
    try:
        sess = _ort_session(model, threads)
        sess.run(None, feeds)
    except Exception:  # noqa: BLE001 - kernel not implemented for this provider/ISA
        return None
    t = _best_time(lambda: sess.run(None, feeds), min_time, repeats)
    return 2 * n ** 3 / t / 1e9


def mem_bandwidth(mb: int = 256, min_time: float = 0.2, repeats: int = 5) -> float:
    """Achieved GB/s of a large array copy, counting bytes read + bytes written."""
    src = np.ones(mb * 2 ** 20 // 8, dtype=np.float64)
    dst = np.empty_like(src)
    t = _best_time(lambda: np.copyto(dst, src), min_time, repeats)
    return 2 * src.nbytes / t / 1e9


def run_probe(quick: bool = False, use_cache: bool = True, host: HostInfo | None = None) -> dict:
    """Measure (or return the cached measurement of) this host. Values in GFLOPS/GOPS and GB/s."""
    host = host or detect_host()
    if use_cache:
        c = cached_probe(host)
        if c:
            c["cached"] = True
            return c
    n = 512 if quick else 1024
    mt = 0.05 if quick else 0.3
    reps = 3 if quick else 9  # best of many: a shared VM's neighbours only ever slow a run down
    res = {
        "host": host.to_dict(),
        "when": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "gemm_n": n,
        "gflops": {
            "fp32": gemm_numpy("float32", n, mt, reps),
            "fp64": gemm_numpy("float64", n, mt, reps),
            "fp16": gemm_onnxruntime("fp16", n, mt, reps),
            "int8": gemm_onnxruntime("int8", n, mt, reps),
        },
        "mem_bw_gbs": mem_bandwidth(64 if quick else 256, mt, reps),
        "numpy": np.__version__,
        "threads": host.logical_cpus,
    }
    try:
        import onnxruntime

        res["onnxruntime"] = onnxruntime.__version__
    except ImportError:  # pragma: no cover
        pass
    if not quick:
        p = cache_path(host)
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_suffix(".tmp")
        tmp.write_text(json.dumps(res, indent=2))
        tmp.replace(p)
    res["cached"] = False
    return res
