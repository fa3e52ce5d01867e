import threadpoolctl

import tensorlite as tf


def test_intra_op_threads_set_blas_threads():
    before = tf.config.threading.get_intra_op_parallelism_threads()
    try:
        tf.config.threading.set_intra_op_parallelism_threads(2)
        assert tf.config.threading.get_intra_op_parallelism_threads() == 2
        blas = [i for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
        assert all(i["num_threads"] == 2 for i in blas)
    finally:
        tf.config.threading.set_intra_op_parallelism_threads(before or 1)


def test_devices():
    assert [d.device_type for d in tf.config.list_physical_devices()] == ["CPU"]
    assert tf.config.list_physical_devices("GPU") == []
