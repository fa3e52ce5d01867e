"""Functional models: a graph of layer calls from `keras.Input`s to outputs.

`keras.Model(inputs, outputs)` walks back from the outputs through the nodes
that layer calls on KerasTensors recorded, orders them by depth (inputs
first) and, when called on real tensors, replays each node's layer call.
"""
import collections

import numpy as np

from tensorlite.framework.tensor import EagerTensor, Tensor, convert_to_tensor
from tensorlite.keras.layers.base_layer import Layer
from tensorlite.keras.layers.input_layer import InputLayer
from tensorlite.keras.layers.keras_tensor import KerasTensor
from tensorlite.keras.models.model import Model
from tensorlite.keras.saving.serialization import (deserialize_keras_object, register_builtin,
                                                   serialize_keras_object)
from tensorlite.keras.trainers.trainer import Trainer
from tensorlite.util import nest

_FUNCTIONAL_ATTRIBUTES = frozenset({
    "_operations", "_nodes_by_depth", "_run_nodes", "_inputs", "_outputs", "_inputs_struct",
    "_outputs_struct", "_node_keys"})


def _check_keras_tensors(structure, arg_name):
    for x in nest.flatten(structure):
        if not isinstance(x, KerasTensor) or x._keras_history is None:
            raise ValueError(f"All `{arg_name}` values must be KerasTensors. Received: "
                             f"{arg_name}={structure} including invalid value {x} of type "
                             f"{type(x)}")


def map_graph(inputs, outputs, output_paths=None):
    """The graph between `inputs` and `outputs`: (nodes by depth, layers in order).

    Depth 0 holds the nodes producing outputs; a node's depth exceeds that of
    every node consuming its outputs. Layers are ordered by decreasing depth,
    then by the order the walk from the outputs met them.
    """
    input_ids = {id(t) for t in inputs}
    finished, in_progress = set(), set()
    nodes_in_order = []          # every node after the nodes it depends on
    layer_index = {}

    def visit(tensor, path):
        layer, node_index, _ = tensor._keras_history
        node = layer._inbound_nodes[node_index]
        if id(tensor) in input_ids and not node.is_input:
            return  # an intermediate tensor used as a model input: a source here
        if node.is_input and id(tensor) not in input_ids:
            raise ValueError(f"Output with path `{path}` is not connected to `inputs`")
        if node in finished:
            return
        if node in in_progress:
            raise ValueError(f"Tensor {tensor} from layer '{layer.name}' is part of a cycle.")
        layer_index.setdefault(layer, len(layer_index))
        in_progress.add(node)
        if not node.is_input and id(tensor) not in input_ids:
            for t in node.input_tensors:
                visit(t, path)
        in_progress.discard(node)
        finished.add(node)
        nodes_in_order.append(node)

    for t, path in zip(outputs, output_paths or [""] * len(outputs)):
        visit(t, path)

    node_depth, layer_depth = {}, {}
    for node in reversed(nodes_in_order):
        depth = max(node_depth.setdefault(node, 0), layer_depth.get(node.operation, 0))
        layer_depth[node.operation] = depth
        node_depth[node] = depth
        for parent in node.parent_nodes:
            if parent in finished:
                node_depth[parent] = max(depth + 1, node_depth.get(parent, 0))
    for t in inputs:  # inputs not connected to the outputs still belong to the model
        layer = t._keras_history.operation
        if layer not in layer_depth:
            layer_depth[layer] = 0
            layer_index[layer] = -1
            node_depth[layer._inbound_nodes[0]] = 0

    nodes_by_depth = collections.defaultdict(list)
    for node, depth in node_depth.items():
        nodes_by_depth[depth].append(node)
    layers_by_depth = collections.defaultdict(list)
    for layer, depth in layer_depth.items():
        layers_by_depth[depth].append(layer)
    layers = []
    for depth in sorted(layers_by_depth, reverse=True):
        layers.extend(sorted(layers_by_depth[depth], key=lambda lr: layer_index[lr]))

    names = [layer.name for layer in layers]
    for name in names:
        if names.count(name) != 1:
            raise ValueError(f'The name "{name}" is used {names.count(name)} times in the '
                             "model. All operation names should be unique.")
    return dict(nodes_by_depth), layers


@register_builtin("keras.src.models.functional")  # the module Keras 3 writes for it
class Functional(Model):
    """A model defined by connecting layers from `keras.Input`s to outputs."""

    _UNTRACKED = Model._UNTRACKED | _FUNCTIONAL_ATTRIBUTES

    def __init__(self, inputs, outputs, name=None, **kwargs):
        Trainer.__init__(self)
        trainable = kwargs.pop("trainable", True)
        Layer.__init__(self, name=name, trainable=trainable, **kwargs)
        if isinstance(inputs, tuple):
            inputs = list(inputs)
        if isinstance(outputs, tuple):
            outputs = list(outputs)
        _check_keras_tensors(inputs, "inputs")
        _check_keras_tensors(outputs, "outputs")
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self._inputs = nest.flatten(inputs)
        self._outputs = nest.flatten(outputs)
        paths = ["/".join(str(p) for p in path) for path, _ in nest.flatten_with_paths(outputs)]
        self._nodes_by_depth, self._operations = map_graph(self._inputs, self._outputs, paths)
        self._run_nodes = [node for depth in sorted(self._nodes_by_depth, reverse=True)
                           for node in self._nodes_by_depth[depth] if not node.is_input]
        self._node_keys = {id(node) for nodes in self._nodes_by_depth.values() for node in nodes}
        self.built = True

    @property
    def _layers(self):
        return list(self._operations)

    # ---- structure ---------------------------------------------------------------------------
    @property
    def inputs(self):
        return list(self._inputs)

    @property
    def outputs(self):
        return list(self._outputs)

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_names(self):
        return [t._keras_history.operation.name for t in self._inputs]

    @property
    def output_names(self):
        if isinstance(self._outputs_struct, dict):
            return sorted(self._outputs_struct)
        return [t._keras_history.operation.name for t in self._outputs]

    @property
    def input_shape(self):
        shapes = [t.shape for t in self._inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [t.shape for t in self._outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    # ---- running -----------------------------------------------------------------------------
    def _flat_inputs(self, inputs):
        """The call's inputs in the order of the model's inputs (dicts matched by name)."""
        if type(inputs) is EagerTensor and len(self._inputs) == 1:
            return [inputs]
        struct = self._inputs_struct
        if isinstance(inputs, dict) and not isinstance(struct, dict):
            names = [t._keras_history.operation.name if t._keras_history.operation.name in
                     inputs else t.name for t in self._inputs]
            missing = [n for n in names if n not in inputs]
            if missing:
                raise ValueError(f"Missing data for input {missing[0]!r}. You passed a data "
                                 f"dictionary with keys {list(inputs)}. Expected the following "
                                 f"keys: {names}")
            flat = [inputs[n] for n in names]
        else:
            flat = nest.flatten(inputs)
        if len(flat) != len(self._inputs):
            raise ValueError(f'Layer "{self.name}" expects {len(self._inputs)} input(s), but it '
                             f"received {len(flat)} input tensors. Inputs received: {inputs}")
        return flat

    def _convert_inputs(self, flat):
        import tensorlite as tf
        out = []
        for x, ref in zip(flat, self._inputs):
            if type(x) is EagerTensor and x._dtype.name == ref.dtype and \
                    x._value.ndim == len(ref.shape):
                out.append(x)  # the common case: nothing to convert
                continue
            if x is None:
                out.append(x)
                continue
            if not isinstance(x, Tensor):
                x = convert_to_tensor(np.asarray(x), dtype=ref.dtype)
            elif x.dtype.name != ref.dtype:
                x = tf.cast(x, ref.dtype)
            rank, want = x.shape.rank, len(ref.shape)
            if rank == want + 1 and x.shape[-1] == 1:
                x = tf.squeeze(x, axis=-1)
            elif rank is not None and rank + 1 == want and ref.shape[-1] == 1:
                x = tf.expand_dims(x, axis=-1)
            out.append(x)
        return out

    def _run_graph(self, flat_inputs, run_node):
        values = {id(t): v for t, v in zip(self._inputs, flat_inputs)}
        for node in self._run_nodes:
            args, kwargs = node.call_args, node.call_kwargs
            if len(args) == 1 and not kwargs and isinstance(args[0], KerasTensor):
                args = (values[id(args[0])],)
            else:
                args, kwargs = nest.map_structure(
                    lambda x: values[id(x)] if isinstance(x, KerasTensor) else x,
                    (args, kwargs))
            outputs = run_node(node, args, kwargs)
            tensors = node.output_tensors
            if len(tensors) == 1 and not isinstance(outputs, (list, tuple, dict)):
                values[id(tensors[0])] = outputs
            else:
                for t, v in zip(tensors, nest.flatten(outputs)):
                    values[id(t)] = v
        if isinstance(self._outputs_struct, KerasTensor):
            return values[id(self._outputs_struct)]
        return nest.pack_sequence_as(self._outputs_struct,
                                     [values[id(t)] for t in self._outputs])

    def call(self, inputs, training=None, mask=None):
        flat = self._convert_inputs(self._flat_inputs(inputs))
        return self._run_graph(flat, lambda node, args, kwargs: node.operation(*args, **kwargs))

    def compute_output_spec(self, inputs, training=None, mask=None):
        flat = self._flat_inputs(inputs)
        return self._run_graph(
            flat, lambda node, args, kwargs: node.operation.compute_output_spec(*args, **kwargs))

    def compute_output_shape(self, input_shape):
        specs = nest.map_structure(lambda t: KerasTensor(t.shape, dtype=t.dtype),
                                   self._inputs_struct)
        if input_shape is not None:
            flat_shapes = ([input_shape] if isinstance(input_shape, tuple) and all(
                d is None or isinstance(d, int) for d in input_shape) else list(input_shape))
            specs = [KerasTensor(s, dtype=t.dtype) for s, t in zip(flat_shapes, self._inputs)]
        out = self.compute_output_spec(specs)
        return nest.map_structure(lambda t: t.shape, out)

    def build(self, input_shape=None):
        self.built = True

    # ---- configuration -----------------------------------------------------------------------
    def _node_index_in_model(self, layer, node_index):
        """A layer's node index counted among its nodes that belong to this model."""
        kept = [n for n in layer._inbound_nodes if id(n) in self._node_keys]
        node = layer._inbound_nodes[node_index]
        return kept.index(node) if node in kept else node_index

    def _history_of(self, tensor):
        layer, node_index, tensor_index = tensor._keras_history
        return [layer.name, self._node_index_in_model(layer, node_index), tensor_index]

    def _serialize_tensor(self, x):
        if isinstance(x, KerasTensor):
            return {"class_name": "__keras_tensor__",
                    "config": {"shape": x.shape, "dtype": x.dtype,
                               "keras_history": self._history_of(x)}}
        return serialize_keras_object(x)

    def get_config(self):
        """Keras's Functional config: the layers with their inbound nodes, inputs, outputs."""
        layers = []
        for layer in self._operations:
            entry = serialize_keras_object(layer)
            entry["name"] = layer.name
            entry["inbound_nodes"] = [
                {"args": nest.map_structure(self._serialize_tensor, node.call_args),
                 "kwargs": nest.map_structure(self._serialize_tensor, node.call_kwargs)}
                for node in layer._inbound_nodes
                if id(node) in self._node_keys and not node.is_input]
            layers.append(entry)

        def endpoints(struct):
            if isinstance(struct, dict):
                return {k: self._history_of(v) for k, v in struct.items()}
            flat = [self._history_of(t) for t in nest.flatten(struct)]
            return flat[0] if isinstance(struct, KerasTensor) else flat
        return {"name": self.name, "trainable": self.trainable, "layers": layers,
                "input_layers": endpoints(self._inputs_struct),
                "output_layers": endpoints(self._outputs_struct)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuilds the model: layers from their configs, then their calls in graph order."""
        created = {}
        pending = collections.deque()
        for data in config["layers"]:
            layer_config = {k: v for k, v in data.items() if k not in ("name", "inbound_nodes")}
            layer = deserialize_keras_object(layer_config, custom_objects=custom_objects)
            created[data["name"]] = layer
            for node_data in data.get("inbound_nodes", []):
                pending.append((layer, node_data))
        # model nodes of each layer, by their index in the saved model
        nodes = collections.defaultdict(list)
        for name, layer in created.items():
            if isinstance(layer, InputLayer):
                nodes[name].append(layer._inbound_nodes[0])

        def tensor(history):
            name, node_index, tensor_index = history
            return nodes[name][node_index].output_tensors[tensor_index]

        def ready(node_data):
            return all(len(nodes[h[0]]) > h[1] for h in _histories(node_data))

        stalled = 0
        while pending:
            layer, node_data = pending.popleft()
            if not ready(node_data):
                pending.append((layer, node_data))
                stalled += 1
                if stalled > len(pending):
                    raise ValueError(f"Could not rebuild the graph of model {config['name']}: "
                                     f"layer {layer.name} has unresolved inputs.")
                continue
            stalled = 0
            args, kwargs = _deserialize_call(node_data, tensor, custom_objects)
            layer(*args, **kwargs)
            nodes[layer.name].append(layer._inbound_nodes[-1])

        def endpoints(data):
            if isinstance(data, dict):
                return {k: tensor(v) for k, v in data.items()}
            if data and not isinstance(data[0], (list, tuple)):
                return tensor(data)
            return [tensor(h) for h in data]
        return cls(inputs=endpoints(config["input_layers"]),
                   outputs=endpoints(config["output_layers"]), name=config.get("name"),
                   trainable=config.get("trainable", True))


def _is_serialized_tensor(x):
    return isinstance(x, dict) and x.get("class_name") == "__keras_tensor__"


def _histories(node_data):
    found = []

    def walk(x):
        if _is_serialized_tensor(x):
            found.append(x["config"]["keras_history"])
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, (list, tuple)):
            for v in x:
                walk(v)
    walk(node_data["args"])
    walk(node_data["kwargs"])
    return found


def _deserialize_call(node_data, tensor, custom_objects):
    def restore(x):
        if _is_serialized_tensor(x):
            return tensor(x["config"]["keras_history"])
        if isinstance(x, dict) and "class_name" in x:
            return deserialize_keras_object(x, custom_objects=custom_objects)
        if isinstance(x, dict):
            return {k: restore(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return type(x)(restore(v) for v in x)
        return x
    return tuple(restore(a) for a in node_data["args"]), restore(node_data["kwargs"])
