"""Run `advisor hw probe` twice in separate processes and write reports/hw_probe.md.

The report compares the two runs (they should agree within 10%) and sets them next to the
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
    ap.add_argument("--out", default=str(ROOT / "reports" / "hw_probe.md"))
    args = ap.parse_args()

    host = detect_host()
    with tempfile.TemporaryDirectory() as cache:
        runs = [one_run(args.quick, cache) for _ in range(2)]
    local = local_hardware(host)
    row = None
    try:
        row = get_hardware(args.table_id or host.model)
    except InputError as exc:
        row_note = f"no table row for {host.model!r} ({exc}); pass --table-id"
    else:
        row_note = f"table row `{row.id}` ({row.name}), per-core peak x {host.physical_cores} cores"

    lines = [
        "# `advisor hw probe` on this host: two runs vs datasheet", "",
        f"Host: {host.model}, {host.physical_cores} cores / {host.logical_cpus} logical, "
        f"ISA {' '.join(host.isa) or '-'}, {host.mem_gb or 0:.1f} GB; fingerprint `{host.fingerprint}`.",
        f"Runs: {runs[0]['when']} and {runs[1]['when']}, separate processes, GEMM n={runs[0]['gemm_n']}, "
        f"numpy {runs[0].get('numpy')}, onnxruntime {runs[0].get('onnxruntime')}.",
        f"Formula peak: {local.source}.", f"Datasheet comparison: {row_note}.", "",
        "| metric | run 1 | run 2 | run2/run1 - 1 | formula peak | table peak | run 1 / table |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    worst = 0.0
    for p in ("fp32", "fp64", "fp16", "int8"):
        a, b = runs[0]["gflops"].get(p), runs[1]["gflops"].get(p)
        d = (b / a - 1) if a and b else None
        if d is not None:
            worst = max(worst, abs(d))
        f = local.peaks.get(p)
        t = row.peak_tflops(p) if row and p != "fp64" else None
        if t and row.compute_units:
            t = t / row.compute_units * host.physical_cores
        lines.append(f"| GEMM {p} GFLOPS | {fmt(a)} | {fmt(b)} | {'-' if d is None else f'{d:+.1%}'} | "
                     f"{fmt(f * 1000 if f else None)} | {fmt(t * 1000 if t else None)} | "
                     f"{'-' if not (a and t) else f'{a / (t * 1000):.2f}'} |")
    a, b = runs[0]["mem_bw_gbs"], runs[1]["mem_bw_gbs"]
    worst = max(worst, abs(b / a - 1))
    tb = row.mem_bw_gbs if row else None
    lines.append(f"| copy bandwidth GB/s | {fmt(a)} | {fmt(b)} | {b / a - 1:+.1%} | - | {fmt(tb)} (whole socket) | "
                 f"{'-' if not tb else f'{a / tb:.2f}'} |")
    lines += ["", f"Largest run-to-run difference: {worst:.1%} "
              f"({'within' if worst <= 0.10 else 'OUTSIDE'} the 10% agreement target).", "",
              "fp16 and int8 go through onnxruntime MatMul / MatMulInteger graphs; '-' means the CPU provider has no "
              "kernel for that type. Bandwidth counts bytes read plus bytes written by a large array copy."]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
