"""`tf.random`: seeded random draws, stateless draws and `tf.random.Generator`."""
import types as _types

from tensorlite.ops.random import (Generator, categorical, get_global_generator,  # noqa: F401
                                   normal, set_global_generator, set_seed, shuffle,
                                   stateless_categorical, stateless_fold_in, stateless_normal,
                                   stateless_split, stateless_truncated_normal,
                                   stateless_uniform, truncated_normal, uniform)

experimental = _types.ModuleType("tensorlite.random.experimental",
                                 "`tf.random.experimental`: generators and seed splitting.")
experimental.Generator = Generator
experimental.get_global_generator = get_global_generator
experimental.set_global_generator = set_global_generator
experimental.stateless_split = stateless_split
experimental.stateless_fold_in = stateless_fold_in
