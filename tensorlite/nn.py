"""`tf.nn`: activations, softmax, cross-entropies, normalization, dropout."""
from tensorlite.ops.math import sigmoid, softplus, softsign, tanh  # noqa: F401
from tensorlite.ops.nn import (batch_normalization, bias_add, compute_average_loss,  # noqa: F401
                               dropout, elu, gelu, l2_loss, l2_normalize, leaky_relu,
                               log_softmax, moments, relu, relu6, scale_regularization_loss,
                               selu, sigmoid_cross_entropy_with_logits, silu, softmax,
                               softmax_cross_entropy_with_logits,
                               sparse_softmax_cross_entropy_with_logits, swish,
                               weighted_cross_entropy_with_logits)
from tensorlite.ops.array import top_k  # noqa: F401,E402
