"""The network zoo: well-known networks and random families, built as ONNX graphs.

``build(name, **opts)`` and ``build_recipe("name:key=val,...")`` return an ``onnx.ModelProto``
(the canonical recipe is stored in its ``metadata_props``, see ``recipe_of``);
``list_models()`` lists ``(name, family, description, default options)``. ``GraphBuilder``
(``advisor.zoo.builder``) is the small helper every builder uses, reusable for other generators.
"""

from advisor.zoo.builder import GraphBuilder, T
from advisor.zoo.registry import (
    build,
    build_recipe,
    canonical_recipe,
    list_models,
    parse_recipe,
    recipe_of,
    with_options,
)

__all__ = ["GraphBuilder", "T", "build", "build_recipe", "canonical_recipe", "list_models",
           "parse_recipe", "recipe_of", "with_options"]
