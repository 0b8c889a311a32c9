"""Validate the advisor against measured decisions: would it have picked the option that won?

A case is one network on one device ("today") with two measured alternatives, and the question
the advisor answers: which alternative is faster, and by how much.

- ncnn (CPU, batch 1): today = device A in fp32; quantize = the same network's int8 variant on A
  (same threads); upgrade = fp32 on device B. Each device at its all-cores setting (powersave 0,
  most threads measured). Predicted: ``advise(fp32 graph, A, candidates=[B...])``, its
  "int8 on A" and "upgrade to B" options.
- HELP (GPUs, PyTorch, fp32 only, same batch): today = GPU A; the alternatives are two other GPUs
  B and C (which upgrade?). Precision changes were not measured there.
- ours (onnxruntime on our measurement host, data/measurements/*.csv when present): today = fp32
  at t threads; alternatives = int8 at t threads and fp32 at 2t threads.

For every option of every case: measured speedup (today / option) against the advisor's predicted
speedup; the error is |predicted / measured - 1|. Targets: the measured winner picked in >= 90%
of cases; median speedup-ratio error <= 15%.

    python benchmarks/advise_validation.py                       # full run, writes the report
    python benchmarks/advise_validation.py --networks 2 --devices 6 --out /tmp/v.md   # smoke test

The public table comes from ``advisor data import --out /tmp/public.csv.gz`` (made here when
missing). Predictions use the trained model in ``models/`` when installed (``--models`` to
choose another directory; an empty one gives roofline-only predictions).
"""

from __future__ import annotations

import argparse
import glob
import itertools
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.advise import advise  # noqa: E402
from advisor.api import load_regressor  # noqa: E402
from advisor.errors import AdvisorError  # noqa: E402
from advisor.hardware import get_hardware  # noqa: E402

HELP_GPUS = ("gtx-1080-ti", "rtx-2080-ti", "titan-rtx", "titan-x-pascal", "titan-xp", "v100-sxm2-16gb")


def load_public(path: Path) -> pd.DataFrame:
    if not path.exists():
        from advisor.dataset.build import import_public
        from advisor.paths import public_data_dir
        print(f"importing the public table to {path} ...", file=sys.stderr)
        import_public(public_data_dir(), path)
    return pd.read_csv(path, low_memory=False)


def _speedups(advice, quant_precision: str | None, upgrade_ids) -> dict:
    out = {}
    for o in advice.options:
        if quant_precision and o.kind == "precision" and o.precision == quant_precision:
            out["quant"] = o.speedup
        if o.kind == "upgrade" and o.hw_id in upgrade_ids and o.speedup == o.speedup:
            out[o.hw_id] = o.speedup
        if o.kind == "threads":
            out[f"threads={o.threads}"] = o.speedup
    return out


def ncnn_cases(table: pd.DataFrame, networks: int | None, devices: int | None, rng, models) -> list[dict]:
    """int8-vs-upgrade decisions from the ncnn benchmark (CPU rows)."""
    from advisor.dataset.graphs import graph_for
    cpu = table[(table.source == "ncnn") & (table.runtime == "ncnn") & (table.powersave.fillna(0) == 0)]
    cpu = cpu.assign(base=cpu.graph.str.replace("_int8", "", regex=False))
    # each device at its most-threads setting
    best_threads = cpu.groupby("hw_id").threads.max()
    cpu = cpu[cpu.threads == cpu.hw_id.map(best_threads)]
    lat = cpu.groupby(["base", "hw_id", "precision"]).latency_ms.median()
    nets = sorted(b for b in cpu.base.unique() if (b + "_int8") in set(cpu.graph))
    if networks:
        nets = nets[:networks]
    cases = []
    for net in nets:
        fp32 = lat.loc[net].xs("fp32", level="precision") if (net in lat.index.get_level_values(0)) else None
        if fp32 is None:
            continue
        int8 = lat.loc[net]
        have_int8 = [h for h in fp32.index if (h, "int8") in int8.index]
        if devices:
            have_int8 = sorted(rng.sample(have_int8, min(devices, len(have_int8))))
        others = list(fp32.index) if not devices else sorted(rng.sample(list(fp32.index), min(devices, len(fp32))))
        model = graph_for(net)
        for a in have_int8:
            cands = [b for b in others if b != a]
            if not cands:
                continue
            threads = int(best_threads[a])
            try:
                adv = advise(model, a, threads=threads, runtime="ncnn", candidates=cands, prune=(),
                             combine=False, sweep=False, models=models)
            except AdvisorError as exc:
                print(f"skip {net} on {a}: {exc}", file=sys.stderr)
                continue
            pred = _speedups(adv, "int8", set(cands))
            m_quant = fp32[a] / int8[(a, "int8")]
            for b in cands:
                if "quant" not in pred or b not in pred:
                    continue
                cases.append({"source": "ncnn", "network": net, "today": f"{a} fp32 ({threads}t)",
                              "option_a": f"int8 on {a}", "option_b": f"upgrade to {b}",
                              "measured_a": m_quant, "measured_b": fp32[a] / fp32[b],
                              "predicted_a": pred["quant"], "predicted_b": pred[b],
                              "basis": adv.today.basis})
    return cases


def help_cases(table: pd.DataFrame, networks: int | None, rng, models) -> list[dict]:
    """Which-GPU decisions from HELP (same network, same batch, fp32, PyTorch)."""
    from advisor.dataset.graphs import graph_for
    gpu = table[(table.source == "help") & table.hw_id.isin(HELP_GPUS)]
    cases = []
    per_space = networks or 10
    for space in ("nasbench201", "fbnet", "ofa"):
        sub = gpu[gpu.graph.str.startswith(space + ":")]
        if sub.empty:
            continue
        graphs = sorted(sub.graph.unique())
        for graph in rng.sample(graphs, min(per_space, len(graphs))):
            rows = sub[sub.graph == graph]
            model = graph_for(graph)
            for batch, grp in rows.groupby("batch"):
                lat = grp.groupby("hw_id").latency_ms.median()
                for a in lat.index:
                    cands = [h for h in lat.index if h != a]
                    if len(cands) < 2:
                        continue
                    try:
                        adv = advise(model, a, batch=int(batch), runtime="pytorch", candidates=cands,
                                     prune=(), combine=False, sweep=False, models=models)
                    except AdvisorError as exc:
                        print(f"skip {graph} on {a}: {exc}", file=sys.stderr)
                        continue
                    pred = _speedups(adv, None, set(cands))
                    for b, c in itertools.combinations(cands, 2):
                        if b in pred and c in pred:
                            cases.append({"source": "help", "network": f"{space} ({graph[:40]}...)",
                                          "today": f"{a} batch {batch}", "option_a": f"upgrade to {b}",
                                          "option_b": f"upgrade to {c}",
                                          "measured_a": lat[a] / lat[b], "measured_b": lat[a] / lat[c],
                                          "predicted_a": pred[b], "predicted_b": pred[c],
                                          "basis": adv.today.basis})
    return cases


def our_cases(paths: list[str], models) -> list[dict]:
    """int8 vs more threads on our own host (needs fp32 at t and 2t threads and int8 at t)."""
    if not paths:
        return []
    from advisor.dataset.graphs import graph_for
    from advisor.training import load_measurements, training_hardware
    rows = load_measurements(paths)
    cases = []
    for (graph, hw_id, batch), grp in rows.groupby(["graph", "hw_id", "batch"]):
        lat = grp.groupby(["precision", "threads"]).latency_ms.median()
        hw = training_hardware(hw_id)
        model = None
        for quant in ("int8", "int8-dynamic"):
            for t in sorted({t for p, t in lat.index if p == "fp32"}):
                if ("fp32", 2 * t) not in lat.index or (quant, t) not in lat.index:
                    continue
                model = model or graph_for(graph)
                adv = advise(model, hw, batch=int(batch), threads=int(t), candidates=(), prune=(),
                             sweep=False, models=models)
                pred = _speedups(adv, quant, set())
                key = f"threads={2 * t}"
                if "quant" in pred and key in pred:
                    base = lat[("fp32", t)]
                    cases.append({"source": "ours", "network": graph, "today": f"host fp32 {t}t",
                                  "option_a": f"{quant} at {t}t", "option_b": f"fp32 at {2 * t}t",
                                  "measured_a": base / lat[(quant, t)], "measured_b": base / lat[("fp32", 2 * t)],
                                  "predicted_a": pred["quant"], "predicted_b": pred[key],
                                  "basis": adv.today.basis})
    return cases


def summarise(cases: pd.DataFrame) -> pd.DataFrame:
    cases = cases.copy()
    cases["winner_measured"] = np.where(cases.measured_a >= cases.measured_b, "a", "b")
    cases["winner_predicted"] = np.where(cases.predicted_a >= cases.predicted_b, "a", "b")
    cases["picked"] = cases.winner_measured == cases.winner_predicted
    cases["error_a"] = (cases.predicted_a / cases.measured_a - 1).abs()
    cases["error_b"] = (cases.predicted_b / cases.measured_b - 1).abs()
    return cases


def _row(name: str, sub: pd.DataFrame) -> str:
    errors = pd.concat([sub.error_a, sub.error_b])
    close = (sub[["measured_a", "measured_b"]].max(axis=1) / sub[["measured_a", "measured_b"]].min(axis=1)) < 1.1
    return (f"| {name} | {len(sub)} | {sub.picked.mean():.0%} | {sub[~close].picked.mean() if (~close).any() else float('nan'):.0%} "
            f"| {errors.median():.0%} | {errors.quantile(0.9):.0%} |")


def write_report(cases: pd.DataFrame, out: Path, seconds: float, args, basis: str) -> None:
    lines = ["# Advisor validation: predicted vs measured decisions", "",
             f"Generated by `benchmarks/advise_validation.py` ({' '.join(sys.argv[1:]) or 'full run'}) in "
             f"{seconds:.0f} s. Prediction basis: {basis}.", "",
             "These measurements are also training rows of the installed model (in-sample): this "
             "checks the advisor's decisions given the predictor, not the predictor on unseen data; "
             "held-out accuracy is in `reports/evaluation.md`.", ""]
    if args.networks or args.devices:
        lines += ["**Subset run** (smoke test of the script): networks and devices were sampled; "
                  "the full run is `python benchmarks/advise_validation.py` with the trained model "
                  "installed.", ""]
    lines += [
             "Each case: one network on one device today, two measured alternatives (ncnn: int8 on the "
             "same CPU vs fp32 on another device; HELP: one GPU vs another at the same batch; ours: "
             "int8 vs twice the threads). *Picked* = the advisor's faster option is the measured faster "
             "one. Error = |predicted speedup / measured speedup - 1| over both options of every case. "
             "*Picked (clear)* leaves out cases whose measured options are within 10% of each other.",
             "", "Targets: winner picked in >= 90% of cases; median speedup-ratio error <= 15%.", ""]
    if cases.empty:
        lines.append("No cases found (is the public table present?).")
        out.write_text("\n".join(lines) + "\n")
        return
    lines += ["| source | cases | picked | picked (clear) | median error | p90 error |",
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for src, sub in cases.groupby("source"):
        lines.append(_row(src, sub))
    lines.append(_row("**all**", cases))
    errors = pd.concat([cases.error_a, cases.error_b])
    met_pick, met_err = cases.picked.mean() >= 0.9, errors.median() <= 0.15
    lines += ["", f"Winner target {'met' if met_pick else 'NOT met'} ({cases.picked.mean():.1%}); "
              f"error target {'met' if met_err else 'NOT met'} (median {errors.median():.1%}).", ""]
    lines += ["## By network", "", "| source | network | cases | picked | median error |",
              "| --- | --- | ---: | ---: | ---: |"]
    for (src, net), sub in cases.groupby(["source", "network"]):
        e = pd.concat([sub.error_a, sub.error_b]).median()
        lines.append(f"| {src} | {net} | {len(sub)} | {sub.picked.mean():.0%} | {e:.0%} |")
    lines += ["", "## Worst cases (largest error)", "",
              "| source | network | today | option a | measured | predicted | option b | measured | predicted | picked |",
              "| --- | --- | --- | --- | ---: | ---: | --- | ---: | ---: | --- |"]
    worst = cases.assign(err=cases[["error_a", "error_b"]].max(axis=1)).nlargest(15, "err")
    for r in worst.itertuples():
        lines.append(f"| {r.source} | {r.network} | {r.today} | {r.option_a} | {r.measured_a:.2f}x | "
                     f"{r.predicted_a:.2f}x | {r.option_b} | {r.measured_b:.2f}x | {r.predicted_b:.2f}x | "
                     f"{'yes' if r.picked else 'no'} |")
    lines += ["", "MLPerf: not used (no network is measured in both a precision change and a hardware "
              "change on comparable single-accelerator systems in the imported table)."]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--public", default="/tmp/public.csv.gz", help="imported public table")
    ap.add_argument("--measurements", default=str(ROOT / "data" / "measurements" / "*.csv"))
    ap.add_argument("--networks", type=int, default=None, help="at most this many networks per source")
    ap.add_argument("--devices", type=int, default=None, help="ncnn: sample this many devices")
    ap.add_argument("--sources", default="ncnn,help,ours")
    ap.add_argument("--models", default=None, help="trained-model directory (default: models/)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(ROOT / "reports" / "advise_validation.md"))
    ap.add_argument("--csv", default=None, help="also write every case to this CSV")
    args = ap.parse_args(argv)
    start = time.time()
    rng = random.Random(args.seed)
    sources = set(args.sources.split(","))
    table = load_public(Path(args.public)) if sources & {"ncnn", "help"} else pd.DataFrame()
    cases: list[dict] = []
    if "ncnn" in sources:
        cases += ncnn_cases(table, args.networks, args.devices, rng, args.models)
    if "help" in sources:
        cases += help_cases(table, args.networks, rng, args.models)
    if "ours" in sources:
        cases += our_cases(sorted(glob.glob(args.measurements)), args.models)
    frame = summarise(pd.DataFrame(cases)) if cases else pd.DataFrame()
    basis = "trained efficiency model" if load_regressor(args.models) is not None else \
        "roofline only (no trained model installed)"
    write_report(frame, Path(args.out), time.time() - start, args, basis)
    if args.csv and not frame.empty:
        frame.to_csv(args.csv, index=False)
    if not frame.empty:
        errors = pd.concat([frame.error_a, frame.error_b])
        print(f"{len(frame)} cases; winner picked {frame.picked.mean():.1%}; median error "
              f"{errors.median():.1%}; {time.time() - start:.0f} s -> {args.out}")
    else:
        print(f"no cases -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
