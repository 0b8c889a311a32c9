"""The measurement campaign behind ``data/measurements/`` (issue 4's dataset target).

Every zoo family, batch 1 to 64, threads 1 and 2, fp32 / int8 dynamic / int8 static, and several
sequence lengths for sequence models (decoders also in one-token decode mode with a KV cache).
The job list is ordered **breadth first** so that a campaign interrupted at any point still covers
every family: tier by tier (cheap, most informative settings first), and inside a tier the models
are interleaved round-robin across families. Configurations whose estimated work per run exceeds
``--max-gflop`` (from ``advisor.graph.analyze`` of a graph-only build) are left out, so that one
huge VGG at batch 64 cannot eat the budget.

Rows go to the SQLite store (resumable: rerun the same command to continue; kill it any time) and,
with ``--export``, to a CSV under ``data/measurements/``. Run it on an idle machine::

    python benchmarks/measure_campaign.py --dry-run                 # what would run
    python benchmarks/measure_campaign.py --budget-minutes 600 \\
        --export data/measurements/<host>.csv
    python benchmarks/measure_campaign.py --tiers core --tag repeat-2025-06-02 \\
        --export data/measurements/<host>-repeat.csv                # noise: repeat a subset
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path
from collections import Counter, defaultdict
from dataclasses import dataclass

from advisor.errors import AdvisorError
from advisor.measure import RunOptions, Store, TimingSettings, run_jobs
from advisor.zoo.registry import with_options
from advisor.measure.runner import (MAX_PARAMS_TO_MATERIALIZE, Job, _zoo,
                                    _zoo_entries, build_zoo_model)
from advisor.cli.measure_cmd import default_db

QUANT = ["int8-dynamic", "int8-static"]
ALL3 = ["fp32"] + QUANT


@dataclass(frozen=True)
class Tier:
    """One breadth-first pass over every model."""

    name: str
    batches: tuple[int, ...]
    threads: tuple[int, ...]
    precisions: tuple[str, ...]
    seq_lens: tuple[int, ...]          # for sequence models only
    decode_past: tuple[int, ...] = ()  # decoders: one-token decode with this many cached tokens
    models: str = "zoo"                # "zoo": every zoo model; "wide": new graphs (wide_models)


TIERS = [
    Tier("core", (1,), (1, 2), ("fp32",), (128,), (128,)),
    Tier("quant", (1,), (1, 2), tuple(QUANT), (128,), (128,)),
    Tier("batch-small", (2, 4, 8), (1, 2), tuple(ALL3), (128,), (512,)),
    # a 1023-token cache: the last decode step GPT-2's 1024 positions allow (1024 + 1 failed to build)
    Tier("seq", (1, 4), (1, 2), tuple(ALL3), (16, 32, 64, 256, 512), (32, 1023)),
    Tier("batch-large", (16, 32, 64), (1, 2), tuple(ALL3), (128,), (128,)),
    Tier("batch-odd", (3, 6, 12, 24, 48), (1, 2), ("fp32",), (64,), ()),
    # new graphs rather than new settings: more random-family seeds, and the NAS architectures of
    # the public HELP files, which other devices measured (cross-device pairs for the same graph)
    Tier("wide", (1, 8), (1, 2), tuple(ALL3), (64,), (), models="wide"),
]
HELP_FILES = {"nasbench201": "nasbench201_latency.csv", "fbnet": "fbnet_latency.csv",
              "ofa": "ofa_latency.csv"}
DECODER_HINTS = ("gpt", "llama", "decoder")
RANDOM_PREFIX = "random_"


def _is_sequence_model(recipe: str) -> bool:
    """True when the model reads integer token ids (so sequence length matters)."""
    try:
        model, _ = build_zoo_model(with_options(recipe, {"graph_only": 1}), 1, None)
    except AdvisorError:
        return False
    init = {t.name for t in model.graph.initializer}
    return any(vi.type.tensor_type.elem_type in (6, 7) and vi.name not in init
               for vi in model.graph.input)


_COST: dict[tuple, tuple[float, int] | None] = {}


def cost_at_batch1(recipe: str, seq_len: int | None) -> tuple[float, int] | None:
    """(GFLOPs of one batch-1 run, parameter count) from a graph-only build; None if unknown."""
    key = (recipe, seq_len)
    if key not in _COST:
        try:
            from advisor.graph import analyze
            model, _ = build_zoo_model(with_options(recipe, {"graph_only": 1}), 1, seq_len)
            g = analyze(model)
            _COST[key] = (g.total_flops / 1e9, int(g.params))
        except Exception:  # noqa: BLE001 - no estimate means no cap, never a crash
            _COST[key] = None
    return _COST[key]


def gflop_per_run(recipe: str, batch: int, seq_len: int | None) -> float | None:
    """Estimated GFLOPs of one run at ``batch`` (linear in batch); None if unknown."""
    c = cost_at_batch1(recipe, seq_len)
    return None if c is None else c[0] * batch


def too_big_to_time(recipe: str) -> bool:
    """True for configs the runner keeps graph-only (no weights, so they cannot be timed)."""
    c = cost_at_batch1(recipe, None)
    return c is not None and c[1] > MAX_PARAMS_TO_MATERIALIZE


def help_architectures(space: str, count: int, public_dir: Path | None = None) -> list[str]:
    """``count`` zoo recipes of ``space``'s HELP architectures, evenly spaced through its file
    (disconnected NAS-Bench-201 cells left out); empty when the public data is absent."""
    import pandas as pd

    from advisor.dataset.importers.help import graph_strings
    from advisor.paths import public_data_dir

    path = (public_dir or public_data_dir()) / "help" / HELP_FILES[space]
    if count <= 0 or not path.exists():
        return []
    raw = pd.read_csv(path)
    archs = raw["arch_str" if "arch_str" in raw.columns else "arch"].astype(str)
    graphs, connected = graph_strings(space, archs)
    usable = graphs[graphs.notna() & connected.astype(bool)].drop_duplicates()
    step = max(1, len(usable) // count)
    return list(usable.iloc[::step][:count])


def wide_models(random_seeds: int, wide_seeds: int, help_archs: int,
                public_dir: Path | None = None) -> list[tuple[str, str]]:
    """(recipe, family) of the "wide" tier: random-family seeds after the first ``random_seeds``,
    and ``help_archs`` HELP architectures per NAS space."""
    out = [(f"{name}:seed={s}", fam) for name, fam in _zoo_entries() if name.startswith(RANDOM_PREFIX)
           for s in range(random_seeds, random_seeds + wide_seeds)]
    for space in HELP_FILES:
        out += [(r, space) for r in help_architectures(space, help_archs, public_dir)]
    return out


def round_robin(entries: list[tuple[str, str]]) -> tuple[list[str], dict[str, str]]:
    """Models ordered first of every family, then second of every family, ...; and their family."""
    by_family: dict[str, list[str]] = defaultdict(list)
    for name, fam in entries:
        by_family[fam].append(name)
    order = [m for group in itertools.zip_longest(*by_family.values()) for m in group if m]
    return order, {n: f for f, names in by_family.items() for n in names}


def plan(tiers=TIERS, families: set[str] | None = None, max_gflop: float = 400.0,
         models: list[tuple[str, str]] | None = None, random_seeds: int = 8,
         wide: list[tuple[str, str]] | None = None) -> list[Job]:
    """The ordered job list: tiers in order, models round-robin across families inside each.
    ``wide`` lists the models of tiers whose ``models`` is "wide"."""
    entries = models if models is not None else _zoo_entries()
    picked: list[tuple[str, str]] = []
    for name, fam in entries:
        if families is not None and fam not in families:
            continue
        if name.startswith(RANDOM_PREFIX):     # random families: several seeds for coverage
            picked += [(f"{name}:seed={s}", fam) for s in range(random_seeds)]
        elif not too_big_to_time(name):
            picked.append((name, fam))
    order, family_of = round_robin(picked)
    wide_order, wide_family = round_robin([(n, f) for n, f in (wide or [])
                                           if families is None or f in families])
    family_of.update(wide_family)
    seq_model = {m: _is_sequence_model(m) for m in order + wide_order}
    jobs: list[Job] = []
    for tier in tiers:
        for m in (wide_order if tier.models == "wide" else order):
            fam = family_of[m]
            configs: list[tuple[str, int | None]] = []
            if seq_model[m]:
                configs += [(m, s) for s in tier.seq_lens]
                if any(h in m.lower() for h in DECODER_HINTS):
                    configs += [(with_options(m, {"mode": "decode", "past_len": p}), 1)
                                for p in tier.decode_past]
            else:
                configs.append((m, None))
            for recipe, seq in configs:
                for b in tier.batches:
                    g = gflop_per_run(recipe, b, seq)
                    if g is not None and g > max_gflop:
                        continue
                    jobs += [Job(recipe, "zoo", b, seq, t, p, fam)
                             for p in tier.precisions for t in tier.threads]
    # a later tier may repeat an earlier job (e.g. non-sequence models in the "seq" tier)
    return list(dict.fromkeys(jobs))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tiers", default=",".join(t.name for t in TIERS),
                    help="comma list of tiers to run, in this order")
    ap.add_argument("--families", default=None, help="comma list of families (default: all)")
    ap.add_argument("--max-gflop", type=float, default=400.0, help="skip runs estimated above this")
    ap.add_argument("--random-seeds", type=int, default=8,
                    help="seeds (networks) per random family")
    ap.add_argument("--wide-seeds", type=int, default=16,
                    help="wide tier: further seeds per random family")
    ap.add_argument("--help-archs", type=int, default=12,
                    help="wide tier: HELP architectures per NAS space (from ../shared/data/public)")
    ap.add_argument("--processes", type=int, default=3)
    ap.add_argument("--seconds-per-process", type=float, default=3.0)
    ap.add_argument("--budget-minutes", type=float, default=None)
    ap.add_argument("--tag", default="")
    ap.add_argument("--db", default=default_db())
    ap.add_argument("--export", default=None,
                    help="CSV of this campaign (its --tag) under data/measurements/; when it exists its "
                         "rows are first loaded into the store, so a fresh checkout resumes")
    ap.add_argument("--profile-runs", type=int, default=0,
                    help="also profile this many runs per kernel after timing each new row "
                         "(onnxruntime's profiler; stored apart from the row)")
    ap.add_argument("--export-nodes", default=None,
                    help="gzipped JSON lines of this campaign's kernel profiles; loaded first when "
                         "it exists, like --export")
    ap.add_argument("--dry-run", action="store_true", help="print the plan, measure nothing")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)

    wanted = [t.strip() for t in args.tiers.split(",") if t.strip()]
    known = {t.name: t for t in TIERS}
    bad = [t for t in wanted if t not in known]
    if bad:
        ap.error(f"unknown tiers {bad}; choose from {sorted(known)}")
    _zoo()  # fail early with a clear message when the zoo is missing
    fams = set(args.families.split(",")) if args.families else None
    chosen = [known[t] for t in wanted]
    wide = (wide_models(args.random_seeds, args.wide_seeds, args.help_archs)
            if any(t.models == "wide" for t in chosen) else None)
    jobs = plan(chosen, fams, args.max_gflop, random_seeds=args.random_seeds, wide=wide)
    per_family = Counter(j.family for j in jobs)
    print(f"{len(jobs)} jobs over {len(per_family)} families: "
          + ", ".join(f"{f} {n}" for f, n in sorted(per_family.items())))
    if args.dry_run:
        first_seen = {}
        for i, j in enumerate(jobs):
            first_seen.setdefault(j.family, i)
        print("every family is reached by job", max(first_seen.values()) + 1 if first_seen else 0)
        return 0
    opts = RunOptions(settings=TimingSettings(budget_s=args.seconds_per_process),
                      processes=args.processes,
                      budget_s=None if args.budget_minutes is None else args.budget_minutes * 60,
                      tag=args.tag, profile_runs=args.profile_runs)
    with Store(args.db) as store:
        if args.export and Path(args.export).exists():
            inserted, kept = store.import_csv(args.export)
            print(f"loaded {inserted} rows from {args.export} into the store ({kept} already there)")
        if args.export_nodes and Path(args.export_nodes).exists():
            inserted, kept = store.import_nodes(args.export_nodes)
            print(f"loaded {inserted} kernel profiles from {args.export_nodes} ({kept} already there)")
        interrupted = False
        try:
            summary = run_jobs(jobs, store, opts, progress=False if args.quiet else None)
            print(summary.as_dict())
        except KeyboardInterrupt:
            # every finished row is already committed to the store: export them all the same
            print("interrupted: exporting the rows stored so far", file=sys.stderr)
            interrupted = True
        if args.export:
            n = store.export_csv(args.export, "tag = ?", (args.tag,))
            print(f"exported {n} rows tagged {args.tag!r} to {args.export}")
        if args.export_nodes:
            n = store.export_nodes(args.export_nodes, "tag = ?", (args.tag,))
            print(f"exported {n} kernel profiles tagged {args.tag!r} to {args.export_nodes}")
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
