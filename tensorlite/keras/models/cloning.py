"""`keras.models.clone_model`: the same architecture with new layers (fresh weights)."""
from tensorlite.keras.layers.input_layer import Input, InputLayer
from tensorlite.keras.layers.keras_tensor import KerasTensor
from tensorlite.keras.models.functional import Functional
from tensorlite.keras.models.sequential import Sequential
from tensorlite.util import nest


def _clone_layer(layer):
    return type(layer).from_config(layer.get_config())


def clone_model(model, input_tensors=None, clone_function=None, call_function=None,
                recursive=False, **kwargs):
    """A copy of `model`'s architecture: each layer recreated by `clone_function` (from its
    config by default), so the clone has newly initialized weights.

    Sequential and Functional models are rewired with the new layers (on
    `input_tensors` if given); a subclassed model is rebuilt from its config.
    """
    if kwargs:
        raise ValueError(f"Unexpected keyword argument(s): {tuple(kwargs)}")
    clone = clone_function or _clone_layer

    def clone_layer(layer):
        if recursive and isinstance(layer, (Sequential, Functional)):
            return clone_model(layer, clone_function=clone_function,
                               call_function=call_function, recursive=True)
        return clone(layer)

    if isinstance(model, Sequential):
        layers = [clone_layer(layer) for layer in model.layers]
        if input_tensors is not None:
            layers = [nest.flatten(input_tensors)[0]] + layers
        elif model._stack and isinstance(model._stack[0], InputLayer):
            first = model._stack[0]
            layers = [InputLayer(batch_shape=first.batch_shape, dtype=first.dtype,
                                 name=first.name)] + layers
        return Sequential(layers, name=model.name, trainable=model.trainable)
    if isinstance(model, Functional):
        return _clone_functional(model, input_tensors, clone_layer, call_function)
    return type(model).from_config(model.get_config())


def _clone_functional(model, input_tensors, clone_layer, call_function):
    if input_tensors is not None:
        new_inputs = nest.flatten(input_tensors)
        if len(new_inputs) != len(model.inputs):
            raise ValueError(f"`input_tensors` must have {len(model.inputs)} tensors; "
                             f"received {len(new_inputs)}.")
    else:
        new_inputs = [Input(batch_shape=t.shape, dtype=t.dtype, name=t.name)
                      for t in model.inputs]
    mapping = {id(old): new for old, new in zip(model.inputs, new_inputs)}
    clones = {}
    for node in model._run_nodes:
        layer = node.operation
        if id(layer) not in clones:
            clones[id(layer)] = clone_layer(layer)
        args, kwargs = nest.map_structure(
            lambda x: mapping[id(x)] if isinstance(x, KerasTensor) else x,
            (node.call_args, node.call_kwargs))
        new_layer = clones[id(layer)]
        if call_function is not None:
            outputs = call_function(new_layer, *args, **kwargs)
        else:
            outputs = new_layer(*args, **kwargs)
        for old, new in zip(node.output_tensors, nest.flatten(outputs)):
            mapping[id(old)] = new
    inputs = nest.pack_sequence_as(model._inputs_struct, new_inputs)
    outputs = nest.pack_sequence_as(model._outputs_struct,
                                    [mapping[id(t)] for t in model.outputs])
    return Functional(inputs, outputs, name=model.name)
