"""`tf.data`: input pipelines (`tf.data.Dataset`, `tf.data.TextLineDataset` ...)."""
from tensorlite.data import experimental  # noqa: F401
from tensorlite.data.dataset import (Dataset, DatasetSpec, NumpyIterator,  # noqa: F401
                                     OwnedIterator as Iterator)
from tensorlite.data.options import (AUTOTUNE, INFINITE_CARDINALITY,  # noqa: F401
                                     UNKNOWN_CARDINALITY, Options, ThreadingOptions)
from tensorlite.data.text import TextLineDataset  # noqa: F401
from tensorlite.data.tfrecord_dataset import TFRecordDataset  # noqa: F401
