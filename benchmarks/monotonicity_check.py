"""Does a faster device ever get a slower prediction? Scale a device's spec up and count.

Holding the graph, runtime, precision, batch and threads fixed, a device with every peak doubled
(or its memory bandwidth doubled, or both) cannot run the graph slower. This script predicts every
device in the bundled table, spec-only (the device renamed so no measured offset or calibration
applies), beside the same device with its spec scaled up, for a few zoo graphs, batch 1 and 32,
each precision the device has a peak for, and counts the configurations the scaled device is
predicted slower; and how often the learned efficiency alone would put batch 32 below batch 1
(what ``advisor.batch_floor`` then corrects). It writes ``reports/monotonicity.md``::

    python benchmarks/monotonicity_check.py [--models DIR] [--out reports/monotonicity.md]

About a minute on 2 cores.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ablation_common import model_report_args  # noqa: E402

from advisor.advise.bottleneck import scaled_hardware  # noqa: E402
from advisor.api import model_profile, score_profiles  # noqa: E402
from advisor.batch_floor import floor_at_batch_one  # noqa: E402
from advisor.hardware import load_table  # noqa: E402
from advisor.hardware.table import Hardware  # noqa: E402
from advisor.markdown import markdown_table  # noqa: E402
from advisor.precision import get_precision  # noqa: E402
from advisor.zoo.registry import build_recipe  # noqa: E402

GRAPHS = ("resnet50", "mobilenet_v2", "efficientnet_b0", "vit_base", "bert_base:seq_len=128",
          "gpt2:mode=decode")
BATCHES = (1, 32)
PRECISIONS = ("fp32", "fp16", "int8")
#: (name, peak factor, bandwidth factor)
SCALINGS = (("peaks x2", 2.0, 1.0), ("bandwidth x2", 1.0, 2.0), ("both x2", 2.0, 2.0))
#: a scaled prediction more than this much slower counts as a violation (float noise aside)
TOLERANCE = 1.01
#: a real device "clearly dominates" another of its kind at a precision when its peak and its
#: bandwidth are both at least the other's and their product at least this many times it
DOMINANCE = 1.5


def scaled(hw: Hardware, peak: float, bandwidth: float, tag: str) -> Hardware:
    """``hw`` under a fresh id (so only its spec speaks) with peaks and bandwidth multiplied
    (the advisor's what-if copy, ``scaled_hardware``, keeps the id so calibrations apply)."""
    return dataclasses.replace(scaled_hardware(hw, peak, bandwidth), id=f"{hw.id}~{tag}", aliases=())


def predictions(profiles: dict, graph: str, devices: list[Hardware], regressor,
                runtime: str, with_raw: bool = False):
    """Median latency per (device id, precision, batch) for one graph, as `advisor predict` gives
    it; with ``with_raw``, a pair (that, the same as the learned efficiency has it before
    ``advisor.batch_floor`` raises any batch to batch 1's), from one scoring pass."""
    rows = []
    for precision in PRECISIONS:
        chosen = [h for h in devices if precision in h.peaks]
        if chosen:
            rows += score_profiles(graph, profiles, chosen, BATCHES, [get_precision(precision)],
                                   None, runtime, regressor, batch_floor=False)

    def frame() -> pd.DataFrame:
        return pd.DataFrame([{"device": r.hw_id, "precision": r.precision, "batch": r.batch,
                              "latency_ms": r.latency_ms} for r in rows])

    raw = frame() if with_raw else None
    floor_at_batch_one(rows)        # BATCHES hold batch 1: what score_profiles' default does
    return (frame(), raw) if with_raw else frame()


def main(argv: list[str] | None = None) -> int:
    args, regressor, start = model_report_args(__doc__, str(ROOT / "reports/monotonicity.md"), argv)
    table = [h for h in load_table() if h.peaks and h.mem_bw_gbs]
    base = [scaled(h, 1.0, 1.0, "spec") for h in table]
    frames, batch_frames = [], []
    for graph in GRAPHS:
        profiles = {None: model_profile(build_recipe(graph), batch=1)}
        for runtime in ("onnxruntime", "tensorrt"):
            devices = base if runtime == "onnxruntime" else [h for h in base if h.kind.endswith("gpu")]
            ref, raw = predictions(profiles, graph, devices, regressor, runtime, with_raw=True)
            ref["id"] = ref.device.str.split("~").str[0]
            batch_frames.append(batch_ratios(raw, graph, runtime))
            for name, peak, bandwidth in SCALINGS:
                tag = name.replace(" ", "")
                up = predictions(profiles, graph, [scaled(h, peak, bandwidth, tag) for h in devices],
                                 regressor, runtime)
                up["id"] = up.device.str.split("~").str[0]
                both = ref.merge(up, on=["id", "precision", "batch"], suffixes=("", "_up"))
                both["ratio"] = both.latency_ms_up / both.latency_ms
                both["scaling"], both["graph"], both["runtime"] = name, graph, runtime
                frames.append(both)
        print(f"{graph} done ({time.time() - start:.0f} s)", flush=True)
    data = pd.concat(frames, ignore_index=True)
    kinds = {h.id: h.kind for h in table}
    data["kind"] = data["id"].map(kinds)
    pairs = dominated_pairs(table, data[data.scaling == SCALINGS[0][0]])
    batches = pd.concat(batch_frames, ignore_index=True)
    batches["kind"] = batches["device"].map(kinds)
    write_report(data, pairs, batches, args.out, time.time() - start, regressor)
    return 0


def batch_ratios(raw: pd.DataFrame, graph: str, runtime: str) -> pd.DataFrame:
    """Per (device, precision): batch 1's latency / the largest batch's, as the learned
    efficiency predicts them before the batch-1 floor (above 1: the larger batch faster)."""
    wide = raw.pivot_table(index=["device", "precision"], columns="batch", values="latency_ms")
    out = pd.DataFrame({"latency_ms": wide[BATCHES[0]], "latency_ms_up": wide[BATCHES[-1]]}).reset_index()
    out["ratio"] = out.latency_ms / out.latency_ms_up
    out["device"] = out.device.str.split("~").str[0]
    out["graph"], out["runtime"], out["scaling"] = graph, runtime, "batch"
    return out


def dominance(table: list[Hardware], precision: str) -> list[tuple[str, str]]:
    """(better, worse) device ids of one kind where the better one clearly dominates the worse
    one's spec at ``precision`` (``DOMINANCE``)."""
    rows = [h for h in table if precision in h.peaks]
    out = []
    for a in rows:
        for b in rows:
            if a.kind != b.kind or a.id == b.id:
                continue
            peak, bandwidth = a.peaks[precision] / b.peaks[precision], a.mem_bw_gbs / b.mem_bw_gbs
            if peak >= 1 and bandwidth >= 1 and peak * bandwidth >= DOMINANCE:
                out.append((a.id, b.id))
    return out


def dominated_pairs(table: list[Hardware], reference: pd.DataFrame) -> pd.DataFrame:
    """Every clearly dominating pair of real devices beside both devices' spec-only predictions."""
    frames = []
    for precision in PRECISIONS:
        pairs = pd.DataFrame(dominance(table, precision), columns=["better", "worse"])
        rows = reference[reference.precision == precision]
        keys = ["graph", "runtime", "batch"]
        merged = (pairs.merge(rows[keys + ["id", "latency_ms"]], left_on="better", right_on="id")
                  .drop(columns="id")
                  .merge(rows[keys + ["id", "latency_ms"]], left_on=["worse"] + keys,
                         right_on=["id"] + keys, suffixes=("_better", "_worse")).drop(columns="id"))
        merged["precision"] = precision
        frames.append(merged)
    pairs = pd.concat(frames, ignore_index=True)
    pairs["ratio"] = pairs.latency_ms_better / pairs.latency_ms_worse
    return pairs


def _summary(frame: pd.DataFrame) -> str:
    slower = frame.ratio > TOLERANCE
    return (f"{len(frame):,} | {100 * slower.mean():.1f}% | {100 * (frame.ratio > 1.1).mean():.1f}% "
            f"| {frame.ratio.median():.2f} | {frame.ratio.max():.2f}")


def _worst(frame: pd.DataFrame, n: int, columns: list[str], titles: list[str]) -> list[str]:
    """A markdown table of the ``n`` rows with the highest ratio: ``columns`` (titled), then it."""
    right = {"batch", "latency_ms", "latency_ms_up", "latency_ms_better", "latency_ms_worse"}
    rows = ([f"{r[c]:.3g}" if c.startswith("latency") else r[c] for c in columns] + [f"{r['ratio']:.2f}"]
            for _, r in frame.nlargest(n, "ratio").iterrows())
    aligned = [i for i, c in enumerate(columns) if c in right] + [len(columns)]
    return markdown_table(titles + ["ratio"], rows, aligned)


def write_report(data: pd.DataFrame, pairs: pd.DataFrame, batches: pd.DataFrame, out: str,
                 seconds: float, regressor) -> None:
    header = ["| group | configurations | slower by >1% | slower by >10% | median ratio | worst ratio |",
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
    lines = ["# Monotonicity: is a faster device ever predicted slower?", "",
             f"Generated by `benchmarks/monotonicity_check.py` on "
             f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC (host `{platform.node()}`, "
             f"{seconds:.0f} s), model trained on data digest "
             f"`{getattr(regressor, 'metadata_', {}).get('training_digest', '?')}`.", "",
             f"Every device of the bundled table with peaks and a bandwidth, spec-only, against the "
             f"same device with its spec scaled up; graphs {', '.join(GRAPHS)}; batch "
             f"{', '.join(map(str, BATCHES))}; each of {', '.join(PRECISIONS)} the device has a peak "
             f"for; runtimes onnxruntime (all devices) and tensorrt (GPUs). Ratio = scaled device's "
             f"predicted latency / the device's. A ratio above 1 is physically impossible.", "",
             "## By scaling", ""] + header
    for name, frame in data.groupby("scaling", sort=False):
        lines.append(f"| {name} | " + _summary(frame) + " |")
    lines += ["", "## Peaks x2, by runtime and precision", ""] + header
    peaks = data[data.scaling == "peaks x2"]
    for (runtime, precision), frame in peaks.groupby(["runtime", "precision"]):
        lines.append(f"| {runtime} {precision} | " + _summary(frame) + " |")
    lines += ["", "## Peaks x2, by device kind", ""] + header
    for kind, frame in peaks.groupby("kind"):
        lines.append(f"| {kind} | " + _summary(frame) + " |")
    lines += ["", "## Real devices: the clearly better device of a pair predicted slower", "",
              f"Pairs of real devices of one kind where one has at least the other's peak at the "
              f"precision and at least its bandwidth, and the two ratios multiply to at least "
              f"{DOMINANCE} (other spec fields, such as cache or cores, may differ, so a slower "
              f"prediction is not impossible, only suspect); both spec-only.", ""] + header
    pairs["scaling"] = "dominating pair"
    for (runtime, precision), frame in pairs.groupby(["runtime", "precision"]):
        lines.append(f"| {runtime} {precision} | " + _summary(frame) + " |")
    lines.append("| all | " + _summary(pairs) + " |")
    lines += ["", "Worst pairs:", ""] + _worst(
        pairs, 10, ["better", "worse", "runtime", "precision", "batch", "graph", "latency_ms_better",
                    "latency_ms_worse"], ["better", "worse", "runtime", "precision", "batch", "graph",
                                          "better ms", "worse ms"])
    lines += ["", f"## Batch {BATCHES[-1]} predicted faster than batch {BATCHES[0]} on one device", "",
              f"The same devices (spec-only), as the learned efficiency predicts them before "
              f"`advisor.batch_floor` raises any batch to batch 1's latency (which every prediction "
              f"then gets). Ratio = batch {BATCHES[0]}'s latency / batch {BATCHES[-1]}'s; above 1, "
              f"a batch of {BATCHES[-1]} is predicted to finish sooner than one input, which cannot "
              f"happen.", ""] + header
    for (runtime, precision), frame in batches.groupby(["runtime", "precision"]):
        lines.append(f"| {runtime} {precision} | " + _summary(frame) + " |")
    lines.append("| all | " + _summary(batches) + " |")
    lines += ["", "Worst:", ""] + _worst(
        batches, 10, ["device", "runtime", "precision", "graph", "latency_ms", "latency_ms_up"],
        ["device", "runtime", "precision", "graph", f"batch {BATCHES[0]} ms", f"batch {BATCHES[-1]} ms"])
    lines += ["", "## Worst configurations (any scaling)", ""] + _worst(
        data, 15, ["id", "runtime", "precision", "batch", "graph", "scaling", "latency_ms", "latency_ms_up"],
        ["device", "runtime", "precision", "batch", "graph", "scaling", "ms", "scaled ms"])
    Path(out).write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:20]))


if __name__ == "__main__":
    sys.exit(main())
