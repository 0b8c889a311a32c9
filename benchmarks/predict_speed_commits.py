"""Benchmark: one-configuration prediction speed of several commits, side by side.

Each commit is checked out into a temporary git worktree (code, hardware table and trained
models as committed) and timed in its own process: one configuration (batch 8, fp16) of an
analysed BERT-base graph on the first table device, median of 50 calls after a warm-up, the same
call as `benchmarks/predict_speed.py` (without the batch floor, which older commits lack). The
commits run in turns, ``--rounds`` times, so that the host's load falls on all alike: a slowdown
between two reports is the code's only if it shows here.

    python benchmarks/predict_speed_commits.py bd7cdc9 HEAD --out reports/ablations/predict_speed_commits.txt
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Run inside each worktree's process: the worktree's ``advisor`` (not the installed editable
#: one), timed as predict_speed.py times one configuration.
TIMING = r'''
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
import statistics, tempfile, time
from pathlib import Path
import onnx
from advisor.api import load_regressor, model_profile, score_profiles
from advisor.hardware import load_table
from advisor.precision import get_precision
from advisor.zoo.transformers import bert
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "bert.onnx"
    onnx.save(bert(size="base", dynamic=True, graph_only=True), path)
    profile = model_profile(path, batch=1, seq_len=128)
regressor = load_regressor()
devices = [hw for hw in load_table() if hw.mem_bw_gbs and hw.peak_tflops("fp32")][:100]
device = next((hw for hw in devices if hw.id.startswith("a100")), devices[0])
fp16 = [get_precision("fp16")]
def call():
    try:
        return score_profiles("bert", {128: profile}, [device], [8], fp16, regressor=regressor,
                              batch_floor=False)
    except TypeError:      # a commit before the batch floor
        return score_profiles("bert", {128: profile}, [device], [8], fp16, regressor=regressor)
call()
times = []
for _ in range(50):
    start = time.perf_counter()
    call()
    times.append(time.perf_counter() - start)
print(statistics.median(times) * 1e3)
'''


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()


def time_commit(worktree: Path) -> float:
    """Median ms of one configuration, in a fresh process importing ``worktree``'s advisor."""
    env = {**os.environ, "PYTHONPATH": str(worktree)}
    out = subprocess.run([sys.executable, "-c", TIMING], cwd=worktree, env=env, check=True,
                         capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("commits", nargs="+", help="commits to compare (any git revision)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", default=None, help="write the table here as well")
    args = ap.parse_args(argv)
    shas = [git("rev-parse", "--short", c) for c in args.commits]
    with tempfile.TemporaryDirectory(prefix="advisor-speed-") as tmp:
        trees = {}
        try:
            for sha in shas:
                trees[sha] = Path(tmp) / sha
                git("worktree", "add", "--detach", str(trees[sha]), sha)
            times: dict[str, list[float]] = {sha: [] for sha in shas}
            for _ in range(args.rounds):
                for sha in shas:
                    times[sha].append(time_commit(trees[sha]))
        finally:
            for tree in trees.values():
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT,
                               capture_output=True)
    lines = [f"# `python benchmarks/predict_speed_commits.py {' '.join(args.commits)} --rounds {args.rounds}`, "
             f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, host `{platform.node()}`, Python "
             f"{platform.python_version()}", "",
             "One configuration (batch 8, fp16, BERT-base, seq 128), median ms of 50 calls per round; "
             "the commits run in turns.", ""]
    for sha in shas:
        subject = git("log", "-1", "--format=%ad %s", "--date=short", sha)[:90]
        rounds = ", ".join(f"{t:.2f}" for t in times[sha])
        lines.append(f"{sha}  median {statistics.median(times[sha]):6.2f} ms  (rounds: {rounds})  {subject}")
    text = "\n".join(lines) + "\n"
    if args.out:
        Path(args.out).write_text(text)
    print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
