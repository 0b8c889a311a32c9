"""Run a list of measurement jobs against the store: resumable, budgeted, with a progress bar.

A job is (model file or zoo recipe) x batch x seq_len x threads x precision. Jobs are run in
the order given (the campaign orders them breadth-first); each one whose key is already in the
store is skipped, so an interrupted run resumes where it stopped. The fp32 model and its
precision variants are built once per (source, batch, seq_len) and reused across thread counts.
Failures (a variant the tooling cannot make, a provider without kernels) become rows with
``status`` ``unsupported`` or ``failed`` and no times, so they are recorded, not retried forever.
"""

from __future__ import annotations

import datetime as _dt
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np
import onnx

from advisor.errors import AdvisorError, InputError
from advisor.measure import idle as _idle
from advisor.measure.host import host_info
from advisor.measure.identity import graph_hash
from advisor.measure.store import Store, settings_key
from advisor.measure.timing import ResolvedInputs, TimingSettings, measure, resolve_inputs
from advisor.measure.variants import VariantUnsupported, make_variant, normalize_precision


@dataclass(frozen=True)
class Job:
    """One row to measure."""

    source: str                      # model file path, or zoo recipe ("resnet18:resolution=224")
    kind: str = "file"               # "file" or "zoo"
    batch: int | None = None         # None: the model's own (or 1 for a symbolic batch)
    seq_len: int | None = None
    threads: int = 1
    precision: str = "fp32"
    family: str | None = None
    dims: tuple[tuple[str, int], ...] = ()   # explicit symbolic dims

    def label(self) -> str:
        s = f"{Path(self.source).name if self.kind == 'file' else self.source} b={self.batch}"
        if self.seq_len:
            s += f" s={self.seq_len}"
        return f"{s} t={self.threads} {self.precision}"


def expand_jobs(sources: Sequence[str], kind: str, batches: Sequence[int | None] = (None,),
                threads: Sequence[int] = (1,), precisions: Sequence[str] = ("fp32",),
                seq_lens: Sequence[int | None] = (None,), family: str | None = None,
                dims: dict[str, int] | None = None) -> list[Job]:
    """Cartesian product, ordered source > batch > seq_len > precision > threads.

    Threads vary fastest so each built variant is reused before the next is made.
    """
    if kind not in ("file", "zoo"):
        raise InputError(f"job kind must be 'file' or 'zoo', got {kind!r}")
    precs = [normalize_precision(p) for p in precisions]
    d = tuple(sorted((dims or {}).items()))
    return [Job(src, kind, b, s, t, p, family, d)
            for src in sources for b in (batches or [None]) for s in (seq_lens or [None])
            for p in precs for t in threads]


# ---------------------------------------------------------------------------- zoo glue

def _zoo():
    try:
        from advisor import zoo
    except ImportError as exc:      # pragma: no cover - the zoo ships with the package
        raise AdvisorError(f"the model zoo is unavailable: {exc}") from exc
    if not hasattr(zoo, "build_recipe"):
        raise AdvisorError("the model zoo has no build_recipe() yet")
    return zoo


def _zoo_entries() -> list[tuple[str, str]]:
    """(name, family) of every zoo model, from ``advisor.zoo.list_models()`` in whatever form."""
    out = []
    for e in _zoo().list_models():
        if isinstance(e, str):
            out.append((e, e))
        elif isinstance(e, (tuple, list)):          # (name, family, description, options)
            out.append((e[0], e[1] if len(e) > 1 and e[1] else e[0]))
        elif isinstance(e, dict):
            out.append((e.get("name"), e.get("family") or e.get("name")))
        else:
            name = getattr(e, "name", str(e))
            out.append((name, getattr(e, "family", None) or name))
    return out


def expand_zoo_spec(spec: str) -> list[str]:
    """Zoo recipes from a spec: ``all``, a family name, a model name, or recipes joined by ';'."""
    out: list[str] = []
    for part in (p.strip() for p in spec.split(";")):
        if not part:
            continue
        if ":" in part:
            out.append(part)
            continue
        entries = _zoo_entries()
        if part == "all":
            out.extend(n for n, _ in entries)
            continue
        names = [n for n, _ in entries if n == part]
        fam = [n for n, f in entries if f == part and n != part]
        if not names and not fam:
            raise InputError(f"unknown zoo model or family {part!r}; see `advisor zoo list`")
        out.extend(names + fam)
    return list(dict.fromkeys(out))


def zoo_family(recipe: str) -> str:
    name = recipe.split(":", 1)[0].strip()
    try:
        for n, f in _zoo_entries():
            if n == name:
                return f
    except AdvisorError:
        pass
    return name


def with_options(recipe: str, options: dict) -> str:
    from advisor.zoo.registry import with_options as _with   # lazily: timing children skip the zoo
    return _with(recipe, options)


def _with_graph_only_off(recipe: str) -> str:
    return with_options(recipe, {"graph_only": 0})


def build_zoo_model(recipe: str, batch: int | None, seq_len: int | None) -> tuple[onnx.ModelProto, str]:
    """Build a zoo model at the given batch/seq_len; returns (model, recipe actually built).

    The batch and sequence length are passed as recipe options when the builder accepts them;
    otherwise the plain recipe is built and they are applied to its symbolic dims at run time.
    """
    zoo = _zoo()
    for extra in ({"batch": batch, "seq_len": seq_len}, {"batch": batch}, {}):
        full = with_options(recipe, extra)
        try:
            return zoo.build_recipe(full), full
        except InputError:
            if not extra or full == recipe:
                raise
    raise AssertionError("unreachable")   # pragma: no cover


# ---------------------------------------------------------------------------- preparation

@dataclass
class Prepared:
    """An fp32 model on disk, ready to time, plus its identity and resolved inputs."""

    path: Path
    source: str
    kind: str
    family: str
    graph_hash: str
    inputs: ResolvedInputs
    seq_len: int | None
    variants: dict = field(default_factory=dict)   # precision -> Variant | VariantUnsupported


MAX_PARAMS_TO_MATERIALIZE = 400_000_000   # larger zoo configs stay graph-only (not timed)


def _param_count(model: onnx.ModelProto) -> int:
    return sum(int(np.prod(t.dims)) if len(t.dims) else 1 for t in model.graph.initializer)


def _has_external_data(model: onnx.ModelProto) -> bool:
    return any(t.data_location == onnx.TensorProto.EXTERNAL for t in model.graph.initializer)


@dataclass(frozen=True)
class Identity:
    """What the store keys a job's model by: its graph hash, resolved inputs and used seq_len."""

    graph_hash: str
    inputs: ResolvedInputs
    seq_len: int | None


def _identity(model: onnx.ModelProto, job: Job) -> Identity:
    resolved = resolve_inputs(model, job.batch, job.seq_len, dict(job.dims))
    # builders ignore options they do not know: seq_len counts only if a token input has it
    token_dims = {d for sp in resolved.specs if np.dtype(sp.dtype).kind in "iu" for d in sp.shape}
    seq_used = job.seq_len if (resolved.used_seq_len or job.seq_len in token_dims) else None
    return Identity(graph_hash(model), resolved, seq_used)


def zoo_identity(job: Job) -> Identity:
    """The identity of a zoo job from a graph-only build: weights are never made, so deciding
    that a job is already in the store costs milliseconds instead of building the model (8 s for
    a GPT-2 decoder). The hash ignores weight bytes, so it equals the full build's hash."""
    model, _ = build_zoo_model(with_options(job.source, {"graph_only": 1}), job.batch, job.seq_len)
    return _identity(model, job)


def prepare(job: Job, workdir: Path) -> Prepared:
    """Build or load the fp32 model of a job, hash it and resolve its inputs."""
    if job.kind == "zoo":
        model, built = build_zoo_model(job.source, job.batch, job.seq_len)
        if _has_external_data(model) and "graph_only" not in job.source:
            # large configs default to graph-only; give them real (random) weights when they fit
            n = _param_count(model)
            if n <= MAX_PARAMS_TO_MATERIALIZE:
                model, built = build_zoo_model(_with_graph_only_off(job.source), job.batch,
                                               job.seq_len)
        if _has_external_data(model):
            raise InputError(f"zoo model {built!r} is graph-only ({_param_count(model) / 1e6:.0f}M "
                             "params, no weights); it cannot be timed")
        path = workdir / "model.onnx"
        big = model.ByteSize() > 1_500_000_000
        onnx.save(model, str(path), save_as_external_data=big)
        ident = _identity(model, job)
        return Prepared(path, job.source, "zoo", job.family or zoo_family(job.source),
                        ident.graph_hash, ident.inputs, ident.seq_len)
    path = Path(job.source)
    if not path.is_file():
        raise InputError(f"model file not found: {path}")
    try:
        model = onnx.load(str(path), load_external_data=False)
    except Exception as exc:  # noqa: BLE001 - any parse failure is bad input
        raise InputError(f"cannot read ONNX model {path}: {exc}") from exc
    resolved = resolve_inputs(model, job.batch, job.seq_len, dict(job.dims))
    return Prepared(path.resolve(), path.name, "file", job.family or path.stem,
                    graph_hash(model), resolved, job.seq_len if resolved.used_seq_len else None)


# ---------------------------------------------------------------------------- running

@dataclass
class RunOptions:
    """How jobs are timed and recorded."""

    settings: TimingSettings = field(default_factory=TimingSettings)   # threads come from jobs
    processes: int = 3
    max_retries: int = 3
    max_other_cores: float = _idle.DEFAULT_MAX_OTHER_CORES
    idle_window_s: float = 0.3
    idle_wait_s: float = 10.0
    budget_s: float | None = None     # total wall-clock budget; jobs not started are left
    tag: str = ""
    retry_failed: bool = False
    profile_runs: int = 0             # > 0: also store a per-kernel profile of each row


@dataclass
class RunSummary:
    measured: int = 0
    skipped: int = 0
    unsupported: int = 0
    failed: int = 0
    not_started: int = 0
    seconds: float = 0.0
    rows: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(measured=self.measured, skipped=self.skipped, unsupported=self.unsupported,
                    failed=self.failed, not_started=self.not_started,
                    seconds=round(self.seconds, 2))


def _versions() -> dict:
    import onnxruntime
    return dict(ort_version=onnxruntime.__version__, numpy_version=np.__version__,
                onnx_version=onnx.__version__, python_version=platform.python_version())


def _looks_unsupported(msg: str) -> bool:
    m = msg.lower()
    return "not_implemented" in m or "could not find an implementation" in m or \
        "not supported" in m


def _base_row(job: Job, prep: Prepared, opts: RunOptions, skey: str) -> dict:
    h = host_info()
    s = opts.settings
    return dict(graph_hash=prep.graph_hash, source=prep.source, source_kind=prep.kind,
                family=prep.family, batch=prep.inputs.batch, seq_len=prep.seq_len,
                input_shapes=prep.inputs.shapes(), threads=job.threads, inter_op=s.inter_op,
                precision=job.precision, opt_level=s.opt_level, provider=s.provider,
                host_hash=h.host_hash, hw_fingerprint=h.hw_fingerprint, cpu_model=h.cpu_model, logical_cores=h.logical_cores,
                physical_cores=h.physical_cores, isa_flags=h.isa_flags, memory_gb=h.memory_gb,
                os=h.os, arch=h.arch, budget_s=s.budget_s, tag=opts.tag, settings_key=skey,
                **_versions())


def run_one(job: Job, prep: Prepared, opts: RunOptions, workdir: Path) -> dict:
    """Make the variant, time it, and return the row (never raises for model-level failures)."""
    row = _base_row(job, prep, opts, _settings_key(prep, job, opts))
    t0 = time.monotonic()
    variant = prep.variants.get(job.precision)
    if variant is None:
        try:
            variant = make_variant(prep.path, job.precision, workdir, prep.inputs.specs)
        except VariantUnsupported as exc:
            variant = exc
        prep.variants[job.precision] = variant
    if isinstance(variant, VariantUnsupported):
        row.update(status="unsupported", error=str(variant))
    else:
        row["variant_tool"] = variant.tool
        settings = replace(opts.settings, threads=job.threads)
        try:
            m = measure(variant.path, prep.inputs.specs, settings, processes=opts.processes,
                        max_retries=opts.max_retries, max_other_cores=opts.max_other_cores,
                        idle_window_s=opts.idle_window_s, idle_wait_s=opts.idle_wait_s,
                        profile_runs=opts.profile_runs)
            row.update(status="ok", median_ms=m.median_ms, p10_ms=m.p10_ms, p90_ms=m.p90_ms,
                       min_ms=m.min_ms, repeats=m.repeats, cv=m.cv, spread=m.spread,
                       processes=m.processes, process_medians_ms=m.process_medians_ms,
                       stable=m.stable, retries=m.retries, idle=m.idle,
                       other_cores_max=m.other_cores_max)
            if m.nodes:
                row["nodes"] = m.nodes       # stored apart from the row (Store.insert_nodes)
        except AdvisorError as exc:
            msg = " ".join(str(exc).split())[:400]
            row.update(status="unsupported" if _looks_unsupported(msg) else "failed", error=msg)
    row["seconds"] = round(time.monotonic() - t0, 3)
    row["date_utc"] = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
    return row


def _settings_key(model: Prepared | Identity, job: Job, opts: RunOptions) -> str:
    return settings_key(model.inputs.batch, model.seq_len, job.threads, opts.settings.inter_op,
                        job.precision, opts.settings.opt_level, opts.settings.provider,
                        dict(job.dims))


def _skip(status: str | None, opts: RunOptions) -> bool:
    """A stored row ends a job, unless it failed and failures are being retried."""
    return status is not None and not (opts.retry_failed and status != "ok")


def run_jobs(jobs: Iterable[Job], store: Store, opts: RunOptions | None = None,
             progress: bool | None = None,
             on_row: Callable[[dict], None] | None = None) -> RunSummary:
    """Run jobs in order, appending one committed row each; skip keys already in the store.

    ``progress``: a rich progress bar (default: only when stderr is a TTY). Stops starting new
    jobs once ``opts.budget_s`` has elapsed.
    """
    opts = opts or RunOptions()
    jobs = list(jobs)
    summary = RunSummary()
    t_start = time.monotonic()
    host = host_info().host_hash
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn)
        bar = Progress(TextColumn("[bold]measure"), BarColumn(), MofNCompleteColumn(),
                       TimeElapsedColumn(), TextColumn("{task.description}"),
                       console=Console(stderr=True), transient=False)
        bar.start()
        task = bar.add_task("", total=len(jobs))
    root = Path(tempfile.mkdtemp(prefix="advisor-measure-"))
    model_key = None
    prep: Prepared | Exception | None = None
    ident: Identity | None = None
    try:
        for i, job in enumerate(jobs):
            if opts.budget_s is not None and time.monotonic() - t_start >= opts.budget_s:
                summary.not_started = len(jobs) - i
                break
            if bar:
                bar.update(task, description=job.label())
            key = (job.kind, job.source, job.batch, job.seq_len, job.dims)
            if key != model_key:                   # new model: drop the previous one's files
                shutil.rmtree(root, ignore_errors=True)
                root.mkdir(parents=True, exist_ok=True)
                model_key, prep, ident = key, None, None
                if job.kind == "zoo":
                    try:
                        ident = zoo_identity(job)   # cheap: decides skips without weights
                    except AdvisorError:
                        ident = None                # prepare() below reports the problem
            if ident is not None:
                status = store.status_of(ident.graph_hash, _settings_key(ident, job, opts), host, opts.tag)
                if _skip(status, opts):
                    summary.skipped += 1
                    if bar:
                        bar.advance(task)
                    continue
            if prep is None:
                try:
                    prep = prepare(job, root)
                except AdvisorError as exc:
                    prep = exc
            if isinstance(prep, Exception):
                # a model that cannot be built or read: every job on it fails the same way
                if isinstance(prep, InputError) and job.kind == "file":
                    raise prep
                summary.failed += 1
                summary.rows.append(dict(source=job.source, status="failed", error=str(prep)))
                if bar:
                    bar.advance(task)
                continue
            status = store.status_of(prep.graph_hash, _settings_key(prep, job, opts), host, opts.tag)
            if _skip(status, opts):
                summary.skipped += 1
            else:
                row = run_one(job, prep, opts, root)
                nodes = row.pop("nodes", None)
                store.insert(row, replace=status is not None)
                if nodes:
                    store.insert_nodes(row, nodes, opts.profile_runs)
                summary.rows.append(row)
                if row["status"] == "ok":
                    summary.measured += 1
                elif row["status"] == "unsupported":
                    summary.unsupported += 1
                else:
                    summary.failed += 1
                if on_row:
                    on_row(row)
            if bar:
                bar.advance(task)
    finally:
        if bar:
            bar.stop()
        shutil.rmtree(root, ignore_errors=True)
    summary.seconds = time.monotonic() - t_start
    return summary
