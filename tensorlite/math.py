"""`tf.math`: the public names of the math ops (`tf.math.log`; there is no `tf.log`)."""
from tensorlite.ops.math import (  # noqa: F401,A004 - TensorFlow's names
    abs, accumulate_n, acos, acosh, add, add_n, angle, argmax, argmin, asin, asinh, atan,
    atan2, atanh, ceil, conj, cos, cosh, count_nonzero, cumprod, cumsum, cumulative_logsumexp,
    divide, divide_no_nan, equal, erf, erfc, exp, expm1, floor, floordiv, floormod, greater,
    greater_equal, imag, is_finite, is_inf, is_nan, is_non_decreasing, is_strictly_increasing,
    less, less_equal, log, log1p, log_sigmoid, logical_and, logical_not, logical_or,
    logical_xor, maximum, minimum, mod, multiply, multiply_no_nan, negative, nextafter,
    not_equal, polyval, pow, real, reciprocal, reciprocal_no_nan, reduce_all, reduce_any,
    reduce_euclidean_norm, reduce_logsumexp, reduce_max, reduce_mean, reduce_min, reduce_prod,
    reduce_std, reduce_sum, reduce_variance, rint, round, rsqrt, scalar_mul, sigmoid, sign,
    sin, sinh, softplus, softsign, sqrt, square, squared_difference, subtract, tan, tanh,
    truediv, xdivy, xlog1py, xlogy, zero_fraction)
# tf.math names whose ops live with the neural-network ops.
from tensorlite.ops.nn import l2_normalize, log_softmax, softmax  # noqa: F401
# tf.math names whose ops live with the array ops.
from tensorlite.ops.array import (invert_permutation, segment_sum, top_k,  # noqa: F401
                                  unsorted_segment_sum)
