"""Zoo networks: published parameter and MAC counts, runnable small configs, recipes, KV cache."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest

import advisor.zoo as zoo
from advisor.errors import InputError
from advisor.zoo.builder import check_model

# Published parameter counts, each checked against the source named in its comment (see
# "Zoo reference counts" in reports/hardware_verification.md). "tv" = torchvision weight-enum
# meta ("num_params" / "_ops", shown as num_params / GFLOPS on pytorch.org/vision model pages).
# PyTorch-style counts: BN weight+bias counted, BN running statistics not.
PUBLISHED_PARAMS = {
    "resnet18": 11_689_512,            # tv ResNet18_Weights.IMAGENET1K_V1
    "resnet34": 21_797_672,            # tv ResNet34_Weights.IMAGENET1K_V1
    "resnet50": 25_557_032,            # tv ResNet50_Weights.IMAGENET1K_V1
    "resnet101": 44_549_160,           # tv ResNet101_Weights.IMAGENET1K_V1
    "vgg16": 138_357_544,              # tv VGG16_Weights.IMAGENET1K_V1
    "alexnet": 61_100_840,             # tv AlexNet_Weights.IMAGENET1K_V1
    "googlenet": 6_624_904,            # tv GoogLeNet_Weights.IMAGENET1K_V1 (no aux heads)
    "squeezenet1_0": 1_248_424,        # tv SqueezeNet1_0_Weights.IMAGENET1K_V1
    "squeezenet1_1": 1_235_496,        # tv SqueezeNet1_1_Weights.IMAGENET1K_V1
    "mobilenet_v2": 3_504_872,         # tv MobileNet_V2_Weights.IMAGENET1K_V1
    "mobilenet_v3_large": 5_483_032,   # tv MobileNet_V3_Large_Weights.IMAGENET1K_V1
    "mobilenet_v3_small": 2_542_856,   # tv MobileNet_V3_Small_Weights.IMAGENET1K_V1
    "shufflenet_v2_x1_0": 2_278_604,   # tv ShuffleNet_V2_X1_0_Weights.IMAGENET1K_V1
    "shufflenet_v2_x0_5": 1_366_792,   # tv ShuffleNet_V2_X0_5_Weights.IMAGENET1K_V1
    "mnasnet": 4_383_312,              # tv MNASNet1_0_Weights.IMAGENET1K_V1
    "efficientnet_b0": 5_288_548,      # tv EfficientNet_B0_Weights.IMAGENET1K_V1
    "efficientnet_b1": 7_794_184,      # tv EfficientNet_B1_Weights.IMAGENET1K_V1
    "efficientnet_b2": 9_109_994,      # tv EfficientNet_B2_Weights.IMAGENET1K_V1
    "efficientnet_b3": 12_233_232,     # tv EfficientNet_B3_Weights.IMAGENET1K_V1
    "efficientnet_b4": 19_341_616,     # tv EfficientNet_B4_Weights.IMAGENET1K_V1
    "regnet_y_400mf": 4_344_144,       # tv RegNet_Y_400MF_Weights.IMAGENET1K_V1
    "vit_base": 86_567_656,            # tv ViT_B_16_Weights.IMAGENET1K_V1
    "deit_tiny": 5_717_416,            # exact count from facebook/deit-tiny-patch16-224 config dims;
                                       # DeiT paper Table 1 rounds to 5M
    "deit_small": 22_050_664,          # timm deit_small_patch16_224.fb_in1k card: 22.1 M
    "bert_base": 109_482_240,          # bert-base-uncased BertModel (with pooler), sum(p.numel())
    "bert_large": 335_141_888,         # bert-large-uncased BertModel (with pooler), sum(p.numel())
    "gpt2": 124_439_808,               # HF gpt2 GPT2Model, tied embedding counted once
    "gpt2_medium": 354_823_168,        # HF gpt2-medium, tied embedding counted once
    "tinyllama_1b": 1_100_048_384,     # TinyLlama-1.1B safetensors total
    "llama2_7b": 6_738_415_616,        # meta-llama/Llama-2-7b-hf safetensors metadata
    "llama3_8b": 8_030_261_248,        # Meta-Llama-3(.1)-8B safetensors metadata
    "yolov5s": 7_235_389,              # Ultralytics "YOLOv5s summary: 214 layers, 7235389 parameters"
    "yolov5n": 1_872_157,              # Ultralytics "YOLOv5n summary: 214 layers, 1872157 parameters"
    "mobilenet_v1": 4_231_976,         # Keras MobileNet(alpha=1, 224) "Trainable params: 4,231,976"
    "efficientnet_v2_b0": 7_139_704,   # Keras EfficientNetV2B0 trainable params; its published total
                                       # 7,200,312 (keras-team table) = this + BN moving stats
}

# Published GMACs at 224 px (torchvision docs "GFLOPS" are multiply-accumulates; MobileNet papers).
PUBLISHED_GMACS = {
    "resnet18": 1.81,            # tv _ops 1.814
    "resnet50": 4.09,            # tv _ops 4.089
    "resnet101": 7.80,           # tv _ops 7.801
    "vgg16": 15.47,              # tv docs GFLOPS 15.47
    "alexnet": 0.71,             # tv _ops 0.714
    "googlenet": 1.50,           # tv docs GFLOPS 1.50
    "squeezenet1_1": 0.35,       # tv _ops 0.349
    "mobilenet_v2": 0.300,       # tv docs GFLOPS 0.30
    "mobilenet_v1": 0.569,       # MobileNet paper (arXiv 1704.04861) Table 6: 1.0 MobileNet-224, 569M
    "efficientnet_b0": 0.39,     # tv _ops 0.386
    "regnet_y_400mf": 0.40,      # tv GFLOPS 0.40
    "vit_base": 17.56,           # tv ViT_B_16 _ops 17.564
    "mobilenet_v3_large": 0.22,  # tv _ops 0.217
}


def torch_style_params(model: onnx.ModelProto) -> int:
    """Initializer elements, without BN running statistics (PyTorch buffers, not parameters)."""
    return sum(int(np.prod(t.dims)) for t in model.graph.initializer
               if not t.name.endswith(("running_mean", "running_var")))


@pytest.mark.parametrize("name", sorted(PUBLISHED_PARAMS))
def test_parameter_counts_match_published(name):
    opts = {"graph_only": True}
    if zoo.registry.get_entry(name).family not in ("vit", "bert", "gpt2", "llama"):
        opts["fold_bn"] = False
    model = zoo.build(name, **opts)
    got = torch_style_params(model)
    assert abs(got / PUBLISHED_PARAMS[name] - 1) < 0.01, (name, got)


@pytest.mark.parametrize("name", sorted(PUBLISHED_GMACS))
def test_macs_match_published(name):
    graph = pytest.importorskip("advisor.graph")
    g = graph.analyze(zoo.build(name, graph_only=True))
    pub = PUBLISHED_GMACS[name]
    # published values are rounded to 2-3 significant digits: allow 1% plus half a last digit
    digits = len(str(pub).split(".")[1])
    tol = 0.01 * pub + 0.5 * 10 ** -digits
    assert abs(g.total_macs / 1e9 - pub) <= tol, (name, g.total_macs)
    assert not g.unknown_ops


def test_every_listed_network_builds_and_checks():
    rows = zoo.list_models()
    assert len(rows) >= 60
    names = {r[0] for r in rows}
    for required in ("resnet50", "bert_base", "gpt2", "llama_tiny", "unet", "yolov5s",
                     "random_cnn", "shufflenet_v1", "proxylessnas_mobile", "efficientnet_v2_b0"):
        assert required in names
    for name, family, desc, defaults in rows:
        assert family and desc and isinstance(defaults, dict)
        model = zoo.build(name, graph_only=True)
        check_model(model)
        assert zoo.recipe_of(model).startswith(name)


def _run(model, feeds):
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return sess.run(None, feeds), [o.name for o in sess.get_outputs()]


@pytest.mark.parametrize("name,res,expect", [
    ("resnet18", 64, (2, 1000)), ("mobilenet_v3_small", 64, (2, 1000)),
    ("shufflenet_v2_x0_5", 64, (2, 1000)), ("efficientnet_b0", 64, (2, 1000)),
    ("squeezenet1_1", 64, (2, 1000)), ("unet", 64, (2, 2, 64, 64)), ("yolov5n", 64, (2, 252, 85)),
    ("vit_tiny", 32, (2, 1000)),
])
def test_small_image_networks_run(name, res, expect):
    opts = {"resolution": res, "dynamic": True, "graph_only": False}
    if name == "unet":
        opts["base"] = 8  # a narrow UNet keeps the test fast
    model = zoo.build(name, **opts)
    (out, *_), _ = _run(model, {"input": np.random.rand(*expect[:1], 3, res, res).astype(np.float32)})
    assert out.shape == expect
    assert np.isfinite(out).all()


def test_bert_runs_with_mask():
    model = zoo.build("bert_tiny", seq_len=16, batch=2)
    ops = {n.op_type for n in model.graph.node}
    assert {"Gather", "LayerNormalization", "Softmax", "Erf", "Tanh"} <= ops
    ids = np.random.randint(0, 1000, (2, 16)).astype(np.int64)
    mask = np.ones_like(ids)
    mask[1, 8:] = 0
    out, names = _run(model, {"input_ids": ids, "attention_mask": mask, "token_type_ids": 0 * ids})
    assert names == ["last_hidden_state", "pooler_output"]
    assert out[0].shape == (2, 16, 128) and out[1].shape == (2, 128)


@pytest.mark.parametrize("recipe", ["gpt2_tiny", "llama_tiny", "random_decoder:seed=301"])
def test_decoder_kv_cache_matches_prefill(recipe):
    b, s = 2, 6
    name, opts = zoo.registry.parse_recipe(recipe)
    prefill = zoo.build(name, dynamic=True, **opts)
    decode = zoo.build(name, dynamic=True, mode="decode", **opts)
    ids = np.random.randint(0, 1000, (b, s + 1)).astype(np.int64)
    pos = np.tile(np.arange(s + 1), (b, 1)).astype(np.int64)
    first, names = _run(prefill, {"input_ids": ids[:, :s], "attention_mask": np.ones((b, s), np.int64),
                                  "position_ids": pos[:, :s]})
    assert names[0] == "logits" and names[1] == "present.0.key"
    feeds = {"input_ids": ids[:, s:], "attention_mask": np.ones((b, s + 1), np.int64),
             "position_ids": pos[:, s:]}
    for i in range((len(first) - 1) // 2):
        feeds[f"past_key_values.{i}.key"] = first[1 + 2 * i]
        feeds[f"past_key_values.{i}.value"] = first[2 + 2 * i]
    step, _ = _run(decode, feeds)
    full, _ = _run(prefill, {"input_ids": ids, "attention_mask": np.ones((b, s + 1), np.int64),
                             "position_ids": pos})
    assert step[0].shape[1] == 1 and step[1].shape[2] == s + 1
    np.testing.assert_allclose(step[0][:, 0], full[0][:, -1], atol=1e-4)


def test_llama_op_patterns_gqa():
    model = zoo.build("llama_tiny", seq_len=8)
    ops = [n.op_type for n in model.graph.node]
    assert {"Pow", "ReduceMean", "Sqrt", "Cos", "Sin", "Neg", "Expand", "Trilu", "Softmax"} <= set(ops)
    k_out = next(o for o in model.graph.output if o.name == "present.0.key")
    assert k_out.type.tensor_type.shape.dim[1].dim_value == 2  # 2 KV heads (GQA, 4 query heads)


def test_random_decoders_are_llama_blocks_of_drawn_shapes():
    shapes = set()
    for seed in range(300, 306):
        model = zoo.build_recipe(f"random_decoder:seed={seed},graph_only=true,seq_len=8")
        ops = {n.op_type for n in model.graph.node}
        # RMSNorm (Pow, ReduceMean, Sqrt), RoPE (Cos, Sin, Neg), SwiGLU (Sigmoid), causal mask
        assert {"Pow", "ReduceMean", "Sqrt", "Cos", "Sin", "Neg", "Sigmoid", "Trilu"} <= ops
        k_out = next(o for o in model.graph.output if o.name == "present.0.key")
        shapes.add(tuple(d.dim_value for d in k_out.type.tensor_type.shape.dim))
    assert len(shapes) > 2  # KV heads and head sizes vary with the seed


def test_large_decoders_default_to_graph_only():
    model = zoo.build("llama2_7b", mode="decode", past_len=511)
    assert model.ByteSize() < 2_000_000
    assert all(t.data_location == onnx.TensorProto.EXTERNAL for t in model.graph.initializer)


def test_recipes_roundtrip_and_random_families_reproducible():
    m1 = zoo.build_recipe("random_cnn:seed=3,graph_only=true")
    m2 = zoo.build_recipe("random_cnn:graph_only=true,seed=3")
    assert m1.SerializeToString() == m2.SerializeToString()
    assert zoo.recipe_of(m1) == "random_cnn:graph_only=true,seed=3"
    m3 = zoo.build_recipe("random_cnn:seed=4,graph_only=true")
    assert m3.SerializeToString() != m1.SerializeToString()
    m4 = zoo.build_recipe("random_cnn:seed=3,graph_only=true,batch=8")
    assert [n.op_type for n in m4.graph.node] == [n.op_type for n in m1.graph.node]
    assert m4.graph.input[0].type.tensor_type.shape.dim[0].dim_value == 8
    for fam in ("random_cnn", "random_transformer", "random_mlp", "random_decoder"):
        kinds = {len(zoo.build_recipe(f"{fam}:seed={s},graph_only=true").graph.node) for s in range(6)}
        assert len(kinds) > 2, fam  # seeds really vary the architecture
    r = zoo.build_recipe("random_transformer:seed=2,seq_len=32,batch=2")
    ids = np.random.randint(0, 1000, (2, 32)).astype(np.int64)
    (out, *_), _ = _run(r, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
    assert out.shape[:2] == (2, 32)


def test_symbolic_dims_when_dynamic():
    m = zoo.build("bert_tiny", dynamic=True)
    dims = m.graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_param for d in dims] == ["batch", "seq_len"]
    m = zoo.build("gpt2_tiny", dynamic=True, mode="decode")
    past = next(i for i in m.graph.input if i.name == "past_key_values.0.key")
    assert past.type.tensor_type.shape.dim[2].dim_param == "past_len"


@pytest.mark.parametrize("recipe", ["nope", "resnet50:foo=1", "resnet50:batch=0", "resnet50:batch=x",
                                    "resnet7", "bert_base:seq_len=1000", "gpt2:mode=train",
                                    "resnet50:batch", "yolov5s:resolution=100", "unet:resolution=100"])
def test_invalid_recipes_raise_input_error(recipe):
    with pytest.raises(InputError):
        zoo.build_recipe(recipe)
