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


class threading:  # noqa: N801 - TensorFlow's namespace
    """Thread counts are NumPy's BLAS: set OMP_NUM_THREADS/OPENBLAS_NUM_THREADS before import."""

    @staticmethod
    def get_inter_op_parallelism_threads():
        return 0

    @staticmethod
    def get_intra_op_parallelism_threads():
        return int(os.environ.get("OMP_NUM_THREADS", "0") or 0)

    @staticmethod
    def set_inter_op_parallelism_threads(num_threads):
        pass

    @staticmethod
    def set_intra_op_parallelism_threads(num_threads):
        pass
