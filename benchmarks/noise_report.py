"""Write ``reports/measurement_noise.md``: how noisy our own measurements are.

Reads the measurement rows (the committed CSV exports in ``data/measurements/*.csv`` by default,
or a SQLite store with ``--db``) and reports, per model family:

* within-process noise: the median coefficient of variation of the timed runs of one process;
* between-process noise: the median spread ``(max - min) / median`` of the per-process medians;
* agreement of repeated rows: rows with the same graph, settings and host measured again under
  another tag (e.g. a repeat campaign on another day): the ratio of their medians.

Usage::

    python benchmarks/noise_report.py [--db data/measurements/measurements.sqlite]
                                      [--csv 'data/measurements/*.csv'] [-o reports/measurement_noise.md]
"""

from __future__ import annotations

import argparse
import glob
import sqlite3
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.markdown import markdown_table, numbers_after_first  # noqa: E402

KEY = ["graph_hash", "settings_key", "host_hash"]


def load_rows(db: str | None = None, csv_glob: str | None = None) -> pd.DataFrame:
    """All rows from a SQLite store or from CSV exports (deduplicated on key + tag)."""
    if db:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            df = pd.read_sql_query("SELECT * FROM measurements", conn)
    else:
        files = sorted(glob.glob(csv_glob or str(ROOT / "data" / "measurements" / "*.csv")))
        frames = [pd.read_csv(f, dtype={"tag": str}, keep_default_na=True) for f in files]
        df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if df.empty:
        return df
    df["tag"] = df["tag"].fillna("").astype(str)
    return df.drop_duplicates(subset=KEY + ["tag"], keep="last").reset_index(drop=True)


def noise_by_family(ok: pd.DataFrame) -> pd.DataFrame:
    """Per family: rows, median within-process CV, median between-process spread, idle share."""
    g = ok.groupby("family", dropna=False)
    out = pd.DataFrame({
        "rows": g.size(),
        "median_cv": g["cv"].median(),
        "p90_cv": g["cv"].quantile(0.9),
        "median_spread": g["spread"].median(),
        "p90_spread": g["spread"].quantile(0.9),
        "idle_share": g["idle"].mean(),
    })
    return out.sort_index()


def repeat_pairs(ok: pd.DataFrame) -> pd.DataFrame:
    """For every key measured under more than one tag: first and last measurement and their ratio."""
    multi = ok.groupby(KEY).filter(lambda d: d["tag"].nunique() > 1)
    if multi.empty:
        return pd.DataFrame(columns=["family", "precision", "threads", "first_ms", "second_ms",
                                     "ratio", "abs_log_ratio"])
    multi = multi.sort_values("date_utc")
    rows = []
    for _, d in multi.groupby(KEY):
        a, b = d.iloc[0], d.iloc[-1]
        rows.append(dict(family=a["family"], precision=a["precision"], threads=a["threads"],
                         first_tag=a["tag"], second_tag=b["tag"], first_ms=a["median_ms"],
                         second_ms=b["median_ms"], ratio=b["median_ms"] / a["median_ms"]))
    pairs = pd.DataFrame(rows)
    pairs["abs_log_ratio"] = np.abs(np.log(pairs["ratio"]))
    return pairs


def _fmt(v, pct: bool = False) -> str:
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return "-"
    return f"{100 * v:.1f}%" if pct else (f"{v:.3g}" if isinstance(v, float) else str(v))


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return markdown_table(header, rows, numbers_after_first(header))


def render(df: pd.DataFrame, source: str) -> str:
    """The report as Markdown."""
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    lines = ["# Measurement noise", "",
             f"Generated {now} by `benchmarks/noise_report.py` from {source}.", ""]
    if df.empty:
        lines += ["No measurement rows yet. Run `advisor measure` (or "
                  "`benchmarks/measure_campaign.py`) and export to `data/measurements/`.", ""]
        return "\n".join(lines)
    ok = df[df["status"] == "ok"].copy()
    ok["idle"] = ok["idle"].fillna(0).astype(float)
    hosts = df.groupby("host_hash")["cpu_model"].first()
    others = ", ".join(f"{k} {v}" for k, v in df["status"].value_counts().items() if k != "ok")
    lines += [f"Rows: {len(df)} ({len(ok)} timed" + (f"; {others}" if others else "") + "). "
              f"Hosts: " + ", ".join(f"`{h}` ({m})" for h, m in hosts.items()) + ". "
              f"Measured on an idle machine: {_fmt(ok['idle'].mean(), pct=True)} of timed rows.", "",
              "* **CV**: coefficient of variation of the timed runs inside one process "
              "(within-process noise).",
              "* **spread**: (max - min) / median of the per-process medians of one row "
              "(between-process noise; a row's value is the median over its processes).", ""]
    if not ok.empty:
        fam = noise_by_family(ok)
        lines += ["## Noise by family", ""]
        lines += _table(["family", "rows", "median CV", "p90 CV", "median spread", "p90 spread",
                         "idle"],
                        [[str(f), str(int(r.rows)), _fmt(r.median_cv, True), _fmt(r.p90_cv, True),
                          _fmt(r.median_spread, True), _fmt(r.p90_spread, True),
                          _fmt(r.idle_share, True)] for f, r in fam.iterrows()])
        overall = [_fmt(ok["cv"].median(), True), _fmt(ok["spread"].median(), True)]
        lines += ["", f"All timed rows: median CV {overall[0]}, median spread {overall[1]}.", ""]
        by_prec = ok.groupby("precision")[["cv", "spread"]].median()
        lines += ["## Noise by precision", ""]
        lines += _table(["precision", "rows", "median CV", "median spread"],
                        [[p, str(int((ok['precision'] == p).sum())), _fmt(r.cv, True),
                          _fmt(r.spread, True)] for p, r in by_prec.iterrows()])
        lines.append("")
    pairs = repeat_pairs(ok)
    lines += ["## Agreement of repeated rows", ""]
    if pairs.empty:
        lines += ["No row has been measured under two tags yet (repeat a subset on another day "
                  "with `advisor measure ... --tag repeat-YYYY-MM-DD`).", ""]
    else:
        r = pairs["abs_log_ratio"]
        lines += [f"{len(pairs)} rows measured twice (tags "
                  + ", ".join(t or "(untagged)" for t in sorted(set(pairs["first_tag"]) | set(pairs["second_tag"])))
                  + ").",
                  f"Ratio second/first: median {pairs['ratio'].median():.3f}, "
                  f"p10 {pairs['ratio'].quantile(0.1):.3f}, p90 {pairs['ratio'].quantile(0.9):.3f}. "
                  f"Within 5%: {_fmt((r <= np.log(1.05)).mean(), True)}, "
                  f"within 10%: {_fmt((r <= np.log(1.10)).mean(), True)}, "
                  f"within 20%: {_fmt((r <= np.log(1.20)).mean(), True)}.", ""]
        g = pairs.groupby("family")
        lines += _table(["family", "pairs", "median ratio", "median abs change", "max abs change"],
                        [[str(f), str(len(d)), f"{d['ratio'].median():.3f}",
                          _fmt(float(np.expm1(d['abs_log_ratio'].median())), True),
                          _fmt(float(np.expm1(d['abs_log_ratio'].max())), True)]
                         for f, d in g])
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="SQLite store to read instead of the CSV exports")
    ap.add_argument("--csv", help="glob of CSV exports [data/measurements/*.csv]")
    ap.add_argument("-o", "--out", default=str(ROOT / "reports" / "measurement_noise.md"))
    args = ap.parse_args(argv)
    df = load_rows(args.db, args.csv)
    source = f"`{args.db}`" if args.db else f"`{args.csv or 'data/measurements/*.csv'}`"
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(df, source))
    print(f"wrote {out} ({len(df)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
