"""Run `advisor hw probe` several times in separate processes and write reports/hw_probe.md.

The report compares the runs (two runs should agree within 10%) and sets them next to the
formula peak for this host (detected cores x clock x per-core rate) and, when given or
recognised, the table row of this host's CPU (per-core datasheet/formula peak scaled to the cores
this host has). Run it on an idle machine:

    python benchmarks/hw_probe_report.py [--table-id epyc-7b13] [--quick] [--out reports/hw_probe.md]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.atomic import write_text_atomically  # noqa: E402
from advisor.errors import InputError  # noqa: E402
from advisor.hardware import get_hardware  # noqa: E402
from advisor.hardware.host import detect_host, local_hardware  # noqa: E402

RUN = ("import json,sys; from advisor.hardware.probe import run_probe; "
       "print(json.dumps(run_probe(quick={quick}, use_cache=False)))")


def one_run(quick: bool, cache: str) -> dict:
    env = {**__import__("os").environ, "ADVISOR_CACHE": cache}
    out = subprocess.run([sys.executable, "-c", RUN.format(quick=quick)], capture_output=True, text=True,
                         check=True, cwd=ROOT, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def fmt(v) -> str:
    return "-" if v is None else f"{v:,.1f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--table-id", default=None, help="table row of this host's CPU (default: try the model name)")
    ap.add_argument("--quick", action="store_true", help="small sizes, for testing the script")
    ap.add_argument("--runs", type=int, default=4, help="probe runs (at least 2)")
    ap.add_argument("--out", default=str(ROOT / "reports" / "hw_probe.md"))
    args = ap.parse_args()

    host = detect_host()
    with tempfile.TemporaryDirectory() as cache:
        runs = [one_run(args.quick, cache) for _ in range(args.runs)]
    local = local_hardware(host)
    row = None
    try:
        row = get_hardware(args.table_id or host.model)
    except InputError as exc:
        row_note = f"no table row for {host.model!r} ({exc}); pass --table-id"
    else:
        row_note = f"table row `{row.id}` ({row.name}), per-core peak x {host.physical_cores} cores"

    metrics = [("fp32", "GEMM fp32 GFLOPS"), ("fp64", "GEMM fp64 GFLOPS"), ("fp16", "GEMM fp16 GFLOPS"),
               ("int8", "GEMM int8 GFLOPS"), ("copy", "copy bandwidth GB/s")]

    def value(run: dict, key: str):
        return run["mem_bw_gbs"] if key == "copy" else run["gflops"].get(key)

    def spread(vals: list) -> float | None:
        vals = [v for v in vals if v]
        return max(vals) / min(vals) - 1 if len(vals) > 1 else None

    def pct(v) -> str:
        return "-" if v is None else f"{v:.1%}"

    n = len(runs)
    lines = [
        "# `advisor hw probe` on this host: repeated runs vs datasheet", "",
        f"Host: {host.model}, {host.physical_cores} cores / {host.logical_cpus} logical, "
        f"ISA {' '.join(host.isa) or '-'}, {host.mem_gb or 0:.1f} GB; fingerprint `{host.fingerprint}`.",
        f"{n} runs from {runs[0]['when']} to {runs[-1]['when']}, each one `advisor hw probe` (the best of "
        f"{runs[0].get('processes', 1)} fresh processes x interleaved rounds), GEMM n={runs[0]['gemm_n']}, "
        f"numpy {runs[0].get('numpy')}, onnxruntime {runs[0].get('onnxruntime')}.",
        f"Formula peak: {local.source}.", f"Datasheet comparison: {row_note}.", "",
        "| metric | " + " | ".join(f"run {i + 1}" for i in range(n))
        + " | run 2 / run 1 - 1 | max / min - 1 over all runs | formula peak | table peak | run 1 / table |",
        "| --- |" + " ---: |" * (n + 5),
    ]
    worst_pair = worst_all = 0.0
    for key, label in metrics:
        vals = [value(r, key) for r in runs]
        d = vals[1] / vals[0] - 1 if vals[0] and vals[1] else None
        sp = spread(vals)
        worst_pair = max(worst_pair, abs(d or 0))
        worst_all = max(worst_all, sp or 0)
        f = local.peaks.get(key) if key not in ("fp64", "copy") else None
        if key == "copy":
            t = row.mem_bw_gbs if row else None
            t_txt = f"{fmt(t)} (whole socket)" if t else "-"
        else:
            t = row.peak_tflops(key) if row and key != "fp64" else None
            if t and row.compute_units:
                t = t / row.compute_units * host.physical_cores
            t = t * 1000 if t else None
            t_txt = fmt(t)
        lines.append(f"| {label} | " + " | ".join(fmt(v) for v in vals)
                     + f" | {'-' if d is None else f'{d:+.1%}'} | {pct(sp)} | {fmt(f * 1000 if f else None)} | "
                     f"{t_txt} | {'-' if not (vals[0] and t) else f'{vals[0] / t:.2f}'} |")
    lines += ["", f"Runs 1 and 2 differ by at most {worst_pair:.1%}; over all {n} runs the largest max/min "
              f"spread is {worst_all:.1%} (target: two runs within 10%; "
              f"{'met' if worst_all <= 0.10 else 'met by runs 1-2 only' if worst_pair <= 0.10 else 'not met'}).", "",
              "fp16 and int8 go through onnxruntime MatMul / MatMulInteger graphs; '-' means the CPU provider has no "
              "kernel for that type. Bandwidth counts bytes read plus bytes written by a large array copy.", "",
              "Why several processes per run: one process's multi-threaded rate depends on where its threads and "
              "pages land, so single processes disagree by more than the target. Spread over the runs of three "
              "ways to summarise the same per-process figures:", "",
              "| metric | one process per run | median of processes | best of processes (used) |",
              "| --- | ---: | ---: | ---: |"]
    import statistics
    for key, label in metrics:
        first = [r["per_process"][0].get(key) for r in runs if r.get("per_process")]
        med = [statistics.median([pp[key] for pp in r["per_process"] if pp.get(key)])
               if any(pp.get(key) for pp in r.get("per_process", [])) else None for r in runs]
        lines.append(f"| {label} | {pct(spread(first))} | {pct(spread(med))} | "
                     f"{pct(spread([value(r, key) for r in runs]))} |")
    lines += ["", "How the spread falls with the number of processes per run, from 24 back-to-back processes: "
              "`reports/ablations/probe_statistics.md` (`benchmarks/probe_statistics.py`)."]
    out = Path(args.out)
    write_text_atomically(out, "\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
