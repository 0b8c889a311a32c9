"""advisor: predict neural-network latency on any hardware without running it, and advise.

    import advisor
    advisor.predict("model.onnx", hw="a100", batch=8, precision="fp16").latency_ms
    advisor.predict_many("model.onnx", hw=["a100", "l4"], batch=[1, 32], precision=["fp16", "int8"])
"""

__version__ = "0.1.0"


def __getattr__(name: str):
    # Lazy: `import advisor` stays cheap; the API pulls in onnx, pandas and xgboost on first use.
    if name in ("predict", "predict_many", "Prediction", "model_profile"):
        from advisor import api
        return getattr(api, name)
    raise AttributeError(f"module 'advisor' has no attribute {name!r}")
