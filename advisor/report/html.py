"""A self-contained HTML report: charts inlined as base64 PNG, inline CSS, no scripts, no URLs.

The file opens offline in any browser and can be mailed or attached to a ticket as is.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from advisor.atomic import write_text_atomically
from advisor.errors import AdvisorError
from advisor.report import charts
from advisor.report.data import ReportData, collect

SCHEMA = "advisor.report/1"

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1000px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85em;margin:.6em 0}th,td{padding:.25em .6em;border-bottom:1px solid #eee}
th{text-align:left;background:#f6f6f6}td.n{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.85em;color:#555}.muted{color:#666;font-size:.85em}ul.notes{font-size:.85em;color:#444}
"""


@dataclass
class Chart:
    """One rendered chart: a stable file stem, a title, a caption and its PNG bytes."""

    stem: str
    title: str
    caption: str
    png: bytes = field(repr=False)


def render_charts(data: ReportData) -> list[Chart]:
    """Draw every chart of ``data`` (roofline per device, options, breakdown, more compute)."""
    charts.require_matplotlib()
    out: list[Chart] = []
    if data.advice is not None:
        source = (f"the options of `advisor advise` against today's {data.advice.precision} on "
                  f"{data.advice.hw_id}")
        title = f"options vs today ({data.advice.precision} on {data.advice.hw_id}): latency and price"
    else:
        source, title = "every device at every precision", ""
    out.append(Chart("options", "Options", f"Predicted latency (median, whiskers = interval) and device "
                     f"price per option: {source}.", _png(charts.options(data.options, title, [k.hw_id for k in data.kernels]))))
    for pts in data.kernels:
        out.append(Chart(f"roofline-{_slug(pts.hw_id)}", f"Roofline: {pts.hw_name}",
                         f"Compute roofs per precision (bold: the one {pts.precision} kernels use) and "
                         f"the memory-bandwidth slope of {pts.hw_id}; each point is a fused kernel at "
                         f"its predicted speed, its area its share of the time.", _png(charts.roofline(pts))))
    if data.kernels:
        out.append(Chart("breakdown", "Where the time goes", "Share of predicted time per operator "
                         "type (kernels grouped by their anchor op) on each device.",
                         _png(charts.breakdown(data.kernels))))
    if data.curves:
        out.append(Chart("more-compute", "More compute", "Predicted speedup when every peak rate is "
                         "multiplied by 2, 4 and 8 with the same memory bandwidth: the gap to the "
                         "ideal line is the memory-bound and overhead time.",
                         _png(charts.more_compute(data.curves))))
    return out


def _png(fig) -> bytes:
    return charts.png_bytes(fig)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "device"


def _num(value: float, digits: int = 3) -> str:
    return f"{value:.{digits}g}" if value == value else "-"


def _pct(share: float) -> str:
    return f"{max(0.0, 100 * share):.0f}%"  # no "-0%" from rounding


def render_html(data: ReportData, chart_list: list[Chart] | None = None) -> str:
    """The whole report as one HTML string with every chart inlined."""
    chart_list = render_charts(data) if chart_list is None else chart_list
    esc = html.escape
    rows = []
    for p in data.predictions:
        rows.append("<tr>" + "".join([
            f"<td>{esc(p.hw_id)}</td>", f"<td>{esc(p.precision)}</td>",
            f"<td class=n>{_num(p.latency_ms)}</td>",
            f"<td class=n>{_num(p.interval_ms[0])}&ndash;{_num(p.interval_ms[1])}</td>",
            f"<td class=n>{_num(p.throughput)}</td>", f"<td class=n>{_num(p.roofline_ms)}</td>",
            f"<td class=n>{_pct(p.compute_share)} / {_pct(p.memory_share)} / "
            f"{_pct(p.overhead_share)}</td>", f"<td>{esc(p.basis)}</td>"]) + "</tr>")
    figures = "\n".join(
        f'<h2 id="{esc(c.stem)}">{esc(c.title)}</h2>\n<figure><img alt="{esc(c.title)}" '
        f'src="data:image/png;base64,{base64.b64encode(c.png).decode("ascii")}">'
        f"<figcaption>{esc(c.caption)}</figcaption></figure>" for c in chart_list)
    notes = "".join(f"<li>{esc(n)}</li>" for n in data.notes)
    advice = ""
    if data.advice is not None:
        rec = data.advice.recommendation
        headline = rec.label if rec else "keep today's setup"
        advice = (f'<h2 id="advice">Advice</h2>\n<p><b>{esc(headline)}'
                  f"</b>: {esc(data.advice.reason)}</p>\n<p class=muted>today: {esc(data.advice.precision)}"
                  f" on {esc(data.advice.hw_id)}, {esc(data.advice.bottleneck.regime)}</p>")
    when = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    title = f"advisor report: {Path(data.model).name}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{esc(SCHEMA)}">
<title>{esc(title)}</title><style>{_CSS}</style></head>
<body>
<h1>{esc(title)}</h1>
<p class=muted>batch {data.batch}; precisions {esc(", ".join(data.precisions))}; generated {when} by advisor
(latency predicted from the graph and the device's specification, not measured).</p>
<h2 id="summary">Predictions</h2>
<table><tr><th>device</th><th>precision</th><th>latency ms</th><th>interval ms</th><th>items/s</th>
<th>roofline ms</th><th>compute / memory / overhead</th><th>basis</th></tr>
{"".join(rows)}
</table>
{advice}
{figures}
<h2 id="notes">Notes</h2>
<ul class=notes>{notes}</ul>
</body></html>
"""


def build_report(model: str | os.PathLike, hw_ids, batch: int = 1, precisions=("fp32", "fp16", "int8"),
                 seq_len: int | None = None, dims: dict[str, int] | None = None,
                 models: str | None = None, out: str | os.PathLike | None = "report.html",
                 png_dir: str | os.PathLike | None = None) -> dict:
    """Compute, draw and write the report; returns a JSON-ready summary of what was written."""
    charts.require_matplotlib()
    data = collect(model, hw_ids, batch=batch, precisions=precisions, seq_len=seq_len, dims=dims,
                   models=models)
    chart_list = render_charts(data)
    written: dict = {"schema": SCHEMA, "model": str(model), "batch": batch,
                     "precisions": data.precisions, "hw_ids": [k.hw_id for k in data.kernels],
                     "options_source": data.options_source, "charts": [c.stem for c in chart_list],
                     "html": None, "png": []}
    if out is not None:
        path = Path(out)
        try:
            write_text_atomically(path, render_html(data, chart_list))
        except OSError as exc:
            raise AdvisorError(f"cannot write {path}: {exc.strerror or exc}") from None
        written["html"] = str(path)
    if png_dir is not None:
        folder = Path(png_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for c in chart_list:
                (folder / f"{c.stem}.png").write_bytes(c.png)
                written["png"].append(str(folder / f"{c.stem}.png"))
        except OSError as exc:
            raise AdvisorError(f"cannot write charts to {folder}: {exc.strerror or exc}") from None
    written["predictions"] = [{"hw_id": p.hw_id, "precision": p.precision, "latency_ms": p.latency_ms,
                               "interval_ms": list(p.interval_ms), "basis": p.basis}
                              for p in data.predictions]
    return written
