"""advisor.dataset on small synthetic CSVs: schema validation, each importer, device map, build, CLI."""

from __future__ import annotations

import gzip
import json
import math

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from advisor.dataset import devices, graph_for, schema
from advisor.dataset.build import collect, has_pyarrow, output_format, write_table
from advisor.dataset.importers import help as help_imp
from advisor.dataset.importers import mlperf as mlperf_imp
from advisor.dataset.importers import ncnn as ncnn_imp
from advisor.dataset.importers import opencv_zoo as ocv_imp
from advisor.errors import InputError
from advisor.zoo.registry import parse_recipe, recipe_of

NB_CONN = "|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|nor_conv_1x1~0|none~1|avg_pool_3x3~2|"
NB_DISC = "|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|none~2|"
FB = ["k5_e6", "skip", "k3_e1_g2", "skip", "k5_e1", "skip", "skip", "skip", "k5_e6", "k5_e1", "k3_e1_g2",
      "k5_e1", "k5_e6", "k3_e6", "k3_e3", "k5_e6", "k3_e6", "k3_e3", "k5_e1", "k3_e3", "k5_e1", "k5_e1_g2"]
OFA = {"ks": [7, 5, 5, 5, 7, 7, 5, 7, 5, 7, 3, 7, 5, 3, 7, 3, 5, 3, 5, 3],
       "e": [6, 4, 4, 6, 6, 3, 4, 3, 3, 6, 3, 3, 3, 6, 3, 4, 6, 4, 3, 6], "d": [2, 2, 2, 2, 3], "r": 64}


def good_row(**kw) -> dict:
    row = dict(source="ncnn", source_ref="ncnn/benchmark.csv:2", graph="ncnn:resnet18", family="resnet",
               hw_id="rpi4", device_string="Raspberry Pi 4", kind="soc-cpu", precision="fp32", batch=1,
               threads=4, runtime="ncnn", latency_ms=12.5, latency_stat="avg", powersave=0,
               date=None, version=None, precision_note=None)
    row.update(kw)
    return row


# ------------------------------------------------------------------ schema
def test_schema_accepts_good_rows_and_conforms_dtypes():
    df = pd.DataFrame([good_row(), good_row(source_ref="x:3", threads=None, kind="gpu")])
    out = schema.validate(df, "t.csv")
    assert list(out.columns) == list(schema.COLUMN_NAMES)
    assert out["batch"].dtype == np.int64 and out["latency_ms"].dtype == np.float64
    assert math.isnan(out["threads"][1])


@pytest.mark.parametrize("field,value,needle", [
    ("latency_ms", float("nan"), "required field 'latency_ms' is empty or NaN"),
    ("latency_ms", -3.0, "field 'latency_ms' must be > 0"),
    ("latency_ms", float("inf"), "field 'latency_ms' is infinite"),
    ("latency_ms", "fast", "field 'latency_ms' is not a number"),
    ("batch", 1.5, "field 'batch' must be an integer"),
    ("precision", "fp64", "field 'precision' = 'fp64' is not one of"),
    ("kind", "tpu", "field 'kind' = 'tpu'"),
    ("hw_id", None, "required field 'hw_id' is empty"),
])
def test_schema_errors_name_file_row_and_field(field, value, needle):
    df = pd.DataFrame([good_row(), good_row(source_ref="r:3", **{field: value})])
    with pytest.raises(InputError) as exc:
        schema.validate(df, "table.csv")
    msg = str(exc.value)
    assert "table.csv" in msg and "row(s) 3" in msg and needle in msg


def test_schema_duplicates_and_missing_columns():
    df = pd.DataFrame([good_row(), good_row()])
    with pytest.raises(InputError, match="duplicate of an earlier row"):
        schema.validate(df, "d.csv")
    with pytest.raises(InputError, match="missing column"):
        schema.validate(pd.DataFrame([good_row()]).drop(columns=["graph"]), "m.csv")


def test_read_table_roundtrip(tmp_path):
    p = tmp_path / "t.csv.gz"
    write_table(schema.validate(pd.DataFrame([good_row(), good_row(source_ref="x:9")])), p)
    back = schema.read_table(p)
    assert len(back) == 2 and back["graph"][0] == "ncnn:resnet18"
    bad = tmp_path / "bad.csv"
    pd.DataFrame([good_row(latency_ms=-1)]).to_csv(bad, index=False)
    with pytest.raises(InputError, match=r"bad.csv: row\(s\) 2: field 'latency_ms'"):
        schema.read_table(bad)


# ------------------------------------------------------------------ ncnn
NCNN_CSV = """device,num_threads,powersave,gpu_device,vulkan_gpu_name,model,precision,min_ms,max_ms,avg_ms
Board A (Cortex-A72 x 4),4,0,-1,,resnet18,fp32(bf16/fp16 storage may apply),10,12,11
Board A (Cortex-A72 x 4),4,0,-1,,resnet18,int8,7,9,8
Board A (Cortex-A72 x 4),4,0,-1,,resnet18,int8,7,9,8
Board A (Cortex-A72 x 4),1,0,0,Mali-G52,resnet18,fp16/fp32-vulkan,20,22,21
Board A (Cortex-A72 x 4),1,0,0,Mali-G52,resnet18,int8,30,32,31
Old board,1,0,,,squeezenet-int8,fp32(bf16/fp16 storage may apply),5,6,5.5
Old board,1,0,,,mobilenet-ssd,fp32(bf16/fp16 storage may apply),5,6,5.5
Old board,1,0,,,mobilenet_yolov3,fp32(bf16/fp16 storage may apply),5,6,5.5
Desktop[2023-10-12],8,0,-1,,resnet18,fp32(bf16/fp16 storage may apply),0,0,0
"""


def _ncnn_public(tmp_path):
    (tmp_path / "ncnn" / "models").mkdir(parents=True)
    for m in ("resnet18", "resnet18_int8", "squeezenet", "squeezenet_int8", "mobilenet_ssd"):
        (tmp_path / "ncnn" / "models" / f"{m}.param").write_text("7767517\n0 0\n")
    (tmp_path / "ncnn" / "benchmark.csv").write_text(NCNN_CSV)
    return tmp_path


def test_ncnn_importer(tmp_path):
    rows, rej = ncnn_imp.import_ncnn(_ncnn_public(tmp_path))
    by = rows.set_index("source_ref")
    assert len(rows) == 6
    cpu = by.loc["ncnn/benchmark.csv:2"]
    assert (cpu.graph, cpu.precision, cpu.runtime, cpu.threads, cpu.latency_ms, cpu.latency_stat) == \
        ("ncnn:resnet18", "fp32", "ncnn", 4, 11, "avg")
    assert "storage" in cpu.precision_note and cpu._map_role == "cpu"
    assert by.loc["ncnn/benchmark.csv:3"].graph == "ncnn:resnet18_int8"
    vk = by.loc["ncnn/benchmark.csv:5"]
    assert (vk.precision, vk.runtime, vk._map_role) == ("fp16", "ncnn-vulkan", "gpu0")
    assert math.isnan(vk.threads) and "Vulkan" in vk.precision_note
    int8_gpu_table = by.loc["ncnn/benchmark.csv:6"]  # int8 in a Vulkan table ran on the CPU
    assert (int8_gpu_table.runtime, int8_gpu_table.precision, int8_gpu_table.threads) == ("ncnn", "int8", 1)
    assert int8_gpu_table._map_role == "cpu|gpu0"
    old = by.loc["ncnn/benchmark.csv:7"]
    assert (old.graph, old.precision, old._map_role) == ("ncnn:squeezenet_int8", "int8", "cpu|gpu")
    assert by.loc["ncnn/benchmark.csv:8"].graph == "ncnn:mobilenet_ssd"
    assert rej["duplicate line (identical settings and timings)"] == 1
    assert rej["no .param file for model 'mobilenet_yolov3' (name not in the benchmark set)"] == 1
    assert rej["avg_ms missing, non-finite or <= 0"] == 1


# ------------------------------------------------------------------ HELP
def test_help_columns_and_connectivity():
    assert help_imp.split_column("titan_rtx_256") == ("titan_rtx", 256)
    assert help_imp.split_column("essential_ph_1") == ("essential_ph_1", 1)
    assert help_imp.split_column("gold_6226") == ("gold_6226", 1)
    assert help_imp.nb201_connected(NB_CONN) and not help_imp.nb201_connected(NB_DISC)


def test_help_importer_nasbench201(tmp_path):
    raw = pd.DataFrame({"arch_index": [0, 1], "arch_str": [NB_CONN, NB_DISC], "1080ti_1": [9.0, 8.0],
                        "1080ti_32": [10.0, 9.5], "essential_ph_1": [14, 9], "eyeriss": [3.0, 3.1],
                        "pixel3": [10.0, 0.004]})
    p = tmp_path / "nb.csv"
    raw.to_csv(p, index=False)
    rows, rej = help_imp.import_help_file(p, "nasbench201", "help/nasbench201_latency.csv")
    assert rej["simulated device (eyeriss/fpga), not a measurement"] == 2
    assert sum(v for k, v in rej.items() if "folds" in k) == 1
    assert len(rows) == 2 * 4 - 1
    r = rows.set_index("source_ref").loc["help/nasbench201_latency.csv:2:1080ti_32"]
    assert (r.device_string, r.batch, r.runtime, r.latency_ms) == ("1080ti", 32, "pytorch", 10.0)
    assert rows.set_index("source_ref").loc["help/nasbench201_latency.csv:2:essential_ph_1"].runtime == "tflite"
    name, opts = parse_recipe(r.graph)
    assert name == "nasbench201" and opts["arch_str"] == NB_CONN


def test_help_graph_strings_round_trip_through_the_zoo():
    fb = pd.DataFrame({"arch_index": [0], "arch": [json.dumps(FB)], "2080ti_64": [8.0], "pixel2": [30]})
    rows, _ = help_imp.frame_from_raw(fb, "fbnet", "help/fbnet_latency.csv")
    assert rows.graph[0] == "fbnet:arch=" + "-".join(FB)
    assert set(rows.batch) == {64, 1}
    model = graph_for(rows.graph[0])
    assert recipe_of(model).startswith("fbnet:arch=k5_e6-skip")
    of = pd.DataFrame({"arch_index": [0], "arch": [json.dumps(OFA)], "v100_1": [7.0]})
    rows, _ = help_imp.frame_from_raw(of, "ofa", "help/ofa_latency.csv")
    assert rows.graph[0].startswith("ofa:arch=r64k7555")
    m = graph_for(rows.graph[0], batch=2)
    dims = [d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim]
    assert dims == [2, 3, 64, 64]
    nb = graph_for(f"nasbench201:arch_str={NB_CONN}")
    assert [d.dim_value for d in nb.graph.input[0].type.tensor_type.shape.dim] == [1, 3, 32, 32]


# ------------------------------------------------------------------ MLPerf
def _mlperf_row(**kw) -> dict:
    row = {"version": "v2.1", "division": "closed", "submitter": "X", "system": "sys", "benchmark": "resnet50",
           "scenario": "Offline", "Samples per second": 32000.0, "Tokens per second": None,
           "Scheduled samples per second": None, "Completed samples per second": None,
           "90th percentile latency (ns)": None, "99th percentile latency (ns)": None,
           "Mean latency (ns)": 5_000_000, "Min latency (ns)": 1, "50.00 percentile latency (ns)": 1,
           "90.00 percentile latency (ns)": 6_000_000, "99.00 percentile latency (ns)": 1,
           "Result is": "VALID", "Scenario": "Offline", "weight_data_types": "int8",
           "input_data_types": "int8", "sys_accelerator_model_name": "NVIDIA A100-SXM-80GB",
           "sys_accelerators_per_node": "8", "sys_accelerator_memory_capacity": "80 GB",
           "sys_host_processor_model_name": "AMD EPYC 7742", "sys_host_processors_per_node": 2,
           "sys_host_processor_core_count": "64", "sys_host_memory_capacity": "1 TB",
           "sys_framework": "TensorRT 8.4.0, CUDA 11.6", "sys_system_type": "datacenter",
           "sys_status": "available", "sys_number_of_nodes": 2, "path": "closed/X/results/p"}
    row.update(kw)
    return row


def test_mlperf_importer():
    raw = pd.DataFrame([
        _mlperf_row(),                                                       # 2 offline, 16 GPUs
        _mlperf_row(scenario="SingleStream", Scenario="SingleStream", path="q"),  # 3
        _mlperf_row(scenario="Server", Scenario="Server", path="s"),         # 4 rejected
        _mlperf_row(benchmark="retinanet", path="r"),                        # 5 not in zoo
        _mlperf_row(benchmark="mobilenet-v1-0.25-128-quantized", scenario="offline",
                    Scenario="SingleStream", weight_data_types="fp32", sys_accelerators_per_node="0",
                    sys_accelerator_model_name="-", sys_framework="TFLite v2.7.1 (ruy)",
                    sys_host_processors_per_node=1, sys_number_of_nodes=1, path="k1"),  # 6
        _mlperf_row(benchmark="mobilenet-v1-0.25-128-quantized", scenario="singlestream",
                    Scenario="SingleStream", weight_data_types="fp32", sys_accelerators_per_node="0",
                    sys_accelerator_model_name="-", sys_framework="TFLite v2.7.1 (ruy)",
                    sys_host_processors_per_node=1, sys_number_of_nodes=1, path="k2"),  # 7 double listing
        _mlperf_row(scenario="MultiStream", Scenario="MultiStream", version="v1.0", path="m1"),  # 8 rejected
        _mlperf_row(scenario="MultiStream", Scenario="MultiStream", path="m2"),  # 9 batch 8
        _mlperf_row(sys_accelerator_model_name="NVIDIA A100-SXM-80GB (1x1g.10gb MIG)", path="mig"),  # 10
        _mlperf_row(benchmark="bert-99.9", weight_data_types="fp16", sys_accelerators_per_node="(8,4)",
                    path="het"),                                                 # 11 rejected
    ])
    rows, rej = mlperf_imp.frame_from_raw(raw, "mlperf.csv")
    by = rows.set_index(rows.source_ref.str.extract(r":(\d+) ", expand=False).astype(int))
    assert sorted(by.index) == [2, 3, 6, 9]
    off = by.loc[2]
    assert off.latency_stat == "offline_amortized" and off.batch == 1
    assert off.latency_ms == pytest.approx(1000 / (32000 / 16))
    assert (off.graph, off.precision, off.runtime, off._map_role) == ("resnet50", "int8", "tensorrt", "accelerator")
    assert "batch unknown" in off.precision_note
    ss = by.loc[3]
    assert (ss.latency_ms, ss.latency_stat, ss.batch) == (5.0, "mean", 1)
    mb = by.loc[6]
    assert mb.graph == "mobilenet_v1:resolution=128,width=0.25" and mb.precision == "int8"  # name wins
    assert (mb._map_role, mb.device_string, mb.runtime) == ("host_cpu", "AMD EPYC 7742", "tflite")
    assert by.loc[9].batch == 8
    assert rej["same result listed twice (one log under two scenario folders)"] == 1
    assert rej["network not in zoo: RetinaNet"] == 1
    assert rej["Server scenario: throughput under a latency bound, no per-inference time"] == 1
    assert rej["MultiStream before v2.0: streams at a latency bound, no per-inference time"] == 1
    assert rej["MIG slice of a GPU (a fraction of the hardware row)"] == 1
    assert rej["heterogeneous nodes (accelerators per node like '(8,4)')"] == 1


def test_mlperf_network_names():
    assert mlperf_imp.network_of("bert-99") == ("bert_large:seq_len=384", "bert", None)
    assert mlperf_imp.network_of("mobilenet-v2-precision_float-1.0-224") == ("mobilenet_v2", "mobilenet_v2", "fp32")
    assert mlperf_imp.network_of("mobilenet-v3-small_224_0.75_float")[0] == "mobilenet_v3_small:width=0.75"
    assert mlperf_imp.network_of("mobilenet-v3-large-minimalistic_224_1.0_uint8") is None
    assert mlperf_imp.network_of("efficientnet-lite0-quantized") is None
    assert mlperf_imp.precision_of("Google bfloat16.")[0] == "bf16"
    assert mlperf_imp.precision_of("int8,fp16")[0] == "int8"
    assert mlperf_imp.runtime_of("ArmNN TFLite v22.11 using neon") == "armnn-neon"
    assert mlperf_imp.runtime_of("ArmNN v22.05 (OpenCL)") == "armnn-opencl"


# ------------------------------------------------------------------ OpenCV Zoo
def test_opencv_zoo_importer():
    raw = pd.DataFrame({
        "device": ["Jetson Nano B01"] * 3, "backend": ["cv.dnn.DNN_BACKEND_OPENCV", "cv.dnn.DNN_BACKEND_CUDA",
                                                       "cv.dnn.DNN_BACKEND_OPENCV"],
        "target": ["cv.dnn.DNN_TARGET_CPU", "cv.dnn.DNN_TARGET_CUDA_FP16", "cv.dnn.DNN_TARGET_CPU"],
        "mean_ms": [65.7, 120.9, 5.0], "median_ms": [1, 1, 1], "min_ms_of_group": [1, 1, 1],
        "in_w": [224, 224, 160], "in_h": [224, 224, 120], "model": ["MobileNet", "PPResNet", "YuNet"],
        "files": ["'image_classification_mobilenetv1_2022apr.onnx'",
                  "'image_classification_ppresnet50_2022jan.onnx'", "'face_detection_yunet_2023mar.onnx'"],
        "precision": ["fp32", "fp32", "fp32"]})
    rows, rej = ocv_imp.frame_from_raw(raw)
    assert list(rows.graph) == ["mobilenet_v1", "resnet50"]
    assert list(rows.precision) == ["fp32", "fp16"] and list(rows._map_role) == ["cpu", "gpu"]
    assert rows.runtime[1] == "opencv-dnn-cuda" and "PaddleClas" in rows.precision_note[1]
    assert sum(v for k, v in rej.items() if "YuNet" in k) == 1


# ------------------------------------------------------------------ device map
def test_device_map_attach(tmp_path):
    dmap = pd.DataFrame([
        ("ncnn", "Board A", "cpu", "board-a-cpu", "exact", ""),
        ("ncnn", "Board A", "gpu0", "board-a-gpu", "uncertain", "index assumed"),
        ("ncnn", "Old", "gpu", "old-cpu", "exact", ""),
        ("ncnn", "Sim", "cpu", "", "excluded", "simulated"),
        ("ncnn", "Ghost", "cpu", "ghost", "exact", ""),
    ], columns=["source", "device_string", "role", "hw_id", "match", "notes"])
    kinds = {"board-a-cpu": "soc-cpu", "board-a-gpu": "soc-gpu", "old-cpu": "soc-cpu"}
    rows = pd.DataFrame({"source": "ncnn", "device_string": ["Board A", "Board A", "Old", "Sim", "Nobody", "Ghost"],
                         "_map_role": ["cpu", "gpu0", "cpu|gpu", "cpu", "cpu", "cpu"],
                         "precision_note": ["n", None, None, None, None, None]})
    out, rej = devices.attach(rows, dmap, kinds)
    assert list(out.hw_id) == ["board-a-cpu", "board-a-gpu", "old-cpu"]
    assert list(out.kind) == ["soc-cpu", "soc-gpu", "soc-cpu"]
    assert out.precision_note[1] == "device mapping uncertain: index assumed"
    assert rej["device excluded by the device map (simulated)"] == 1
    assert rej["device not in data/public_device_map.csv: 'Nobody'"] == 1
    assert rej["hw_id 'ghost' not in data/hardware.csv"] == 1


# ------------------------------------------------------------------ build + CLI
def test_collect_and_write_are_reproducible(tmp_path):
    pub = _ncnn_public(tmp_path / "pub")
    dmap = pd.DataFrame([("ncnn", "Board A (Cortex-A72 x 4)", "cpu", "a-cpu", "exact", ""),
                         ("ncnn", "Board A (Cortex-A72 x 4)", "gpu0", "a-gpu", "exact", ""),
                         ("ncnn", "Old board", "gpu", "old", "exact", "")],
                        columns=["source", "device_string", "role", "hw_id", "match", "notes"])
    kinds = {"a-cpu": "soc-cpu", "a-gpu": "soc-gpu", "old": "cpu"}
    table, rep = collect(pub, ["ncnn"], device_map=dmap, kinds=kinds)
    assert len(table) == 6 and list(table.columns) == list(schema.COLUMN_NAMES)
    assert rep.sources["ncnn"].considered == 9
    a, b = tmp_path / "a" / "t.csv.gz", tmp_path / "b" / "t.csv.gz"
    write_table(table, a)
    write_table(table, b)
    assert a.read_bytes() == b.read_bytes()
    assert gzip.decompress(a.read_bytes()).decode().startswith("source,source_ref,graph,")
    with pytest.raises(InputError, match="must end in"):
        output_format(tmp_path / "t.txt")
    if not has_pyarrow():
        with pytest.raises(InputError, match="pyarrow"):
            output_format(tmp_path / "t.parquet")


def test_cli_data_import(tmp_path, monkeypatch):
    from advisor.cli import main

    from tests.public_fixtures import tiny_public_dir

    pub = tiny_public_dir(tmp_path)
    out = tmp_path / "t.csv"
    res = CliRunner().invoke(main, ["data", "import", "--out", str(out), "--public", str(pub),
                                    "--source", "ncnn", "--json"])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    assert rep["rows"] == 1 and rep["sources"]["ncnn"]["imported"] == 1
    assert schema.read_table(out)["threads"][0] == 2
    res = CliRunner().invoke(main, ["data", "import", "--out", str(tmp_path / "t.txt"), "--public", str(pub)])
    assert res.exit_code == 2 and "must end in" in res.output
    res = CliRunner().invoke(main, ["data", "import", "--out", str(out), "--public", str(tmp_path / "none")])
    assert res.exit_code == 2 and "not found" in res.output


def test_graph_for_errors():
    with pytest.raises(InputError):
        graph_for("")
    with pytest.raises(InputError, match="ncnn"):
        graph_for("ncnn:resnet18:batch=x")
    with pytest.raises(InputError, match="not found"):
        graph_for("ncnn:no_such_model", public_dir="/nonexistent")
    with pytest.raises(InputError, match="batch"):
        graph_for("resnet18", batch=0)


def test_ncnn_vulkan_rows_on_a_cpu_are_rejected():
    rows = pd.DataFrame({"runtime": ["ncnn-vulkan", "ncnn-vulkan", "ncnn"], "kind": ["soc-gpu", "soc-cpu", "soc-cpu"]})
    out, rej = ncnn_imp.after_attach(rows)
    assert list(out.kind) == ["soc-gpu", "soc-cpu"] and sum(rej.values()) == 1


def test_mlperf_open_division_resnet_is_rejected_but_sweeps_kept():
    raw = pd.DataFrame([_mlperf_row(division="open", path="o1"),
                        _mlperf_row(division="open", benchmark="mobilenet-v2-1.0-224-non-quantized", path="o2")])
    rows, rej = mlperf_imp.frame_from_raw(raw, "mlperf.csv")
    assert list(rows.graph) == ["mobilenet_v2"] and rows.precision[0] == "fp32"
    assert sum(v for k, v in rej.items() if k.startswith("open-division")) == 1
