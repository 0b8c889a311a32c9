"""The SQLite store: concurrent writers, kill -9 mid-run, resume, CSV export."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from advisor.errors import InputError
from advisor.measure.store import COLUMN_NAMES, Store, settings_key

# A writer process: appends rows i in [start, start+n) (graph g<i>), each its own transaction.
WRITER = textwrap.dedent("""
    import sys, time
    from advisor.measure.store import Store, settings_key
    db, prefix, start, n, pause = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    with Store(db) as st:
        for i in range(start, start + n):
            st.insert(dict(graph_hash=f"{prefix}{i}", source=f"m{i}.onnx", source_kind="file",
                           family="test", batch=1, threads=1, inter_op=1, precision="fp32",
                           opt_level="all", provider="CPU", status="ok", median_ms=float(i),
                           p10_ms=float(i), p90_ms=float(i), min_ms=float(i), repeats=i,
                           host_hash="h", date_utc="2025-01-01T00:00:00+00:00", tag="",
                           settings_key=settings_key(1, None, 1, 1, "fp32", "all", "CPU"),
                           error="x" * 2000))
            if pause:
                time.sleep(pause)
""")


def row(i: int, **kw) -> dict:
    r = dict(graph_hash=f"g{i}", source=f"m{i}.onnx", source_kind="file", family="test", batch=1,
             threads=1, inter_op=1, precision="fp32", opt_level="all", provider="CPU",
             status="ok", median_ms=float(i), host_hash="h", date_utc="2025-01-01T00:00:00+00:00",
             tag="", settings_key=settings_key(1, None, 1, 1, "fp32", "all", "CPU"))
    r.update(kw)
    return r


def spawn(db: Path, prefix: str, start: int, n: int, pause: float = 0.0) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(db), prefix, str(start), str(n),
                             str(pause)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_insert_skip_replace_and_key(tmp_path: Path):
    with Store(tmp_path / "m.sqlite") as st:
        assert st.insert(row(1)) is True
        assert st.insert(row(1, median_ms=99.0)) is False          # same key: skipped
        assert st.count() == 1 and next(st.rows())["median_ms"] == 1.0
        assert st.has("g1", row(1)["settings_key"], "h")
        assert not st.has("g1", row(1)["settings_key"], "h", tag="repeat")
        assert st.insert(row(1, tag="repeat"))                     # a repeat campaign is new
        assert st.insert(row(1, status="failed", median_ms=None), replace=True)
        assert st.status_of("g1", row(1)["settings_key"], "h") == "failed"
        assert st.count() == 2
        with pytest.raises(InputError, match="lacks"):
            st.insert(row(2, graph_hash=None))
        with pytest.raises(InputError, match="unknown"):
            st.insert(row(2, bogus=1))
        with pytest.raises(InputError, match="status"):
            st.insert(row(2, status="meh"))


def test_settings_key_is_canonical():
    a = settings_key(8, 128, 2, 1, "fp32", "all", "CPUExecutionProvider", {"b": 2, "a": 1})
    b = settings_key(8, 128, 2, 1, "fp32", "all", "CPUExecutionProvider", {"a": 1, "b": 2})
    assert a == b and "s=128" in a and "d=a:1,b:2" in a
    assert settings_key(1, None, 1, 1, "fp32", "all", "x") != settings_key(1, None, 2, 1, "fp32", "all", "x")


def test_two_concurrent_writers_lose_nothing(tmp_path: Path):
    db = tmp_path / "c.sqlite"
    Store(db).close()
    procs = [spawn(db, "a", 0, 150), spawn(db, "b", 0, 150)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()[-500:]
    with Store(db) as st:
        assert st.integrity_ok()
        assert st.count() == 300
        assert st.count("graph_hash LIKE 'a%'") == 150 == st.count("graph_hash LIKE 'b%'")


def test_kill_9_mid_run_keeps_every_committed_row(tmp_path: Path):
    db = tmp_path / "k.sqlite"
    with Store(db) as st:
        for i in range(10):
            st.insert(row(i, graph_hash=f"pre{i}"))
    p = spawn(db, "w", 0, 100000, pause=0.0)
    seen = 0
    with Store(db) as reader:
        deadline = time.monotonic() + 60
        while seen < 60 and time.monotonic() < deadline:
            seen = reader.count("graph_hash LIKE 'w%'")
            time.sleep(0.01)
    assert seen >= 60, "writer did not get going"
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=30)
    assert p.returncode == -signal.SIGKILL
    with Store(db) as st:
        assert st.integrity_ok()
        after = st.count("graph_hash LIKE 'w%'")
        assert after >= seen                                   # nothing committed was lost
        assert st.count("graph_hash LIKE 'pre%'") == 10        # earlier rows untouched
        ids = sorted(int(r["graph_hash"][1:]) for r in st.rows("graph_hash LIKE 'w%'"))
        assert ids == list(range(after))                       # a prefix: no gaps, no partials
        for r in st.rows("graph_hash LIKE 'w%'"):
            assert r["median_ms"] == float(r["repeats"]) and len(r["error"]) == 2000
        # resume: rerunning the same writer skips the committed rows and finishes the rest
    p = spawn(db, "w", 0, after + 5)
    p.communicate(timeout=60)
    with Store(db) as st:
        assert st.count("graph_hash LIKE 'w%'") == after + 5 and st.integrity_ok()


def test_export_csv(tmp_path: Path):
    with Store(tmp_path / "e.sqlite") as st:
        st.insert(row(2, process_medians_ms=[1.5, 2.5], idle=True))
        st.insert(row(1, status="unsupported", median_ms=None, error="no kernel"))
        n = st.export_csv(tmp_path / "out" / "m.csv")
    assert n == 2
    with open(tmp_path / "out" / "m.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0].keys()) == COLUMN_NAMES
    by = {r["graph_hash"]: r for r in rows}
    assert by["g2"]["process_medians_ms"] == "[1.5, 2.5]" and by["g2"]["idle"] == "1"
    assert by["g1"]["median_ms"] == "" and by["g1"]["status"] == "unsupported"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["m.csv"]   # no temporary left


def test_import_csv_round_trips_an_export_and_resumes(tmp_path: Path):
    csv_path = tmp_path / "m.csv"
    with Store(tmp_path / "a.sqlite") as st:
        st.insert(row(1, process_medians_ms=[1.0, 1.2], idle=True, repeats=40, cv=0.02))
        st.insert(row(2, status="unsupported", median_ms=None, error="no kernel"))
        st.insert(row(3, tag="repeat-day2"))
        st.export_csv(csv_path)
        original = sorted((tuple(r.items()) for r in st.rows()))
    with Store(tmp_path / "fresh.sqlite") as fresh:          # a new checkout: empty store
        fresh.insert(row(1, median_ms=7.0))                  # one row measured here already
        assert fresh.import_csv(csv_path) == (2, 1)          # kept as stored, not overwritten
        assert fresh.import_csv(csv_path) == (0, 3)          # idempotent
        by = {(r["graph_hash"], r["tag"]): r for r in fresh.rows()}
        assert by[("g1", "")]["median_ms"] == 7.0
        assert by[("g2", "")]["status"] == "unsupported" and by[("g2", "")]["median_ms"] is None
        assert by[("g3", "repeat-day2")]["batch"] == 1
    with Store(tmp_path / "b.sqlite") as other:
        other.import_csv(csv_path)
        assert sorted((tuple(r.items()) for r in other.rows())) == original  # exact round trip


def test_import_csv_rejects_foreign_or_malformed_files(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,value\nx,1\n")
    good_header = ",".join(COLUMN_NAMES)
    with Store(tmp_path / "s.sqlite") as st:
        with pytest.raises(InputError, match="not a measurement CSV"):
            st.import_csv(bad)
        bad.write_text(good_header + "\n" + ",".join("x" for _ in COLUMN_NAMES) + "\n")
        with pytest.raises(InputError, match="not a number"):
            st.import_csv(bad)
        with pytest.raises(InputError, match="cannot read"):
            st.import_csv(tmp_path / "missing.csv")
        assert st.count() == 0                                 # nothing half-imported


def test_training_drops_rows_whose_processes_disagree_beyond_contention(tmp_path: Path):
    """An exported row whose process medians differ over 3x timed contention: training leaves it
    out and says so; rows within clean noise, or with one process, stay."""
    from advisor.training import CONTAMINATED, load_measurements
    csv_path = tmp_path / "m.csv"
    with Store(tmp_path / "t.sqlite") as st:
        st.insert(row(1, source="mlp", family="mlp", process_medians_ms=[100.0, 130.0, 120.0]))
        st.insert(row(2, source="mlp", family="mlp", process_medians_ms=[147.0, 879.0, 840.0]))
        st.insert(row(3, source="mlp", family="mlp", process_medians_ms=[5.0]))
        st.insert(row(4, source="mlp", family="mlp", process_medians_ms=[1.0, 2.9]))
        st.export_csv(csv_path)
    rows = load_measurements([csv_path])
    assert sorted(rows["latency_ms"]) == [1.0, 3.0, 4.0]
    assert rows.attrs["rejected"] == {CONTAMINATED: 1}


def test_training_reads_the_measurement_csvs_of_data_measurements_not_its_sub_folders(tmp_path, monkeypatch):
    from advisor.paths import measurement_csvs
    folder = tmp_path / "data" / "measurements"
    (folder / "pending").mkdir(parents=True)
    for name in ("b.csv", "a.csv", "a-kernels.jsonl.gz", "pending/c.csv"):
        (folder / name).write_text("x\n")
    monkeypatch.setenv("ADVISOR_HOME", str(tmp_path))
    assert measurement_csvs() == [str(folder / "a.csv"), str(folder / "b.csv")]
    # patterns given: those files only, each once however many patterns match it
    chosen = measurement_csvs([str(folder / "pending" / "*.csv"), str(folder / "pending" / "c.csv")])
    assert chosen == [str(folder / "pending" / "c.csv")]
