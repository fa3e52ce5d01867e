"""Automatic names for layers, metrics and models: "dense", "dense_1", ... (per session)."""
import collections
import re

_counts = collections.defaultdict(int)


def to_snake_case(name):
    """CamelCase -> snake_case, as Keras derives default names from class names."""
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    s = re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()
    return s


def uniquify(base):
    """"dense" the first time, then "dense_1", "dense_2" ..."""
    n = _counts[base]
    _counts[base] += 1
    return base if n == 0 else f"{base}_{n}"


def reset():
    _counts.clear()
