"""The advisor: upgrade or quantize? Options predicted, ranked and explained.

    from advisor.advise import advise
    a = advise("model.onnx", "t4", candidates=["l4", "a10"])
    a.recommendation.label, a.reason, a.bottleneck.regime, a.compute_sweep
"""

from advisor.advise.bottleneck import Bottleneck, scaled_hardware
from advisor.advise.core import SCHEMA, Advice, advise, recommend
from advisor.advise.options import PRECISION_RISK, Option
from advisor.advise.whatif import memory_needed_gb, prune_profile

__all__ = ["advise", "Advice", "Option", "Bottleneck", "SCHEMA", "PRECISION_RISK", "recommend",
           "prune_profile", "memory_needed_gb", "scaled_hardware"]
