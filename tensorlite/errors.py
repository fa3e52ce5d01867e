"""`tf.errors`: TensorFlow's exception classes."""
from tensorlite.framework.errors import *  # noqa: F401,F403
from tensorlite.framework.errors import (AbortedError, AlreadyExistsError,  # noqa: F401
                                         CancelledError, DataLossError,
                                         DeadlineExceededError, FailedPreconditionError,
                                         InternalError, InvalidArgumentError, NotFoundError,
                                         OpError, OutOfRangeError, PermissionDeniedError,
                                         ResourceExhaustedError, UnauthenticatedError,
                                         UnavailableError, UnimplementedError, UnknownError)
