"""SQLite store of measured rows: safe under concurrent writers and kill -9, resumable, exportable.

SQLite (standard library) in WAL mode with ``synchronous=FULL``: every row is its own transaction,
so a writer killed at any instant leaves every committed row intact and no partial one, and two
processes appending at once simply take turns on the write lock (``busy_timeout``). A unique key
on (graph hash, settings, host, tag) makes a rerun skip what already exists. The database itself
is a working file (gitignored); ``export_csv`` writes the committed, shareable form.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import time
from pathlib import Path
from typing import Iterable, Iterator

from advisor.atomic import atomic_path
from advisor.errors import InputError
from advisor.measure.node_profile import NODE_FIELDS

# (column, SQL type). Order is the CSV column order.
COLUMNS: list[tuple[str, str]] = [
    ("graph_hash", "TEXT NOT NULL"),        # sha256 of the graph structure without weight bytes
    ("source", "TEXT NOT NULL"),            # zoo recipe or model file name
    ("source_kind", "TEXT NOT NULL"),       # 'zoo' or 'file'
    ("family", "TEXT"),
    ("batch", "INTEGER NOT NULL"),
    ("seq_len", "INTEGER"),                 # NULL for models without a sequence dim
    ("input_shapes", "TEXT"),               # JSON {input: [dims]} actually fed
    ("threads", "INTEGER NOT NULL"),
    ("inter_op", "INTEGER NOT NULL"),
    ("precision", "TEXT NOT NULL"),
    ("opt_level", "TEXT NOT NULL"),
    ("provider", "TEXT NOT NULL"),
    ("status", "TEXT NOT NULL"),            # ok | unsupported | failed
    ("error", "TEXT"),
    ("median_ms", "REAL"),                  # median over processes of per-process medians
    ("p10_ms", "REAL"),
    ("p90_ms", "REAL"),
    ("min_ms", "REAL"),
    ("repeats", "INTEGER"),                 # timed runs over all processes
    ("cv", "REAL"),                         # median within-process coefficient of variation
    ("spread", "REAL"),                     # (max-min)/median of per-process medians
    ("processes", "INTEGER"),
    ("process_medians_ms", "TEXT"),         # JSON list
    ("stable", "INTEGER"),
    ("retries", "INTEGER"),
    ("idle", "INTEGER"),                    # 1 when no other process was busy (before/during)
    ("other_cores_max", "REAL"),
    ("host_hash", "TEXT NOT NULL"),
    ("hw_fingerprint", "TEXT"),             # advisor.hardware.host id (joins to get_hardware)
    ("cpu_model", "TEXT"),
    ("logical_cores", "INTEGER"),
    ("physical_cores", "INTEGER"),
    ("isa_flags", "TEXT"),
    ("memory_gb", "REAL"),
    ("os", "TEXT"),
    ("arch", "TEXT"),
    ("ort_version", "TEXT"),
    ("numpy_version", "TEXT"),
    ("onnx_version", "TEXT"),
    ("python_version", "TEXT"),
    ("variant_tool", "TEXT"),
    ("budget_s", "REAL"),
    ("seconds", "REAL"),                    # wall time spent measuring this row
    ("date_utc", "TEXT NOT NULL"),
    ("tag", "TEXT NOT NULL DEFAULT ''"),    # campaign tag; a repeat on another day uses a new tag
    ("settings_key", "TEXT NOT NULL"),
]
COLUMN_NAMES = [c for c, _ in COLUMNS]
KEY = ("graph_hash", "settings_key", "host_hash", "tag")
STATUSES = ("ok", "unsupported", "failed")
NODE_EXPORT = KEY + ("source", "date_utc", "runs", "nodes")


def settings_key(batch: int, seq_len: int | None, threads: int, inter_op: int, precision: str,
                 opt_level: str, provider: str, dims: dict[str, int] | None = None) -> str:
    """Canonical text of the run settings (part of the unique key)."""
    key = (f"b={int(batch)};s={int(seq_len or 0)};t={int(threads)};i={int(inter_op)};"
           f"p={precision};o={opt_level};e={provider}")
    if dims:
        key += ";d=" + ",".join(f"{k}:{int(v)}" for k, v in sorted(dims.items()))
    return key


class Store:
    """Append-only measurement table in one SQLite file (use as a context manager)."""

    def __init__(self, path: str | Path, timeout_s: float = 60.0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(self.path), timeout=timeout_s, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute(f"PRAGMA busy_timeout={int(timeout_s * 1000)}")
        mode = self._conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise InputError(f"cannot use WAL mode for {self.path} (got {mode}); "
                             "put the database on a local filesystem")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._create()

    # -- schema
    def _create(self) -> None:
        cols = ",\n  ".join(f"{c} {t}" for c, t in COLUMNS)
        with self._write():
            self._conn.execute(f"CREATE TABLE IF NOT EXISTS measurements (\n  {cols},\n"
                               f"  UNIQUE ({', '.join(KEY)}))")
            # per-kernel profiles (advisor.measure.node_profile): one JSON list per measured row
            self._conn.execute("CREATE TABLE IF NOT EXISTS node_profiles (graph_hash TEXT NOT NULL, "
                               "settings_key TEXT NOT NULL, host_hash TEXT NOT NULL, tag TEXT NOT NULL, "
                               "source TEXT, date_utc TEXT NOT NULL, runs INTEGER NOT NULL, "
                               f"nodes TEXT NOT NULL, UNIQUE ({', '.join(KEY)}))")
            have = {r[1] for r in self._conn.execute("PRAGMA table_info(measurements)")}
            for c, t in COLUMNS:          # forward-compatible: add columns new versions define
                if c not in have:
                    self._conn.execute(f"ALTER TABLE measurements ADD COLUMN {c} "
                                       f"{t.replace('NOT NULL', '')}")

    def _write(self):
        store = self

        class _Tx:
            def __enter__(self_inner):
                store._begin_immediate()
                return store._conn

            def __exit__(self_inner, exc_type, exc, tb):
                store._conn.execute("ROLLBACK" if exc_type else "COMMIT")
                return False
        return _Tx()

    def _begin_immediate(self) -> None:
        # busy_timeout covers most contention; retry a little longer for heavy concurrent use
        for attempt in range(50):
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                time.sleep(0.05 * (attempt + 1))
        self._conn.execute("BEGIN IMMEDIATE")

    # -- writing
    def insert(self, row: dict, replace: bool = False) -> bool:
        """Commit one row in its own transaction; False when its key already exists (skipped).

        ``replace=True`` overwrites an existing row with the same key (used to retry failures).
        """
        unknown = set(row) - set(COLUMN_NAMES)
        if unknown:
            raise InputError(f"unknown measurement columns: {', '.join(sorted(unknown))}")
        missing = [c for c in KEY + ("source", "source_kind", "batch", "threads", "inter_op",
                                     "precision", "opt_level", "provider", "status", "date_utc")
                   if row.get(c) is None]
        if missing:
            raise InputError(f"measurement row lacks {', '.join(missing)}")
        if row["status"] not in STATUSES:
            raise InputError(f"status must be one of {STATUSES}, got {row['status']!r}")
        names = [c for c in COLUMN_NAMES if c in row]
        values = [_to_sql(row[c]) for c in names]
        verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
        with self._write() as conn:
            cur = conn.execute(f"{verb} INTO measurements ({', '.join(names)}) "
                               f"VALUES ({', '.join('?' * len(names))})", values)
            return cur.rowcount > 0

    def insert_nodes(self, key: dict, nodes: list[list], runs: int) -> bool:
        """Commit the kernel profile of the measured row ``key`` (its KEY columns, ``source`` and
        ``date_utc``); False when one is already stored."""
        missing = [c for c in KEY + ("date_utc",) if key.get(c) is None]
        if missing:
            raise InputError(f"node profile lacks {', '.join(missing)}")
        if not isinstance(nodes, list) or not all(isinstance(n, list) and len(n) == len(NODE_FIELDS)
                                                  for n in nodes):
            raise InputError(f"node profile records must be lists of {len(NODE_FIELDS)} fields")
        with self._write() as conn:
            cur = conn.execute("INSERT OR IGNORE INTO node_profiles (graph_hash, settings_key, host_hash, "
                               "tag, source, date_utc, runs, nodes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               (*(key[c] for c in KEY), key.get("source"), key["date_utc"], int(runs),
                                json.dumps(nodes, separators=(",", ":"))))
            return cur.rowcount > 0

    def node_profiles(self, where: str = "", params: Iterable = ()) -> Iterator[dict]:
        """Stored kernel profiles (``nodes`` decoded), in key order."""
        sql = "SELECT * FROM node_profiles" + (f" WHERE {where}" if where else "") + \
              f" ORDER BY {', '.join(KEY)}"
        for r in self._conn.execute(sql, tuple(params)):
            yield {**dict(r), "nodes": json.loads(r["nodes"])}

    def export_nodes(self, path: str | Path, where: str = "", params: Iterable = ()) -> int:
        """Kernel profiles as gzipped JSON lines (atomically, byte-stable for the same rows)."""
        import gzip
        n = 0
        with atomic_path(path) as tmp, open(tmp, "wb") as raw, \
                gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
            for r in self.node_profiles(where, params):
                fh.write((json.dumps({c: r[c] for c in NODE_EXPORT}, separators=(",", ":"))
                          + "\n").encode())
                n += 1
        return n

    def import_nodes(self, path: str | Path) -> tuple[int, int]:
        """Load kernel profiles written by :meth:`export_nodes`; (inserted, already stored).
        A malformed file raises InputError before any insert."""
        records = read_node_export(path)
        inserted = sum(self.insert_nodes(r, r["nodes"], r["runs"]) for r in records)
        return inserted, len(records) - inserted

    # -- reading
    def status_of(self, graph_hash: str, settings: str, host_hash: str, tag: str = "") -> str | None:
        """Status of the row with this key, or None when there is none."""
        r = self._conn.execute("SELECT status FROM measurements WHERE graph_hash=? AND "
                               "settings_key=? AND host_hash=? AND tag=?",
                               (graph_hash, settings, host_hash, tag)).fetchone()
        return None if r is None else r[0]

    def has(self, graph_hash: str, settings: str, host_hash: str, tag: str = "") -> bool:
        return self.status_of(graph_hash, settings, host_hash, tag) is not None

    def count(self, where: str = "", params: Iterable = ()) -> int:
        sql = "SELECT COUNT(*) FROM measurements" + (f" WHERE {where}" if where else "")
        return int(self._conn.execute(sql, tuple(params)).fetchone()[0])

    def rows(self, where: str = "", params: Iterable = ()) -> Iterator[dict]:
        sql = "SELECT * FROM measurements" + (f" WHERE {where}" if where else "") + \
              " ORDER BY family, source, batch, seq_len, precision, threads, tag, date_utc"
        for r in self._conn.execute(sql, tuple(params)):
            yield dict(r)

    def integrity_ok(self) -> bool:
        return self._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # -- import
    def import_csv(self, path: str | Path) -> tuple[int, int]:
        """Load rows from a CSV written by :meth:`export_csv`; returns (inserted, already stored).

        Rows whose key is already in the store are kept as stored. This is how a fresh checkout
        resumes a campaign: the store is local, the exported CSV is what the repository keeps.
        The file is parsed as data only; a malformed file raises InputError before any insert.
        """
        path = Path(path)
        try:
            with open(path, newline="") as fh:
                reader = csv.DictReader(fh)
                header = reader.fieldnames or []
                unknown = set(header) - set(COLUMN_NAMES)
                if unknown or not set(KEY) <= set(header):
                    raise InputError(f"{path}: not a measurement CSV (unknown columns "
                                     f"{', '.join(sorted(unknown)) or '-'}; key columns "
                                     f"{', '.join(KEY)} required)")
                rows = [{c: _from_csv(v, _TYPES[c], path, i + 2, c) for c, v in raw.items() if c}
                        for i, raw in enumerate(reader)]
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise InputError(f"cannot read measurement CSV {path}: {exc}") from None
        inserted = 0
        for row in rows:
            row["tag"] = row.get("tag") or ""
            inserted += self.insert(row)
        return inserted, len(rows) - inserted

    # -- export
    def export_csv(self, path: str | Path, where: str = "", params: Iterable = ()) -> int:
        """Write rows (sorted, stable column order) to CSV atomically; returns the row count."""
        n = 0
        with atomic_path(path) as tmp, open(tmp, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(COLUMN_NAMES)
            for r in self.rows(where, params):
                w.writerow([_to_csv(r.get(c)) for c in COLUMN_NAMES])
                n += 1
        return n

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _to_sql(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (list, dict, tuple)):
        return json.dumps(v, sort_keys=True)
    return v


_TYPES = {c: t.split()[0] for c, t in COLUMNS}


def _from_csv(value: str | None, sql_type: str, path: Path, line: int, column: str):
    """One CSV cell back to its column's type ("" is NULL)."""
    if value is None or value == "":
        return None
    try:
        if sql_type == "INTEGER":
            return int(float(value)) if value not in ("True", "False") else int(value == "True")
        if sql_type == "REAL":
            return float(value)
    except ValueError:
        raise InputError(f"{path}:{line}: column {column} is not a number: {value[:40]!r}") from None
    return value


def _to_csv(v):
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    return v


def read_node_export(path: str | Path) -> list[dict]:
    """The kernel-profile records of a file written by :meth:`Store.export_nodes`.

    Parsed as JSON data only; any malformed line raises InputError naming the file and line.
    """
    import gzip
    records = []
    try:
        with gzip.open(path, "rt") as fh:
            for i, line in enumerate(fh, 1):
                record = json.loads(line)
                if not isinstance(record, dict) or set(record) != set(NODE_EXPORT) or not all(
                        isinstance(record[c], str) for c in KEY + ("date_utc",)) or \
                        not isinstance(record["runs"], int) or isinstance(record["runs"], bool) or \
                        not isinstance(record["nodes"], list) or not all(
                            isinstance(n, list) and len(n) == len(NODE_FIELDS) for n in record["nodes"]):
                    raise InputError(f"{path}:{i}: not a node-profile record")
                records.append(record)
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read node profiles {path}: {exc}") from None
    return records
