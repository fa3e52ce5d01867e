"""`tf.nn`: activations, softmax, cross-entropies, normalization, dropout, convolution and
pooling."""
from tensorlite.ops.math import sigmoid, softplus, softsign, tanh  # noqa: F401
from tensorlite.ops.nn import (batch_normalization, bias_add, compute_average_loss,  # noqa: F401
                               dropout, elu, gelu, l2_loss, l2_normalize, leaky_relu,
                               log_softmax, moments, relu, relu6, scale_regularization_loss,
                               selu, sigmoid_cross_entropy_with_logits, silu, softmax,
                               softmax_cross_entropy_with_logits,
                               sparse_softmax_cross_entropy_with_logits, swish,
                               weighted_cross_entropy_with_logits)
from tensorlite.ops.array import top_k  # noqa: F401,E402
from tensorlite.ops.conv import (avg_pool, avg_pool1d, avg_pool2d, conv1d, conv2d,  # noqa: F401
                                conv2d_transpose, depthwise_conv2d, max_pool, max_pool1d,
                                max_pool2d)
