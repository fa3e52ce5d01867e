"""`tf.math`: the public names of the math ops (`tf.math.log`; there is no `tf.log`)."""
from tensorlite.ops.math import (  # noqa: F401,A004 - TensorFlow's names
    abs, acos, acosh, add, add_n, angle, argmax, argmin, asin, asinh, atan, atan2, atanh,
    ceil, conj, cos, cosh, count_nonzero, cumprod, cumsum, divide, divide_no_nan, equal,
    erf, erfc, exp, expm1, floor, floordiv, floormod, greater, greater_equal, imag,
    is_finite, is_inf, is_nan, less, less_equal, log, log1p, logical_and, logical_not,
    logical_or, logical_xor, maximum, minimum, mod, multiply, multiply_no_nan, negative,
    not_equal, pow, real, reciprocal, reduce_all, reduce_any, reduce_euclidean_norm,
    reduce_logsumexp, reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_std,
    reduce_sum, reduce_variance, rint, round, rsqrt, scalar_mul, sigmoid, sign, sin, sinh,
    softplus, softsign, sqrt, square, squared_difference, subtract, tan, tanh, truediv)
