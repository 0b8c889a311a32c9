"""ncnn networks: read ``.param`` files and convert them to equivalent ONNX graphs.

    from advisor.ncnn import read_param, to_onnx
    net = read_param("resnet18_int8.param")     # NcnnNet: layers, blobs, shape hints
    model = to_onnx(net, graph_only=True)       # onnx.ModelProto, same layers/shapes/params
"""

from advisor.ncnn.param import NcnnLayer, NcnnNet, parse_param, read_param
from advisor.ncnn.to_onnx import blob_map, supported_layer_types, to_onnx
from advisor.ncnn.weights import weight_count

__all__ = ["NcnnLayer", "NcnnNet", "blob_map", "parse_param", "read_param",
           "supported_layer_types", "to_onnx", "weight_count"]
