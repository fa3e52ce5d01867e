"""`tf.config`: the few configuration calls user code makes (CPU only)."""
import os


class PhysicalDevice:
    """A device as `tf.config.list_physical_devices` reports it."""

    def __init__(self, name, device_type):
        self.name = name
        self.device_type = device_type

    def __repr__(self):
        return f"PhysicalDevice(name='{self.name}', device_type='{self.device_type}')"


_CPU = PhysicalDevice("/physical_device:CPU:0", "CPU")
_state = {"functions_eagerly": False}


def list_physical_devices(device_type=None):
    """The machine's devices: one CPU (tensorlite runs on NumPy)."""
    return [_CPU] if device_type in (None, "CPU") else []


list_logical_devices = list_physical_devices


def run_functions_eagerly(run_eagerly):
    """Makes every tf.function run its Python code eagerly (for debugging)."""
    _state["functions_eagerly"] = bool(run_eagerly)


def functions_run_eagerly():
    return _state["functions_eagerly"]


def set_visible_devices(devices, device_type=None):
    pass


_BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
             "BLIS_NUM_THREADS")
_blas = {"threads": None}


def _set_blas_threads(n):
    import threadpoolctl
    threadpoolctl.threadpool_limits(n, user_api="blas")
    _blas["threads"] = n


def default_blas_threads():
    """Ops run with one BLAS thread unless the environment says otherwise.

    Measured on the 2-core machines this project targets, under the usual background
    load: a Fashion-MNIST MLP step takes 1.5 ms with one OpenBLAS thread and 6.3 ms
    with two (the threads wait on each other), a small CNN step 64 ms against 167 ms.
    Setting any of OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, MKL_NUM_THREADS,
    BLIS_NUM_THREADS, or calling `tf.config.threading.set_intra_op_parallelism_threads`,
    chooses otherwise.
    """
    if not any(os.environ.get(k) for k in _BLAS_ENV):
        _set_blas_threads(1)


class threading:  # noqa: N801 - TensorFlow's namespace
    """Thread counts: the intra-op count is the BLAS thread count NumPy's kernels use."""

    @staticmethod
    def get_inter_op_parallelism_threads():
        return 0

    @staticmethod
    def get_intra_op_parallelism_threads():
        return _blas["threads"] or 0

    @staticmethod
    def set_inter_op_parallelism_threads(num_threads):
        pass

    @staticmethod
    def set_intra_op_parallelism_threads(num_threads):
        """Sets the number of BLAS threads (0: the machine's core count)."""
        _set_blas_threads(int(num_threads) or os.cpu_count() or 1)
