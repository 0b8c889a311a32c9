"""Lookup, user spec files, host detection, the probe and the `advisor hw` commands."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from advisor.cli import main
from advisor.errors import InputError
from advisor.hardware import get_hardware, nearest_ids
from advisor.hardware.host import (detect_host, detect_llc_mib, isa_from_flags, local_hardware,
                                  parse_cache_size_mib, parse_cpuinfo, parse_meminfo)


@pytest.mark.parametrize("query,expected", [
    ("a100", "a100-sxm4-80gb"), ("A100-SXM4-80GB", "a100-sxm4-80gb"), ("RTX 4090", "rtx-4090"),
    ("NVIDIA GeForce RTX 4090", "rtx-4090"), ("rpi4", "rpi4"), ("Raspberry Pi 4", "rpi4"),
    ("raspi4", "rpi4"), ("h100", "h100-sxm"), ("Tesla T4", "t4"), ("gold_6226", "xeon-gold-6226"),
])
def test_lookup_by_id_alias_loose_name(query, expected):
    assert get_hardware(query).id == expected


def test_ambiguous_lists_candidates():
    with pytest.raises(InputError, match="ambiguous") as exc:
        get_hardware("jetson orin")
    assert "jetson-agx-orin-gpu" in str(exc.value) and "jetson-orin-nx-gpu" in str(exc.value)


def test_unknown_suggests_nearest():
    with pytest.raises(InputError, match="unknown hardware") as exc:
        get_hardware("rtx 4091")
    assert "rtx-4090" in str(exc.value)
    assert "rtx-4090" in nearest_ids("rtx4091")


def test_peak_tflops_rejects_unknown_precision():
    with pytest.raises(InputError):
        get_hardware("a100").peak_tflops("fp128")
    assert get_hardware("a100").peak_tflops("int4-weight") == get_hardware("a100").peak_tflops("int4")


GOOD = {"id": "my-board", "name": "My board", "kind": "gpu", "mem_bw_gbs": 100,
        "peaks": {"fp32": 10, "fp16": 40}, "matrix_units": "tensor", "source": "test"}


def _write(tmp_path, data, suffix=".yaml"):
    import yaml

    p = tmp_path / f"dev{suffix}"
    p.write_text(yaml.safe_dump(data) if suffix != ".json" else json.dumps(data))
    return str(p)


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_spec_file_roundtrip(tmp_path, suffix):
    hw = get_hardware(_write(tmp_path, GOOD, suffix))
    assert hw.id == "my-board" and hw.peak_tflops("fp16") == 40 and hw.peak_tflops("int8") is None


@pytest.mark.parametrize("change,message", [
    ({"mem_bw_gbs": -5}, "mem_bw_gbs must be positive"),
    ({"mem_bw_gbs": None}, "missing required field"),
    ({"kind": None}, "missing required field"),
    ({"kind": "tpu"}, "kind 'tpu'"),
    ({"peaks": {"fp32": 10, "fp16": 5}}, "fp16 peak 5.0 is below fp32"),
    ({"peaks": {}}, "at least one peak"),
    ({"peaks": {"fp32": 0}}, "must be positive"),
    ({"peaks": {"fp33": 1}}, "unknown precision"),
    ({"boost_clock_ghz": 1500}, "plausible range"),
    ({"bandwidth": 3}, "unknown field"),
    ({"mem_bw_gbs": "fast"}, "not a number"),
    ({"clusters": "4@2.5x12+4", "compute_units": 8}, "not 'cores@GHz x fp32 FLOPs per cycle'"),
    ({"clusters": "4@2.5+4@1x8", "compute_units": 8}, "not 'cores@GHz x fp32 FLOPs per cycle'"),
    ({"clusters": "4@2.5x12+0@1x8", "compute_units": 4}, "at least one core"),
    ({"clusters": "4@2500x12", "compute_units": 4}, "a clock up to 7 GHz"),
    ({"clusters": "4@2.5x12+4@1x8", "compute_units": 6}, "clusters count 8 cores but compute_units is 6"),
    ({"clusters": "2@2.5x16+2@1.25x8", "compute_units": 4},
     "clusters add up to 100 GFLOPS but the fp32 peak is 10000"),
])
def test_spec_file_errors(tmp_path, change, message):
    data = {**GOOD, **change}
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(InputError, match=message):
        get_hardware(_write(tmp_path, data))


def test_spec_file_clusters_give_each_core_its_rate(tmp_path):
    hw = get_hardware(_write(tmp_path, {**GOOD, "kind": "soc-cpu", "compute_units": 6,
                                        "clusters": "2@2.5x16+4@1.25x10",
                                        "peaks": {"fp32": 0.13}}))
    assert hw.core_gflops() == (40, 40, 12.5, 12.5, 12.5, 12.5)
    assert hw.big_cores() == 2   # ncnn's rule: clocked at least midway (1.875 GHz)
    assert get_hardware(_write(tmp_path, GOOD)).core_gflops() == ()


def test_spec_file_missing_and_unparsable(tmp_path):
    with pytest.raises(InputError, match="not found"):
        get_hardware(str(tmp_path / "nope.yaml"))
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(InputError, match="cannot parse"):
        get_hardware(str(bad))


def test_parse_cpuinfo_x86_and_arm():
    x86 = ("processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Platinum 8480+\n"
           "physical id\t: 0\ncore id\t: 0\nflags\t\t: fpu avx2 fma avx512f avx512_vnni amx_tile amx_int8 amx_bf16\n\n"
           "processor\t: 1\nphysical id\t: 0\ncore id\t: 0\n\n")
    info = parse_cpuinfo(x86)
    assert info["logical"] == 2 and info["physical"] == 1 and "Platinum 8480" in info["model"]
    assert {"avx2", "avx512", "vnni", "amx"} <= set(isa_from_flags(info["flags"]))
    arm = "processor\t: 0\nFeatures\t: fp asimd asimdhp asimddp\nCPU implementer\t: 0x41\nCPU part\t: 0xd0b\n\n"
    a = parse_cpuinfo(arm)
    assert a["model"] == "Arm implementer 0x41 part 0xd0b"
    assert set(isa_from_flags(a["flags"])) == {"neon", "fp16", "dotprod"}
    assert parse_meminfo("MemTotal:       16384000 kB\n") == pytest.approx(15.625)


def test_last_level_cache_is_the_highest_cache_level_in_sysfs(tmp_path):
    for index, level, size in (("index0", "1", "32K"), ("index2", "2", "1024K"), ("index3", "3", "32768K")):
        (tmp_path / index).mkdir()
        (tmp_path / index / "level").write_text(level + "\n")
        (tmp_path / index / "size").write_text(size + "\n")
    assert detect_llc_mib(str(tmp_path)) == pytest.approx(32.0)
    assert parse_cache_size_mib("8M") == 8.0 and parse_cache_size_mib("512K") == 0.5
    assert parse_cache_size_mib("") is None and parse_cache_size_mib("lots") is None
    assert detect_llc_mib(str(tmp_path / "absent")) is None


def test_detect_this_host(unmeasured_host):
    host = detect_host()
    assert host.logical_cpus >= 1 and 1 <= host.physical_cores <= host.logical_cpus
    assert host.mem_gb and host.mem_gb > 0.5
    assert len(host.fingerprint) == 12
    if host.arch == "x86_64":
        assert "avx2" in host.isa or "avx512" in host.isa or not host.flags_raw
    hw = get_hardware("local")
    assert hw.id == "local" and hw.kind == "cpu" and hw.peak_tflops("fp32") > 0
    assert "cores x" in hw.source and hw.confidence == "derived"
    assert hw.llc_mb == host.llc_mb        # the cache size the features compare weights against


def test_probe_quick_measures_something(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE", str(tmp_path))
    from advisor.hardware.probe import gemm_numpy, gemm_onnxruntime, mem_bandwidth

    assert gemm_numpy("float32", n=128, min_time=0.01, repeats=2) > 0.1
    i8 = gemm_onnxruntime("int8", n=128, min_time=0.01, repeats=2, threads=1)
    assert i8 is None or i8 > 0.1
    assert mem_bandwidth(mb=8, min_time=0.01, repeats=2) > 0.1


class _FakeClock:
    """A perf_counter that only moves when a kernel "runs": timings exact under any load."""

    def __init__(self):
        self.now = 0.0

    def perf_counter(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def fake_clock(monkeypatch):
    import advisor.hardware.probe as probe
    clock = _FakeClock()
    monkeypatch.setattr(probe, "time", clock)
    return clock


def test_probe_interleaves_metrics_and_keeps_the_best_window(fake_clock):
    from advisor.hardware.probe import interleaved_best

    calls = []
    delays = {"a": [0.02, 0.005, 0.02], "b": [0.004, 0.004, 0.004]}

    def kernel(name):
        def fn():
            calls.append(name)
            seq = delays[name]
            fake_clock.sleep(seq[min(len(calls) // 2, 2)] if name == "a" else seq[0])
        return fn, 1e7                 # 1e7 units of work per call

    rates = interleaved_best({"a": kernel("a"), "b": kernel("b"), "none": None},
                             min_time=0.0, rounds=3)
    assert rates["none"] is None
    # rounds alternate a, b, a, b ... after one warm-up call of each
    assert calls[:2] == ["a", "b"] and calls[2:] == ["a", "b"] * 3
    # the best (fastest) window wins: 1e7 / 0.005 s / 1e9 = 2.0 for a (slow rounds ignored)
    assert rates["a"] == pytest.approx(2.0)
    assert rates["b"] == pytest.approx(2.5)


def test_probe_samples_keep_every_round_in_order(fake_clock):
    from advisor.hardware.probe import interleaved_samples

    delays = iter([0.0, 0.01, 0.002, 0.004])   # warm-up, then three timed rounds

    def fn():
        fake_clock.sleep(next(delays, 0.004))

    got = interleaved_samples({"k": (fn, 1e7), "none": None}, min_time=0.0, rounds=3)
    assert got["none"] is None and len(got["k"]) == 3
    # 1e7 work / seconds / 1e9: the 10 ms round is the slowest, the 2 ms one the fastest
    assert got["k"] == pytest.approx([1.0, 5.0, 2.5])


def test_probe_takes_the_best_process_per_metric():
    from advisor.hardware.probe import combine_processes

    got = combine_processes([{"fp32": 150.0, "int8": None, "copy": 30.0},
                             {"fp32": 170.0, "int8": None, "copy": 28.0}])
    assert got == {"fp32": 170.0, "int8": None, "copy": 30.0}


def test_cli_list_show_and_errors(unmeasured_host):
    r = CliRunner().invoke(main, ["hw", "list", "--kind", "npu", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["schema"] == "advisor.hw.list/1"
    rows = data["devices"]
    assert rows and data["count"] == len(rows) and all(x["kind"] == "npu" for x in rows)
    r = CliRunner().invoke(main, ["hw", "show", "a100"])
    assert r.exit_code == 0 and "a100-sxm4-80gb" in r.output and "int8 624" in r.output
    r = CliRunner().invoke(main, ["hw", "show", "rtx 4091"])
    assert r.exit_code == 2 and "nearest ids" in r.output
    r = CliRunner().invoke(main, ["hw", "show", "local", "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["id"] == "local"


def test_cli_probe_uses_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE", str(tmp_path))
    from advisor.hardware.probe import cache_path

    host = detect_host()
    fake = {"host": host.to_dict(), "when": "2026-01-01T00:00:00+00:00", "gemm_n": 1024, "probe_version": 2,
            "gflops": {"fp32": 50.0, "fp64": 25.0, "fp16": None, "int8": 80.0}, "mem_bw_gbs": 20.0}
    cache_path(host).write_text(json.dumps(fake))
    r = CliRunner().invoke(main, ["hw", "probe", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["cached"] is True and out["gflops"]["fp32"] == 50.0
    assert local_hardware(host).mem_bw_gbs == 20.0


def test_measured_clock_floor_is_the_clock_every_gemm_fits_under():
    from advisor.hardware.host import measured_clock_floor
    rates = {"fp32": 64, "int8": 256}
    # 2 cores: fp32 492 GFLOPS needs 3.84 GHz, int8 1,489 GOPS 2.91 GHz
    assert measured_clock_floor({"fp32": 492.0, "fp64": 112.0, "int8": 1489.0}, rates, 2) == \
        pytest.approx((3.84375, "fp32"))
    assert measured_clock_floor({"fp32": 100.0, "int8": 1489.0}, rates, 2)[1] == "int8"
    assert measured_clock_floor({"fp16": 300.0, "fp32": None}, rates, 2) is None


def _cache_probe(host, gflops: dict, version: int = 2) -> None:
    from advisor.hardware.probe import cache_path
    cache_path(host).write_text(json.dumps({
        "host": host.to_dict(), "when": "2026-01-01T00:00:00+00:00", "gemm_n": 1024,
        "probe_version": version, "gflops": gflops, "mem_bw_gbs": 20.0}))


def test_cli_probe_says_when_a_gemm_beats_the_formula_peak(tmp_path, monkeypatch, unmeasured_host):
    """A GEMM faster than the formula peak proves the reported clock too low: say so, with the
    clock the measurement implies."""
    monkeypatch.setenv("ADVISOR_CACHE", str(tmp_path))
    from advisor.hardware.host import per_core_rates
    host = detect_host()
    local = local_hardware(host)
    fp32_rate = per_core_rates(host)[1]["fp32"]
    fast = 1.5 * local.peak_tflops("fp32") * 1000            # GFLOPS at 1.5x the formula peak
    _cache_probe(host, {"fp32": fast, "fp64": None, "fp16": None, "int8": None})
    out = json.loads(CliRunner().invoke(main, ["hw", "probe", "--json"]).output)
    assert out["clock_floor_ghz"] == pytest.approx(fast / (host.physical_cores * fp32_rate), rel=1e-3)
    assert out["clock_floor_ghz"] == pytest.approx(1.5 * local.boost_clock_ghz, rel=1e-2)
    text = CliRunner().invoke(main, ["hw", "probe"]).output
    assert "fp32 GEMM ran above its formula peak" in text and "1.50x" in text
    from tests.conftest import as_host
    as_host(monkeypatch, "3bb5137b8fef")            # on a measurement host, 'local' is its spec file
    text = CliRunner().invoke(main, ["hw", "probe"]).output
    assert "`--hw local` here is host-3bb5137b8fef" in text and "1.50x" not in text
    _cache_probe(host, {"fp32": 0.5 * fast, "fp64": None, "fp16": None, "int8": None})
    assert json.loads(CliRunner().invoke(main, ["hw", "probe", "--json"]).output)["clock_floor_ghz"] is None
    assert "formula peak, so" not in CliRunner().invoke(main, ["hw", "probe"]).output


def test_probe_measures_again_over_a_cached_result_of_an_older_version(tmp_path, monkeypatch):
    """Version 1 timed fp32 through numpy: its cached GEMM figures are not today's probe."""
    monkeypatch.setenv("ADVISOR_CACHE", str(tmp_path))
    from advisor.hardware.probe import PROBE_VERSION, cached_probe, run_probe
    host = detect_host()
    _cache_probe(host, {"fp32": 1.0}, version=1)
    fresh = run_probe(quick=True, use_cache=True, host=host)
    assert fresh["cached"] is False and fresh["probe_version"] == PROBE_VERSION
    assert fresh["gflops"]["fp32"] > 1.0
    assert cached_probe(host)["mem_bw_gbs"] == 20.0           # the old bandwidth still serves --hw local
    _cache_probe(host, {"fp32": 1.0}, version=PROBE_VERSION)
    assert run_probe(quick=True, use_cache=True, host=host)["cached"] is True
