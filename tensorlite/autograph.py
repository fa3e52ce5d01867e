"""`tf.autograph`: inspect and control the conversion of Python control flow."""
from tensorlite.graph.autograph import do_not_convert, to_code  # noqa: F401


class experimental:  # noqa: N801 - TensorFlow's namespace
    do_not_convert = staticmethod(do_not_convert)
