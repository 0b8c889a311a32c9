"""The whole hardware table: identity, units, provenance, precision ordering, public-data coverage."""

from __future__ import annotations

import csv
import re

import pytest

from advisor.hardware import PRECISIONS, check_hardware, get_hardware, load_table
from advisor.hardware.lookup import norm
from advisor.paths import data_dir, public_data_dir

TABLE = load_table()
BY_ID = {h.id: h for h in TABLE}


def test_size_and_kinds():
    assert len(TABLE) >= 150
    kinds = {h.kind for h in TABLE}
    assert kinds == {"cpu", "gpu", "npu", "soc-cpu", "soc-gpu"}


def test_unique_ids_and_aliases():
    ids = [h.id for h in TABLE]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9.+-]*", i) for i in ids), [i for i in ids if not re.fullmatch(r"[a-z0-9][a-z0-9.+-]*", i)]
    seen: dict[str, str] = {}
    for h in TABLE:
        for key in {h.id, *(a.lower() for a in h.aliases)}:
            assert key not in seen or seen[key] == h.id, f"{key!r} names both {seen.get(key)} and {h.id}"
            seen[key] = h.id
    # an alias must not equal another device's id once normalised either
    normed = {norm(h.id): h.id for h in TABLE}
    for h in TABLE:
        for a in h.aliases:
            other = normed.get(norm(a))
            assert other in (None, h.id), f"alias {a!r} of {h.id} normalises to id {other}"


@pytest.mark.parametrize("hw", TABLE, ids=lambda h: h.id)
def test_row_is_sound(hw):
    assert check_hardware(hw) == []
    assert hw.source and len(hw.source) > 15
    assert any(hw.peak_tflops(p) for p in PRECISIONS) or "not published" in hw.source


def test_units_in_range():
    for h in TABLE:
        if h.mem_bw_gbs is not None:
            lo = 1 if h.kind in ("cpu", "soc-cpu", "soc-gpu", "npu") else 50
            assert lo <= h.mem_bw_gbs <= 10000, h.id
        for p in PRECISIONS:
            v = h.peak_tflops(p)
            assert v is None or v > 0, (h.id, p)  # empty, never zero
        if h.kind == "gpu" and h.vendor == "NVIDIA" and h.peak_tflops("fp32"):
            assert 1 < h.peak_tflops("fp32") < 200, h.id


def test_cpu_rows_state_their_formula():
    for h in TABLE:
        if h.kind in ("cpu", "soc-cpu"):
            assert "cores x GHz x fp32 FLOPs/cycle" in h.source, h.id
            m = re.search(r"= ([\d.]+) GFLOPS", h.source)
            assert m and abs(float(m.group(1)) / 1000 - h.peak_tflops("fp32")) / h.peak_tflops("fp32") < 0.01, h.id


def test_cpu_clusters_add_up_to_the_peak():
    """Rows whose cores differ list them; the clusters' cores and rates add up to the row's
    core count and fp32 peak (the roofline gives threads the fastest cores first)."""
    uneven = [h for h in TABLE if h.clusters]
    assert {"rk3588", "apple-m1", "core-i7-12700k", "snapdragon-888"} <= {h.id for h in uneven}
    assert not get_hardware("jetson-agx-orin-cpu").clusters     # 12 alike Cortex-A78AE
    for h in uneven:
        assert h.is_cpu and len(set(h.core_gflops())) > 1, h.id
        assert len(h.core_gflops()) == h.compute_units, h.id
        assert sum(h.core_gflops()) / 1000 == pytest.approx(h.peak_tflops("fp32"), rel=0.01), h.id


def test_precision_ordering_by_family():
    for h in TABLE:
        fp32, fp16, bf16, i8, fp8, i4 = (h.peak_tflops(p) for p in PRECISIONS)
        if h.matrix_units and h.kind in ("gpu", "soc-gpu", "npu") and fp32 and fp16:
            assert fp16 >= fp32, h.id  # tensor/matrix units: fp16 never slower than fp32
        if h.matrix_units and fp16 and i8 and h.arch != "volta":  # Volta tensor cores take fp16 only
            assert i8 >= 0.99 * fp16, h.id
        if fp8 and fp16:
            assert fp8 >= fp16, h.id
        if i4 and i8:
            assert i4 >= i8, h.id
        if h.vendor == "NVIDIA" and h.arch in ("ampere-ga100", "hopper") and bf16:
            assert bf16 == fp16, h.id
        if h.kind in ("cpu", "soc-cpu") and i8 and fp32:
            assert 1.9 <= i8 / fp32 <= 33, h.id  # 2x (no dot-product) .. 32x (AMX)


def test_anchor_values():
    """A few datasheet figures everyone knows, to catch a broken build script."""
    a100 = get_hardware("a100")
    assert a100.peak_tflops("fp16") == pytest.approx(312, rel=0.01)
    assert a100.peak_tflops("int8") == pytest.approx(624, rel=0.01)
    assert get_hardware("h100 sxm").peak_tflops("fp8") == pytest.approx(1979, rel=0.01)
    assert get_hardware("t4").peak_tflops("int8") == pytest.approx(130, rel=0.01)
    assert get_hardware("RTX 4090").peak_tflops("fp16") == pytest.approx(330, rel=0.01)
    assert get_hardware("rtx-4090").peak_tflops("bf16") == pytest.approx(165, rel=0.01)
    assert get_hardware("gtx-1080-ti").peak_tflops("fp16") < 0.5  # GP102: fp16 at 1/64 rate
    assert get_hardware("rpi4").peak_tflops("fp16") is None  # Cortex-A72 has no fp16 arithmetic
    assert get_hardware("epyc-7742").peak_tflops("fp32") == pytest.approx(64 * 3.4 * 32 / 1000, rel=0.01)
    assert get_hardware("xeon-platinum-8480").peak_tflops("int8") == pytest.approx(56 * 3.8 * 2048 / 1000, rel=0.01)


def test_buyer_list_covered():
    for q in ["v100", "t4", "a10", "a30", "a40", "a100 pcie", "a100", "l4", "l40s", "h100 pcie", "h100 sxm",
              "h200", "h20", "b200", "gtx 1080 ti", "rtx 2080 ti", "rtx 3090", "rtx 4090", "rtx 5090",
              "rtx a6000", "rtx 6000 ada", "jetson nano", "jetson agx orin", "mi300x", "rx 7900 xtx",
              "arc a770", "gaudi2", "tpu v5e", "m1", "m4", "m2 gpu", "xeon 6980p", "epyc 9654",
              "epyc 9755", "graviton2", "graviton3", "graviton4", "altra", "kunpeng 920", "rpi3", "rpi4",
              "rpi5", "rk3399", "rk3588", "snapdragon 888", "dimensity 9300", "kirin 970", "h616", "s922x"]:
        get_hardware(q)


def _public_device_map() -> list[dict]:
    with open(data_dir() / "public_device_map.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def test_device_map_ids_exist_and_exclusions_explained():
    for r in _public_device_map():
        assert r["match"] in ("exact", "uncertain", "excluded"), r
        if r["match"] == "excluded":
            assert not r["hw_id"] and r["notes"], r
        else:
            assert r["hw_id"] in BY_ID, r
        if r["match"] == "uncertain":
            assert r["notes"] or r["source"] == "mlperf", r


def test_every_public_device_resolves():
    pub = public_data_dir()
    if not pub.exists():
        pytest.skip(f"public data not found at {pub}")
    mapped = {(r["source"], r["device_string"], r["role"]) for r in _public_device_map()}
    missing = []
    with open(pub / "ncnn" / "benchmark.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            g = r["gpu_device"]
            role = "cpu" if g == "-1" else (f"gpu{g}" if g else "gpu")
            if ("ncnn", r["device"], role) not in mapped:
                missing.append(("ncnn", r["device"], role))
    for f in ("nasbench201", "fbnet", "ofa"):
        with open(pub / "help" / f"{f}_latency.csv", newline="") as fh:
            header = next(csv.reader(fh))
        for col in header[2:]:
            base = re.sub(r"_(1|32|64|256)$", "", col)
            if not any(("help", c, "device") in mapped for c in (col, base)):
                missing.append(("help", col))
    with open(pub / "opencv_zoo" / "benchmark.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            role = {"CPU": "cpu", "CUDA": "gpu", "FP16": "gpu", "NPU": "npu"}[r["target"].split("_")[-1]]
            if ("opencv_zoo", r["device"], role) not in mapped:
                missing.append(("opencv_zoo", r["device"], role))
    with open(pub / "mlperf" / "results_v1.0-v4.1.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            if ("mlperf", r["sys_accelerator_model_name"], "accelerator") not in mapped:
                missing.append(("mlperf", r["sys_accelerator_model_name"]))
            if ("mlperf", r["sys_host_processor_model_name"], "host_cpu") not in mapped:
                missing.append(("mlperf", r["sys_host_processor_model_name"]))
    assert not sorted(set(missing)), sorted(set(missing))[:20]
