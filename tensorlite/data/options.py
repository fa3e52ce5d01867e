"""`tf.data` constants (AUTOTUNE, cardinalities) and `tf.data.Options`.

The pipeline runs in the calling thread, so the options are recorded (and
merged the way TensorFlow merges them) but change nothing about execution.
"""
import enum

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2


class AutoShardPolicy(enum.IntEnum):
    """How a distributed input pipeline is sharded (`tf.data.experimental.AutoShardPolicy`)."""
    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3


class ExternalStatePolicy(enum.IntEnum):
    WARN = 0
    IGNORE = 1
    FAIL = 2


class _OptionGroup:
    """A set of named options, each None (unset) until assigned; unknown names are refused."""

    _fields = {}      # name -> default value, or an _OptionGroup subclass for nested groups

    def __init__(self):
        for name, default in self._fields.items():
            value = default() if isinstance(default, type) else default
            object.__setattr__(self, name, value)

    def __setattr__(self, name, value):
        if name not in self._fields:
            raise AttributeError(f"Cannot set the property {name} on {type(self).__name__}.")
        object.__setattr__(self, name, value)

    def _merge(self, other):
        """These options overridden by the ones `other` sets (TensorFlow's merge order)."""
        merged = type(self)()
        for name, default in self._fields.items():
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(default, type):
                value = mine._merge(theirs)
            else:
                value = theirs if theirs is not None else mine
            object.__setattr__(merged, name, value)
        return merged

    def __eq__(self, other):
        return type(self) is type(other) and all(
            getattr(self, n) == getattr(other, n) for n in self._fields)

    __hash__ = None


class ThreadingOptions(_OptionGroup):
    _fields = {"max_intra_op_parallelism": None, "private_threadpool_size": None}


class AutotuneOptions(_OptionGroup):
    _fields = {"enabled": None, "cpu_budget": None, "ram_budget": None,
               "autotune_algorithm": None}


class DistributeOptions(_OptionGroup):
    _fields = {"auto_shard_policy": None, "num_devices": None}


class OptimizationOptions(_OptionGroup):
    _fields = {name: None for name in (
        "apply_default_optimizations", "filter_fusion", "filter_parallelization",
        "inject_prefetch", "map_and_batch_fusion", "map_and_filter_fusion", "map_fusion",
        "map_parallelization", "noop_elimination", "parallel_batch", "seq_interleave_prefetch",
        "shuffle_and_repeat_fusion")}


class Options(_OptionGroup):
    """Options of a dataset, set with `dataset.with_options(options)`.

    >>> options = tf.data.Options()
    >>> options.deterministic = False
    >>> dataset = dataset.with_options(options)
    """
    _fields = {"autotune": AutotuneOptions, "dataset_name": None, "deterministic": None,
               "experimental_deterministic": None, "experimental_distribute": DistributeOptions,
               "experimental_external_state_policy": None,
               "experimental_optimization": OptimizationOptions, "experimental_slack": None,
               "experimental_symbolic_checkpoint": None, "experimental_warm_start": None,
               "threading": ThreadingOptions}

    def merge(self, options):
        """A new Options: these, overridden by those `options` sets."""
        return self._merge(options)
