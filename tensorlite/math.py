"""`tf.math`: the public names of the math ops."""
from tensorlite.ops.math import (abs, add, add_n, cast, divide, exp, greater,  # noqa: F401,A004
                                 greater_equal, less, less_equal, log, maximum, minimum,
                                 multiply, negative, pow, reduce_mean, reduce_sum, sign,
                                 sqrt, square, subtract, truediv)
