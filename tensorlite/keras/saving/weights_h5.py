"""Keras 3's weights layout in HDF5: `.weights.h5` files and the `model.weights.h5`
inside `.keras` files.

Each saveable object (a layer, a model, the optimizer) stores its own variables
as datasets "0", "1", ... of a group `<path>/vars` whose attribute "name" is
the object's name. Paths follow the model's structure, as Keras 3 walks it:

- the model's own variables are in "vars" at the root;
- a Sequential or Functional model's layers are in "layers/<key>", where the
  key is the layer's class in snake case, numbered within the list ("dense",
  "dense_1", ...), never the layer's name (names vary between two instances);
- then every attribute holding a layer (or a list, tuple or dict of layers), in
  sorted attribute order: "hidden1/vars", "block1/hidden/dense/vars" ...; a
  subclassed model lists `layers` among its attributes too, so a layer found
  there first is stored under "layers/<key>"; each object is stored once, at
  the first path the walk reaches it by;
- the optimizer's variables (iterations, learning rate, slots) are in
  "optimizer/vars".

A layer's own variables are its trainable ones then its non-trainable ones, in
creation order (BatchNormalization: gamma, beta, moving_mean, moving_variance).
"""
import os
import warnings

import numpy as np

from tensorlite.keras.naming import to_snake_case

WEIGHTS_SUFFIX = ".weights.h5"


def _h5py():
    try:
        import h5py
    except ImportError as e:  # pragma: no cover - h5py is a dependency
        raise ImportError("Saving and loading Keras weights requires h5py: "
                          "`pip install h5py`.") from e
    return h5py


# ---- the walk --------------------------------------------------------------------------------

def _is_layer(obj):
    from tensorlite.keras.layers.base_layer import Layer
    return isinstance(obj, Layer)


def _is_optimizer(obj):
    from tensorlite.keras.optimizers.base import Optimizer
    return isinstance(obj, Optimizer)


def _is_saveable(obj):
    return _is_layer(obj) or _is_optimizer(obj)


def _children(obj):
    """(attribute, child) pairs of a saveable, in Keras 3's order; a child is a saveable or
    a container of saveables."""
    if not _is_layer(obj):
        return []
    from tensorlite.keras.models.functional import Functional
    from tensorlite.keras.models.model import Model
    from tensorlite.keras.models.sequential import Sequential
    untracked = obj._UNTRACKED
    attrs = {k: v for k, v in vars(obj).items() if k not in untracked}
    first = []
    if isinstance(obj, Model):
        if isinstance(obj, (Sequential, Functional)):
            # the layers the model runs come first, whatever the subclass adds
            first.append(("layers", obj.layers))
        else:
            attrs["layers"] = obj.layers
        if obj.optimizer is not None:
            attrs["optimizer"] = obj.optimizer
    return first + sorted(attrs.items())


def _container_items(container):
    """The saveables of a list/tuple/dict/set with their keys: "dense", "dense_1", ..."""
    values = container.values() if isinstance(container, dict) else container
    used = {}
    for value in values:
        if not _is_saveable(value):
            continue
        key = to_snake_case(type(value).__name__)
        if key in used:
            used[key] += 1
            key = f"{key}_{used[key]}"
        else:
            used[key] = 0
        yield key, value


def walk(obj, path="", visited=None):
    """Yields (path, saveable) for `obj` and everything under it, each object once."""
    visited = set() if visited is None else visited
    if id(obj) in visited:
        return
    visited.add(id(obj))
    yield path, obj
    for name, child in _children(obj):
        child_path = f"{path}/{name}" if path else name
        if _is_saveable(child):
            yield from walk(child, child_path, visited)
        elif isinstance(child, (list, tuple, dict, set)):
            for key, value in _container_items(child):
                yield from walk(value, f"{child_path}/{key}", visited)


# ---- own variables ---------------------------------------------------------------------------

def own_variables(obj):
    """The variables an object stores itself, in Keras 3's order."""
    if _is_optimizer(obj):
        return list(obj.variables)
    trainable = list(obj._trainable_variables)
    non_trainable = list(obj._non_trainable_variables)
    known = {id(v) for v in trainable + non_trainable}
    for v in obj._own_variables():  # variables assigned as attributes
        if id(v) not in known:
            known.add(id(v))
            (trainable if v.trainable else non_trainable).append(v)
    return trainable + non_trainable


class VarsStore:
    """A "vars" group seen as a mapping "0", "1", ... -> NumPy arrays (what an object's
    `save_own_variables(store)` / `load_own_variables(store)` receive)."""

    def __init__(self, group):
        self.group = group

    def __setitem__(self, key, value):
        self.group.create_dataset(key, data=np.asarray(value))

    def __getitem__(self, key):
        return np.asarray(self.group[key][()])

    def __contains__(self, key):
        return self.group is not None and key in self.group

    def keys(self):
        return list(self.group.keys()) if self.group is not None else []

    def __len__(self):
        return len(self.keys())


def _save_own(obj, store):
    custom = getattr(obj, "save_own_variables", None)
    if custom is not None:
        custom(store)
        return
    for i, variable in enumerate(own_variables(obj)):
        store[str(i)] = variable.numpy()


def _load_own(obj, store):
    custom = getattr(obj, "load_own_variables", None)
    if custom is not None:
        custom(store)
        return
    variables = own_variables(obj)
    if len(store) != len(variables):
        if not variables and not obj.built:
            raise ValueError(
                f"Layer '{obj.name}' was never built and thus it doesn't have any variables. "
                f"However the weights file lists {len(store)} variables for this layer.")
        raise ValueError(f"Layer '{obj.name}' expected {len(variables)} variables, but received "
                         f"{len(store)} variables during loading. Expected: "
                         f"{[v.name for v in variables]}")
    for i, variable in enumerate(variables):
        value = store[str(i)]
        if tuple(value.shape) != tuple(variable.shape.as_list()):
            raise ValueError(f"The shape of the target variable and the shape of the target "
                             f"value in `variable.assign(value)` must match. "
                             f"variable.shape={tuple(variable.shape.as_list())}, Received: "
                             f"value.shape={value.shape}. Target variable: {variable}")
        variable.assign(value.astype(variable.numpy().dtype, copy=False))


def save_state(model, h5file):
    """Writes the variables of `model` and everything under it into an open h5py file."""
    for path, obj in walk(model):
        group = h5file.create_group(f"{path}/vars" if path else "vars")
        group.attrs["name"] = obj.name
        _save_own(obj, VarsStore(group))


def load_state(model, h5file, skip_mismatch=False):
    """Reads back what `save_state` wrote; raises a ValueError listing the objects whose
    variables could not be loaded (warns instead with `skip_mismatch`)."""
    errors = {}
    for path, obj in walk(model):
        key = f"{path}/vars" if path else "vars"
        group = h5file[key] if key in h5file else None
        if _is_optimizer(obj) and group is not None and not obj.built and model.built:
            obj.build(model.trainable_variables)  # an unbuilt optimizer has no state yet
        try:
            _load_own(obj, VarsStore(group))
        except ValueError as e:
            errors[path or model.name] = e
    if not errors:
        return
    first_path, first = next(iter(errors.items()))
    message = (f"A total of {len(errors)} objects could not be loaded. Example error message "
               f"for object {first_path}:\n\n{first}\n\nList of objects that could not be "
               f"loaded:\n{list(errors)}")
    if skip_mismatch:
        warnings.warn(message, stacklevel=3)
    else:
        raise ValueError(message)


# ---- files -------------------------------------------------------------------------------------

def atomic_write(filepath, write):
    """Calls `write(temp_path)`, then moves the temporary file onto `filepath` (so a reader
    never sees a half-written file and a failed save leaves the old file intact)."""
    filepath = os.fspath(filepath)
    directory = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(directory, exist_ok=True)
    temp = os.path.join(directory, f".{os.path.basename(filepath)}.{os.getpid()}.tmp")
    try:
        write(temp)
        os.replace(temp, filepath)
    finally:
        if os.path.exists(temp):
            os.remove(temp)


def save_weights(model, filepath, overwrite=True):
    """`model.save_weights(filepath)`: the model's (and optimizer's) variables as a
    `.weights.h5` file."""
    filepath = os.fspath(filepath)
    if not filepath.endswith(WEIGHTS_SUFFIX):
        raise ValueError(f"The filename must end in `{WEIGHTS_SUFFIX}`. Received: "
                         f"filepath={filepath}")
    if not overwrite and os.path.exists(filepath) and not ask_to_overwrite(filepath):
        return
    h5py = _h5py()

    def write(path):
        with h5py.File(path, "w") as f:
            save_state(model, f)
    atomic_write(filepath, write)


def load_weights(model, filepath, skip_mismatch=False):
    """`model.load_weights(filepath)` for `.weights.h5` files."""
    filepath = os.fspath(filepath)
    h5py = _h5py()
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"[Errno 2] No such file or directory: '{filepath}'")
    try:
        f = h5py.File(filepath, "r")
    except OSError as e:
        raise ValueError(f"The weights file {filepath} is not a valid HDF5 file (it may be "
                         f"truncated or corrupted): {e}") from e
    with f:
        try:
            load_state(model, f, skip_mismatch=skip_mismatch)
        except (OSError, KeyError, RuntimeError) as e:
            raise ValueError(f"Could not read the weights in {filepath} (the file may be "
                             f"truncated or corrupted): {e}") from e


def ask_to_overwrite(filepath):
    """Asks on the terminal whether to overwrite `filepath` (Keras's `overwrite=False`)."""
    answer = input(f"[WARNING] {filepath} already exists - overwrite? [y/n]").strip().lower()
    while answer not in ("y", "n"):
        answer = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
    if answer == "n":
        return False
    print("[TIP] Next time specify overwrite=True!")
    return True
