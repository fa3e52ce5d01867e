"""Run one shared benchmark script unchanged, for a backend that lacks some of the tf API.

usage:
  python _launch.py SCRIPT [ARGS...]
      Runs the tf-API workload SCRIPT (a /work/shared/bench/tf_*.py file) in this process,
      as `python SCRIPT ARGS...` would, with TF_MODULE naming the backend.  A backend under
      construction may lack `tf.function` or fail to trace what the script passes it; then
      the function runs eagerly instead, so the rest of the workload still runs, and every
      metric named `tf_function*` is removed from the emitted JSON line and listed under
      "unsupported" with the error's first line: no eager number is reported as a
      tf.function one.  TensorFlow itself runs untouched; on other backends tf.function
      calls go through a thin guard (about 0.1 us per call).
  python _launch.py --startup-imports BENCH_DIR BACKEND N REASON
      Import-only startup measurement for a backend on which the shared startup.py fails
      (it also builds a Keras model): the import timing of startup.py (its own code, reused)
      in N fresh processes; the Keras and fit figures are listed as unsupported with REASON.

Standard library only: it runs under the project's interpreter and the reference venv alike.
"""
import importlib
import json
import os
import runpy
import statistics
import sys

# Metrics whose name starts with this measure tf.function; they need the real thing.
TF_FUNCTION_PREFIX = "tf_function"
# startup.py results that need Keras (the import-only fallback cannot produce them).
STARTUP_KERAS_METRICS = ("import_keras_s", "rss_after_keras_mb", "fit_housing_1ep")


def error_line(e):
    """'Type: first line of the message' of an exception."""
    msg = str(e).splitlines()
    return f"{type(e).__name__}: {msg[0]}" if msg else type(e).__name__


class GuardedFunction:
    """A backend's traced function; if its first call fails, the eager function takes over."""

    def __init__(self, traced, func, errors):
        self._traced, self._func, self._errors = traced, func, errors
        self._checked = False

    def __call__(self, *args, **kwargs):
        if self._checked:
            return self._traced(*args, **kwargs)
        try:
            out = self._traced(*args, **kwargs)
        except Exception as e:  # tracing failed: note why, go on eagerly
            self._errors.append(error_line(e))
            self._traced = self._func
            out = self._func(*args, **kwargs)
        self._checked = True
        return out

    def __getattr__(self, name):
        return getattr(self._traced, name)


def guarded_tf_function(tf, errors):
    """A tf.function replacement: the backend's own, guarded, or eager if it has none."""
    try:
        real = tf.function
    except AttributeError as e:
        errors.append(error_line(e))
        real = None

    def function(func=None, **options):
        if func is None:  # used as @tf.function(...)
            return lambda f: function(f, **options)
        if real is None:
            return func
        try:
            return GuardedFunction(real(func, **options), func, errors)
        except Exception as e:
            errors.append(error_line(e))
            return func
    return function


def drop_tf_function_metrics(emit, errors):
    """Wrap common.emit: after a tf.function error, tf_function* metrics become "unsupported"."""
    def wrapped(workload, backend, results, extra=None):
        if errors:
            dropped = [k for k in results if k.startswith(TF_FUNCTION_PREFIX)]
            results = {k: v for k, v in results.items() if k not in dropped}
            extra = dict(extra or {}, unsupported={k: errors[0] for k in dropped})
        emit(workload, backend, results, extra)
    return wrapped


def run_workload(script, args):
    """Run a tf-API workload script as __main__, with tf.function guarded (not for TensorFlow)."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    sys.argv = [script, *args]
    name = os.environ.get("TF_MODULE", "tensorflow")
    tf = importlib.import_module(name)
    if name != "tensorflow":
        import common  # the shared helpers; the script's `from common import emit` sees the wrapper
        errors = []
        tf.function = guarded_tf_function(tf, errors)
        common.emit = drop_tf_function_metrics(common.emit, errors)
    runpy.run_path(script, run_name="__main__")


def startup_imports(bench_dir, backend, n, reason):
    """Import timing of startup.py (fresh processes), without its Keras and fit parts."""
    sys.path.insert(0, bench_dir)
    import startup  # the shared startup.py: its subprocess runner and import probe
    from common import emit, r

    py = sys.executable
    base = [startup.run([py, "-c", "import numpy"])[0] for _ in range(n)]
    walls, recs = [], []
    for _ in range(n):
        wall, out = startup.run([py, "-c", startup.IMPORT_CODE.format(mod=backend, touch="pass")])
        walls.append(wall)
        recs.append(json.loads(out.strip().splitlines()[-1]))
    med = statistics.median
    results = {
        "n_processes": n,
        "import_s": r(med([x["import_s"] for x in recs]), 3),
        "process_wall_s": r(med(walls), 3),
        "python_numpy_wall_s": r(med(base), 3),
        "rss_after_import_mb": r(med([x["rss1"] for x in recs]), 1),
        "import_s_all": [r(x["import_s"], 3) for x in recs],
    }
    emit("startup", backend, results,
         {"unsupported": {k: reason for k in STARTUP_KERAS_METRICS}, "import_only": True})


if __name__ == "__main__":
    if sys.argv[1] == "--startup-imports":
        startup_imports(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    else:
        run_workload(sys.argv[1], sys.argv[2:])
