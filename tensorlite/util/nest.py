"""`tf.nest`: nested structures (lists, tuples, namedtuples, dicts) of leaves.

Built on optree, which implements the same traversal as tf.nest (dicts in
sorted key order, None as a leaf) in C. optree is imported on first use: it is
a fifth of `import tensorlite`'s own time, and eager code rarely needs it.
"""
import importlib

_NS = "tensorlite"


class _LazyOptree:
    """Stands for optree until first used, then puts the real module in its place."""

    def __getattr__(self, attr):
        global optree
        optree = importlib.import_module("optree")
        return getattr(optree, attr)


optree = _LazyOptree()


def flatten(structure, expand_composites=False):
    """The leaves of `structure` in tf.nest order (a non-nested value is one leaf)."""
    return optree.tree_leaves(structure, none_is_leaf=True, namespace=_NS)


def flatten_with_treedef(structure):
    """(leaves, treedef): the leaves and a hashable description of the structure."""
    return optree.tree_flatten(structure, none_is_leaf=True, namespace=_NS)


def is_nested(structure):
    return isinstance(structure, (list, tuple, dict)) or optree.is_namedtuple(structure)


is_sequence = is_nested


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """Fills `structure`'s shape with the leaves of `flat_sequence`."""
    treedef = optree.tree_structure(structure, none_is_leaf=True, namespace=_NS)
    flat_sequence = list(flat_sequence)
    if treedef.num_leaves != len(flat_sequence):
        raise ValueError(f"Could not pack sequence. Structure had {treedef.num_leaves} "
                         f"atoms, but flat_sequence had {len(flat_sequence)} items. "
                         f"Structure: {structure}, flat_sequence: {flat_sequence}.")
    return optree.tree_unflatten(treedef, flat_sequence)


def map_structure(func, *structures, check_types=True, expand_composites=False):
    """Applies `func` to corresponding leaves of `structures`."""
    if not structures:
        raise ValueError("Must provide at least one structure")
    for s in structures[1:]:
        assert_same_structure(structures[0], s, check_types=check_types)
    return optree.tree_map(func, *structures, none_is_leaf=True, namespace=_NS)


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    t1 = optree.tree_structure(nest1, none_is_leaf=True, namespace=_NS)
    t2 = optree.tree_structure(nest2, none_is_leaf=True, namespace=_NS)
    if t1.num_leaves != t2.num_leaves or (check_types and t1 != t2) or (
            not check_types and len(flatten(nest1)) != len(flatten(nest2))):
        raise ValueError(f"The two structures don't have the same nested structure.\n\n"
                         f"First structure: {nest1}\n\nSecond structure: {nest2}")


def flatten_with_paths(structure):
    paths, leaves, _ = optree.tree_flatten_with_path(structure, none_is_leaf=True,
                                                     namespace=_NS)
    return list(zip(paths, leaves))
