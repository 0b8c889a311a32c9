"""Pictures and reports: roofline, options, breakdown and more-compute charts, and an HTML page.

    from advisor.report import build_report
    build_report("model.onnx", ["a100", "t4"], out="report.html", png_dir="charts/")
"""

from advisor.report.data import ReportData, collect
from advisor.report.html import build_report, render_html

__all__ = ["ReportData", "build_report", "collect", "render_html"]
