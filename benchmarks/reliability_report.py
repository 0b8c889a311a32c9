"""Reliability report: hostile inputs tried, crashes, hangs, files opened; kill -9 on the store.

Usage: .venv/bin/python benchmarks/reliability_report.py [--out reports/reliability.md]

Each kind of hostile input is run in its own worker process under ``strace -f`` (when installed),
every case under a time bound (SIGALRM in the worker, a kill from here as a backstop). Outcomes:
``answer`` (a sane result), ``refused`` (an AdvisorError: one clear line), ``crash`` (any other
exception) or ``hang`` (past the bound). The strace log lists every path the worker tried to open;
paths inside the model folder, the paths given on purpose and the interpreter's own files are
expected, anything else is counted as "outside". Planted external-data targets live outside the
model folder and must never appear. The store part spawns writer processes from
``tests/test_measure_store.py``, kills them with SIGKILL at random moments and counts rows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import onnx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_hostile_onnx import (absurd_models, broken_graphs, external_weight_model,  # noqa: E402
                                     nested_if, nested_if_bytes, relu_chain, small_net, truncations)
from tests.test_hostile_specs import BAD_SPECS  # noqa: E402

CASE_BOUND_S = 10.0
#: Paths onnxruntime opens when it is imported (for symbolic shape inference), whatever the model:
#: its usage-telemetry cache and OS/container detection. Reported apart; no model content leads there.
HOUSEKEEPING = ("/root/.cache/Microsoft/DeveloperTools/", str(Path.home() / ".cache" / "Microsoft"),
                "/etc/os-release", "/usr/lib/os-release", "/.dockerenv", "/run/.containerenv",
                "/run/systemd/container")
LARGE_BOUND_S = 60.0

WORKER = r'''
import json, resource, signal, sys, time, traceback
from advisor.errors import AdvisorError
from advisor.graph import analyze
from advisor.hardware.specfile import load_spec

class Hang(BaseException):
    pass

def alarm(*_):
    raise Hang()

signal.signal(signal.SIGALRM, alarm)
cases = json.load(open(sys.argv[1]))
for case in cases:
    start = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, case["bound"])
    try:
        if case["what"] == "spec":
            load_spec(case["path"])
            outcome, detail = "answer", ""
        else:
            g = analyze(case["path"])
            outcome, detail = "answer", f"{len(g.nodes)} nodes, {g.total_flops:.3g} FLOPs"
    except Hang:
        outcome, detail = "hang", ""
    except AdvisorError as exc:
        outcome, detail = "refused", str(exc)
    except BaseException as exc:
        outcome, detail = "crash", f"{type(exc).__name__}: {exc}"[:300]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"id": case["id"], "outcome": outcome, "detail": detail[:300],
                      "seconds": time.monotonic() - start, "max_rss_mb": rss}), flush=True)
'''


def build_cases(work: Path) -> tuple[dict[str, list[dict]], list[Path]]:
    """Write every hostile input under ``work/models`` and return the cases by kind."""
    folder, secret = work / "models", work / "secret"
    folder.mkdir()
    secret.mkdir()
    kinds: dict[str, list[dict]] = defaultdict(list)
    counter = iter(range(10**9))

    def add(kind: str, label: str, path: Path | str, what: str = "model", bound: float = CASE_BOUND_S):
        kinds[kind].append({"id": next(counter), "kind": kind, "label": label, "path": str(path),
                            "what": what, "bound": bound})

    def save(kind: str, label: str, proto_or_bytes, bound: float = CASE_BOUND_S):
        path = folder / f"{kind.replace(' ', '_')}_{len(kinds[kind])}.onnx"
        data = proto_or_bytes if isinstance(proto_or_bytes, bytes) else proto_or_bytes.SerializeToString()
        path.write_bytes(data)
        add(kind, label, path, bound=bound)

    rng = np.random.default_rng(0)
    for i in range(200):
        save("random bytes", f"{i}", rng.integers(0, 256, int(rng.integers(1, 1 << 16)), dtype=np.uint8).tobytes())
    data = small_net().SerializeToString()
    for cut in truncations(data, 400):
        save("truncated protobuf", f"cut at {cut}/{len(data)}", data[:cut])
    for label, proto in broken_graphs():
        save("broken graph", label, proto)
    for label, proto in absurd_models():
        save("absurd dims", label, proto)
    for depth in range(1, 31):
        save("deep nesting", f"If depth {depth}", nested_if(depth))
    for depth in (31, 32, 33, 40, 100, 1000, 10000):
        save("deep nesting", f"If depth {depth} (hand-written bytes)", nested_if_bytes(depth))
    secrets = [secret / "weights.bin", secret / "absolute.bin", Path("/etc/shadow")]
    for s in secrets[:2]:
        s.write_bytes(b"\0" * 64)
    for location in ("../secret/weights.bin", str(secrets[1]), "../../../../../../.." + str(secrets[0]),
                     "/etc/shadow", "../../../../../../../../etc/shadow", "file:///etc/passwd",
                     "/proc/self/mem", "secret/../../secret/weights.bin"):
        save("external data outside folder", location, external_weight_model(location))
    fifo = folder / "fifo.onnx"
    os.mkfifo(fifo)
    big = folder / "sparse_3g.onnx"
    with open(big, "wb") as fh:
        fh.truncate(3 * 2**30)
    empty = folder / "empty.onnx"
    empty.write_bytes(b"")
    links = {"symlink to /dev/zero": "/dev/zero", "symlink to missing file": str(folder / "nowhere"),
             "symlink to a good model": str(folder / "good.onnx")}
    onnx.save(small_net(), folder / "good.onnx")
    for label, target in links.items():
        link = folder / (label.replace(" ", "_").replace("/", "") + ".onnx")
        link.symlink_to(target)
        add("special path", label, link)
    loop = folder / "loop.onnx"
    loop.symlink_to(loop)
    for label, path in (("directory", folder), ("FIFO", fifo), ("/dev/zero", "/dev/zero"),
                        ("/dev/urandom", "/dev/urandom"), ("/dev/null", "/dev/null"),
                        ("3 GiB sparse file", big), ("empty file", empty), ("symlink loop", loop)):
        add("special path", label, path)
    for n in (10_000, 100_000):
        save("large graph", f"{n}-node Relu chain", relu_chain(n), bound=LARGE_BOUND_S)
    save("large graph", "100000-node chain behind an unknown op (symbolic inference)",
         relu_chain(100_000, unknown_first=True), bound=LARGE_BOUND_S)
    for name, text, _ in BAD_SPECS:
        path = folder / name
        path.write_bytes(text.replace("{marker}", str(work / "PWNED")).encode("utf-8"))
        add("spec file", name, path, what="spec")
    spec_fifo = folder / "fifo.yaml"
    os.mkfifo(spec_fifo)
    add("spec file", "FIFO", spec_fifo, what="spec")
    add("spec file", "/dev/zero", "/dev/zero", what="spec")
    return kinds, secrets


def run_kind(work: Path, kind: str, cases: list[dict], strace: bool) -> tuple[list[dict], list[str]]:
    """Run one kind's cases in a worker; returns per-case results and the paths it opened."""
    case_file = work / f"cases_{kind.replace(' ', '_')}.json"
    case_file.write_text(json.dumps(cases))
    log = work / f"strace_{kind.replace(' ', '_')}.log"
    cmd = [sys.executable, "-c", WORKER, str(case_file)]
    if strace:
        cmd = ["strace", "-f", "-qq", "-e", "trace=open,openat,openat2,creat", "-o", str(log)] + cmd
    backstop = sum(c["bound"] for c in cases) * 1.5 + 120
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        out, err = proc.communicate(timeout=backstop)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    results = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    done = {r["id"] for r in results}
    for case in cases:
        if case["id"] not in done:  # the worker died or was killed on this case
            results.append({"id": case["id"], "outcome": "crash" if proc.returncode else "hang",
                            "detail": f"worker exit {proc.returncode}: {err[-300:]}", "seconds": None,
                            "max_rss_mb": None})
    opened = re.findall(r'open(?:at2?)?\((?:AT_FDCWD, )?"([^"]*)"', log.read_text()) if strace else []
    return results, opened


def classify_opens(opened: list[str], folder: Path, given: set[str]) -> Counter:
    """Count opened paths by where they are: model folder, given, runtime, or outside."""
    runtime_roots = {sys.prefix, sys.base_prefix, sysconfig.get_paths()["stdlib"], str(ROOT / "advisor"),
                     "/usr/", "/lib", "/proc/", "/sys/", "/etc/ld.so", "/etc/localtime", "/dev/null",
                     "/dev/urandom", "/dev/tty", "/etc/nsswitch.conf", "/etc/passwd", "/etc/group",
                     "/etc/host.conf", "/etc/resolv.conf", "/etc/hosts", "/etc/gai.conf",
                     tempfile.gettempdir() + "/", str(Path.home() / ".config" / "advisor")}
    counts: Counter = Counter()
    for path in opened:
        if any(path.startswith(h) for h in HOUSEKEEPING):
            counts["library housekeeping"] += 1
            counts.setdefault("housekeeping examples", []).append(path)  # type: ignore[arg-type]
            continue
        real = os.path.normpath(path if os.path.isabs(path) else os.path.join(ROOT, path))
        if real.startswith(str(folder) + os.sep) or real == str(folder):
            counts["model folder"] += 1
        elif path in given or real in given:
            counts["given on purpose"] += 1
        elif real.startswith(str(ROOT)) or any(real.startswith(r) for r in runtime_roots):
            counts["interpreter and libraries"] += 1
        else:
            counts["outside"] += 1
            counts.setdefault("outside examples", []).append(real)  # type: ignore[arg-type]
    return counts


def kill9_trials(work: Path, trials: int) -> list[dict]:
    """SIGKILL a writer at random moments; count rows before, seen committed, after, and resume."""
    from advisor.measure.store import Store
    from tests.test_measure_store import row, spawn
    rng = random.Random(0)
    rows = []
    for trial in range(trials):
        db = work / f"kill{trial}.sqlite"
        with Store(db) as st:
            for i in range(10):
                st.insert(row(i, graph_hash=f"pre{i}"))
            before = st.count()
        writers = [spawn(db, "w", 0, 100_000)] + ([spawn(db, "v", 0, 100_000)] if trial % 2 else [])
        target = rng.randint(20, 400)
        seen = 0
        with Store(db) as reader:
            deadline = time.monotonic() + 60
            while seen < target and time.monotonic() < deadline:
                seen = reader.count("graph_hash NOT LIKE 'pre%'")
                time.sleep(0.005)
        time.sleep(rng.random() * 0.05)
        for p in writers:
            os.kill(p.pid, signal.SIGKILL)
            p.wait(timeout=30)
        with Store(db) as st:
            after = st.count()
            ok = st.integrity_ok()
            prefix = all(sorted(int(r["graph_hash"][1:]) for r in st.rows(f"graph_hash LIKE '{w}%'"))
                         == list(range(st.count(f"graph_hash LIKE '{w}%'"))) for w in "wv")
            complete = all(r["median_ms"] == float(r["repeats"]) and len(r["error"]) == 2000
                           for r in st.rows("graph_hash NOT LIKE 'pre%'"))
            pre = st.count("graph_hash LIKE 'pre%'")
            committed_w = st.count("graph_hash LIKE 'w%'")
        p = spawn(db, "w", 0, committed_w + 5)
        p.communicate(timeout=120)
        with Store(db) as st:
            resumed = st.count("graph_hash LIKE 'w%'") == committed_w + 5 and st.integrity_ok()
        rows.append({"trial": trial, "writers": len(writers), "rows_before": before,
                     "committed_seen_before_kill": before + seen, "rows_after": after,
                     "lost": max(0, before + seen - after), "integrity_ok": ok, "no_gaps": prefix,
                     "no_partial_rows": complete, "pre_rows_intact": pre == 10, "resume_ok": resumed})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "reports" / "reliability.md"))
    parser.add_argument("--kill-trials", type=int, default=6)
    parser.add_argument("--fuzz-examples", type=int, default=200)
    args = parser.parse_args()
    strace = shutil.which("strace") is not None
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="advisor-reliability-") as tmp:
        work = Path(tmp)
        kinds, secrets = build_cases(work)
        folder = work / "models"
        table, outside_examples, secret_hits, slow = [], [], 0, []
        housekeeping_examples: list[str] = []
        for kind, cases in kinds.items():
            t0 = time.monotonic()
            results, opened = run_kind(work, kind, cases, strace)
            given = {c["path"] for c in cases if not c["path"].startswith(str(folder))}
            given |= {os.path.realpath(p) for p in given}
            opens = classify_opens(opened, folder, given)
            outside_examples += opens.pop("outside examples", [])
            housekeeping_examples += opens.pop("housekeeping examples", [])
            secret_hits += sum(1 for p in opened for s in secrets[:2] if s.name in p)
            secret_hits += sum(1 for p in opened if "shadow" in p)
            outcomes = Counter(r["outcome"] for r in results)
            secs = [r["seconds"] for r in results if r["seconds"] is not None]
            rss = [r["max_rss_mb"] for r in results if r["max_rss_mb"] is not None]
            by_id = {c["id"]: c for c in cases}
            for r in results:
                if r["outcome"] in ("crash", "hang") or kind == "large graph":
                    slow.append((kind, by_id[r["id"]]["label"], r))
            table.append((kind, len(cases), outcomes, max(secs) if secs else None,
                          max(rss) if rss else None, opens, time.monotonic() - t0))
        marker_ran = (work / "PWNED").exists()
        kill_rows = kill9_trials(work, args.kill_trials)
    fuzz_start = time.monotonic()
    fuzz = subprocess.run([sys.executable, "-m", "pytest", "-o", "addopts=", "-q", "-p", "no:cacheprovider",
                           "tests/test_fuzz.py"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "ADVISOR_FUZZ_EXAMPLES": str(args.fuzz_examples)})
    fuzz_seconds = time.monotonic() - fuzz_start
    fuzz_tail = fuzz.stdout.strip().splitlines()[-1].strip("= ") if fuzz.stdout.strip() else fuzz.stderr[-200:]
    write_report(Path(args.out), table, outside_examples, housekeeping_examples, secret_hits, slow, marker_ran, kill_rows,
                 strace, fuzz.returncode, fuzz_tail, args.fuzz_examples, fuzz_seconds, time.time() - started)


def write_report(out: Path, table, outside_examples, housekeeping_examples, secret_hits, slow, marker_ran, kill_rows, strace,
                 fuzz_rc, fuzz_tail, fuzz_examples, fuzz_seconds, total_seconds) -> None:
    total = sum(n for _, n, *_ in table)
    crashes = sum(o["crash"] for _, _, o, *_ in table)
    hangs = sum(o["hang"] for _, _, o, *_ in table)
    outside = sum(opens["outside"] for *_, opens, _ in table)
    lines = [
        "# Reliability report", "",
        f"Generated by `benchmarks/reliability_report.py` on {time.strftime('%Y-%m-%d')} "
        f"({os.cpu_count()} CPUs, Python {sys.version.split()[0]}, onnx {onnx.__version__}); "
        f"{total_seconds:.0f} s in all.", "",
        "## Summary", "",
        f"- Hostile inputs tried: **{total}**; crashes (uncaught non-AdvisorError exceptions): "
        f"**{crashes}**; hangs beyond the bound ({CASE_BOUND_S:.0f} s, {LARGE_BOUND_S:.0f} s for "
        f"large graphs): **{hangs}**.",
        f"- Files opened outside the model's folder (other than the paths given on purpose and the "
        f"interpreter's own files and onnxruntime's import-time housekeeping, listed below), seen by `strace -f`: **{outside if strace else 'not checked (no strace)'}**; "
        f"opens of the planted external-data targets: **{secret_hits}**.",
        f"- YAML `!!python/...` payloads executed: **{'yes' if marker_ran else 'none'}** "
        "(the payload would have created a marker file).",
        f"- kill -9 trials on the measurement store: **{len(kill_rows)}**; rows lost: "
        f"**{sum(r['lost'] for r in kill_rows)}**; corrupt databases: "
        f"**{sum(not r['integrity_ok'] for r in kill_rows)}**.",
        f"- Fuzz (hypothesis, {fuzz_examples} examples per test): `{fuzz_tail}` in {fuzz_seconds:.0f} s "
        f"(exit {fuzz_rc}).", "",
        "## Hostile inputs by kind", "",
        "| kind | tried | answered | refused (AdvisorError) | crash | hang | slowest case s | "
        "max RSS MB | opens: model folder / given / runtime / onnxruntime housekeeping / outside |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for kind, n, outcomes, slowest, rss, opens, _ in table:
        lines.append(f"| {kind} | {n} | {outcomes['answer']} | {outcomes['refused']} | {outcomes['crash']} | "
                     f"{outcomes['hang']} | {slowest:.2f} | {rss:.0f} | {opens['model folder']} / "
                     f"{opens['given on purpose']} / {opens['interpreter and libraries']} / "
                     f"{opens['library housekeeping']} / {opens['outside']} |")
    lines += ["", "Answered means a sane result (finite FLOPs and bytes below the analyzer's bounds); "
              "truncated files cut at a field boundary are valid smaller models, and some random or "
              "broken graphs are legal ONNX. Max RSS is the worker's peak over its kind.", ""]
    lines += ["## Large graphs and any crash or hang", "", "| kind | case | outcome | seconds | detail |",
              "| --- | --- | --- | ---: | --- |"]
    for kind, label, r in slow:
        detail = r["detail"].replace("|", "/")[:120]
        secs = f"{r['seconds']:.1f}" if r["seconds"] is not None else "-"
        lines.append(f"| {kind} | {label} | {r['outcome']} | {secs} | {detail} |")
    if outside_examples:
        lines += ["", "Paths counted as outside: " + ", ".join(sorted(set(outside_examples))[:20])]
    if housekeeping_examples:
        lines += ["", "onnxruntime housekeeping (opened by `import onnxruntime`, which symbolic shape "
                  "inference needs, for any model that onnx's own inference leaves incomplete; the "
                  "paths are fixed, not taken from the model): "
                  + ", ".join(f"`{p}`" for p in sorted(set(housekeeping_examples)))]
    lines += ["", "## kill -9 during measurement writes", "",
              "Writer processes (the one in `tests/test_measure_store.py`: one row per transaction, "
              "2 kB per row) append to the SQLite WAL store; odd trials run two writers at once. "
              "Each is killed with SIGKILL once the reader has seen a random number of committed rows; "
              "then the same writer is rerun to check resume.", "",
              "| trial | writers | rows before | committed rows seen before kill | rows after | lost | "
              "integrity | no gaps | no partial rows | earlier rows intact | resume |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- | --- |"]
    for r in kill_rows:
        yes = lambda v: "ok" if v else "FAIL"  # noqa: E731
        lines.append(f"| {r['trial']} | {r['writers']} | {r['rows_before']} | {r['committed_seen_before_kill']} | "
                     f"{r['rows_after']} | {r['lost']} | {yes(r['integrity_ok'])} | {yes(r['no_gaps'])} | "
                     f"{yes(r['no_partial_rows'])} | {yes(r['pre_rows_intact'])} | {yes(r['resume_ok'])} |")
    lines += ["", "## What the bounds are", "",
              "- A tensor over 2^48 elements, a node over 2^72 FLOPs or 2^62 bytes per inference is "
              "refused (`advisor/graph/analysis.py`); weights over 2^53 elements or with negative dims "
              "are refused at load; input dims must be 1..2^31-1.",
              "- Model files must be regular files (checked with fstat on a non-blocking descriptor) "
              "under 2 GiB; spec files under 1 MiB. External data is never loaded: weights' sizes come "
              "from their dims.",
              "- Control flow: protobuf itself refuses nesting past about 31 If levels; the analyzer "
              "refuses more than 32.", ""]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines))
    print(f"wrote {out}: {total} inputs, {crashes} crashes, {hangs} hangs, {outside} outside opens")


if __name__ == "__main__":
    main()
