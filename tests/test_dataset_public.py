"""advisor.dataset on the real public data (skipped when ../shared/data/public is absent).

Kept to seconds: ncnn, MLPerf and OpenCV Zoo are imported whole; HELP on its first rows plus
the device columns of every file.
"""

from __future__ import annotations

import pandas as pd
import pytest

from advisor.dataset import devices, graph_for, schema
from advisor.dataset.importers import help as help_imp
from advisor.dataset.importers.mlperf import import_mlperf
from advisor.dataset.importers.ncnn import import_ncnn
from advisor.dataset.importers.opencv_zoo import import_opencv_zoo
from advisor.paths import public_data_dir

PUBLIC = public_data_dir()
pytestmark = pytest.mark.skipif(not (PUBLIC / "SOURCES.md").exists(),
                                reason=f"public data not found in {PUBLIC}")


@pytest.fixture(scope="module")
def dmap():
    return devices.load_map(), devices.load_kinds()


def _attach(rows, dmap):
    out, rej = devices.attach(rows, *dmap)
    unmapped = {k: v for k, v in rej.items() if k.startswith("device not in")}
    return out, rej, unmapped


def test_ncnn_real_coverage_and_graphs(dmap):
    from advisor.dataset.importers.ncnn import after_attach

    rows, rej = import_ncnn(PUBLIC)
    out, rej_dev, unmapped = _attach(rows, dmap)
    out, _ = after_attach(out)
    assert not unmapped, unmapped
    total = len(pd.read_csv(PUBLIC / "ncnn" / "benchmark.csv"))
    assert len(out) >= 0.95 * total
    table = schema.validate(out[list(schema.COLUMN_NAMES)], "ncnn")
    assert set(table.precision) == {"fp32", "int8", "fp16"}
    assert table.loc[table.runtime == "ncnn-vulkan", "threads"].isna().all()
    assert set(table.loc[table.runtime == "ncnn-vulkan", "kind"]) <= {"gpu", "soc-gpu"}
    for g in sorted(set(table.graph)):
        m = graph_for(g)
        assert len(m.graph.node) > 0, g


def test_mlperf_real_rows(dmap):
    rows, rej = import_mlperf(PUBLIC)
    out, rej_dev, unmapped = _attach(rows, dmap)
    assert not unmapped, unmapped
    table = schema.validate(out[list(schema.COLUMN_NAMES)], "mlperf")
    assert {"resnet50", "bert_large:seq_len=384"} <= set(table.graph)
    assert set(table.latency_stat) == {"mean", "offline_amortized"}
    # A100 SXM ResNet-50 offline: thousands of samples/s per GPU -> well under 1 ms per sample
    a100 = table[(table.graph == "resnet50") & (table.latency_stat == "offline_amortized")
                 & table.hw_id.str.startswith("a100")]
    assert len(a100) and a100.latency_ms.between(0.01, 1.0).all()
    for g in sorted(set(table.graph)):
        graph_for(g)


def test_opencv_zoo_real_rows(dmap):
    rows, rej = import_opencv_zoo(PUBLIC)
    out, _, unmapped = _attach(rows, dmap)
    assert not unmapped, unmapped
    assert set(out.graph) == {"mobilenet_v1", "mobilenet_v2", "resnet50"}
    assert sum(rej.values()) > 400  # the other models: precision ratios only


def test_help_real_head_and_devices(dmap):
    for space, file in help_imp.FILES.items():
        raw = pd.read_csv(PUBLIC / file, nrows=40)
        rows, rej = help_imp.frame_from_raw(raw, space, file)
        out, _, unmapped = _attach(rows, dmap)
        assert not unmapped, (file, unmapped)
        schema.validate(out[list(schema.COLUMN_NAMES)], file)
        measured = sum(1 for c in raw.columns[2:] if help_imp.split_column(c)[0] not in help_imp.SIMULATED)
        assert len(out) >= 0.9 * measured * len(raw)
        m = graph_for(out.graph.iloc[0], batch=int(out.batch.iloc[0]))
        assert len(m.graph.node) > 0
