"""Tests of the harness logic (no timing assertions): python -m pytest benchmarks"""
import json
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402

TRACEBACK = """\
Traceback (most recent call last):
  File "startup.py", line 40, in run
RuntimeError: ['python', '-c', '...'] failed:
Traceback (most recent call last):
  File "<string>", line 7, in <module>
ModuleNotFoundError: No module named 'tensorlite.keras.layers'
"""


def test_first_error_line_is_the_innermost_exception():
    assert run.first_error_line(TRACEBACK, 1) == \
        "ModuleNotFoundError: No module named 'tensorlite.keras.layers'"


def test_first_error_line_without_exception():
    assert run.first_error_line("I0000 log line\nKilled\n\n", -9) == "Killed"
    assert run.first_error_line("", 3) == "exit status 3"


def test_environment_threads():
    tl = run.environment(run.Target("tensorlite", 1), run.REPO)
    assert tl["OPENBLAS_NUM_THREADS"] == "1" and tl["OMP_NUM_THREADS"] == "1"
    assert "BENCH_THREADS" not in tl  # tensorlite has no tf.config.threading for it
    assert tl["PYTHONPATH"].split(os.pathsep)[0] == run.REPO
    assert tl["TF_MODULE"] == "tensorlite"
    pt = run.environment(run.Target("torch", 1), run.REPO)
    assert pt["BENCH_THREADS"] == "1" and "TF_MODULE" not in pt
    tf = run.environment(run.Target("tensorflow", None), run.REPO)
    assert "BENCH_THREADS" not in tf and tf["TF_MODULE"] == "tensorflow"


def test_plan_interleaves_and_rotates():
    opts = run.parse_args(["--cycles", "2", "--workloads", "eager_op_overhead,startup",
                           "--threads", "both"])
    steps = [(c, w, t.label) for c, w, t in run.plan(opts)]
    assert steps[:3] == [(1, "eager_op_overhead", "tensorlite"), (1, "eager_op_overhead", "tensorflow"),
                         (1, "eager_op_overhead", "torch")]
    assert [lab for c, w, lab in steps if c == 2 and w == "eager_op_overhead"][:3] == \
        ["tensorflow", "torch", "tensorlite"]
    assert not any(w == "startup" and lab.endswith("_t1") for _c, w, lab in steps)
    assert len(steps) == 2 * (6 + 3)


def test_parse_args_rejects_unknown_workload():
    with pytest.raises(SystemExit):
        run.parse_args(["--workloads", "nope"])


def _rec(label, workload, results, **extra):
    return {"label": label, "backend": label.split("_t")[0], "workload": workload,
            "results": results, "python": "3.11", "numpy": "2", "cpu_count": 2,
            "background_cores": 0.1, **extra}


def test_report_medians_ratios_and_unsupported():
    why = "AttributeError: module 'tensorlite' has no attribute 'function'"
    records = [
        _rec("tensorlite", "eager_op_overhead", {"add": {"median_us": v}}, unsupported={"tf_function_add": why})
        for v in (1.0, 3.0, 2.0)
    ] + [
        _rec("tensorflow", "eager_op_overhead", {"add": {"median_us": v}, "tf_function_add": {"median_us": 300.0}})
        for v in (20.0, 40.0, 30.0)
    ] + [
        {"label": "tensorlite", "backend": "tensorlite", "workload": "housing_fit",
         "error": "ModuleNotFoundError: No module named 'tensorlite.keras.layers'"},
        _rec("tensorflow", "housing_fit", {"sgd": {"steady_ms_per_train_step": 2.0}}),
    ]
    text = run.report(records, run.DEFAULT_BENCH_DIR, cycles=3)
    rows = {line.split(" | ")[0]: line for line in text.splitlines() if line.startswith("| ")}
    add = rows["| tf.add (10,)+(10,), us/call"]
    assert "| 2.00 | 30.0 | 0.07x |" in add  # medians 2 and 30, ratio 2/30
    assert "not yet supported | 300 |" in rows["| call traced tf.function(add), us"]
    assert "not yet supported | 2.00 (n=1) | - |" in rows["| housing fit SGD, ms/step (steady; epoch incl. validation / 363)"]
    assert f"tensorlite eager_op_overhead.tf_function_add: not yet supported ({why})" in text
    assert "tensorlite housing_fit: not yet supported (ModuleNotFoundError" in text


FAKE_SCRIPT = """\
import fakebackend as tf
from common import emit
f = tf.function(lambda x, y: tf.add(x, y))
emit('fake', 'fakebackend', {'add': {'median_us': tf.add(1, 2)}, 'tf_function_add': {'median_us': f(1, 2)}})
"""
FAKE_COMMON = """\
import json
def emit(workload, backend, results, extra=None):
    print(json.dumps({'workload': workload, 'results': results, **(extra or {})}))
"""


def launch_fake(tmp_path, backend_source):
    """Run FAKE_SCRIPT through the launcher against a fake backend module; its JSON record."""
    (tmp_path / "fakebackend.py").write_text(backend_source)
    (tmp_path / "common.py").write_text(FAKE_COMMON)
    (tmp_path / "tf_fake.py").write_text(FAKE_SCRIPT)
    env = dict(os.environ, TF_MODULE="fakebackend", PYTHONPATH=str(tmp_path))
    p = subprocess.run([sys.executable, run.LAUNCHER, str(tmp_path / "tf_fake.py")],
                       env=env, capture_output=True, text=True, check=True)
    return json.loads(p.stdout.strip().splitlines()[-1])


ADD = "def add(a, b):\n    return a + b\n"


def test_launcher_stands_in_for_missing_tf_function(tmp_path):
    rec = launch_fake(tmp_path, ADD)
    assert rec["results"] == {"add": {"median_us": 3}}
    assert rec["unsupported"] == {
        "tf_function_add": "AttributeError: module 'fakebackend' has no attribute 'function'"}


def test_launcher_falls_back_when_tracing_fails(tmp_path):
    rec = launch_fake(tmp_path, ADD + (
        "def function(f):\n"
        "    def traced(*args):\n"
        "        raise TypeError('only def functions\\nsecond line')\n"
        "    return traced\n"))
    assert rec["results"] == {"add": {"median_us": 3}}
    assert rec["unsupported"] == {"tf_function_add": "TypeError: only def functions"}


def test_launcher_keeps_working_tf_function(tmp_path):
    rec = launch_fake(tmp_path, ADD + "def function(f):\n    return lambda *a: 10 * f(*a)\n")
    assert rec["results"] == {"add": {"median_us": 3}, "tf_function_add": {"median_us": 30}}
    assert "unsupported" not in rec


def test_report_best_and_max_bg():
    records = [_rec("tensorlite", "eager_op_overhead", {"add": {"median_us": v}}, background_cores=bg)
               for v, bg in ((5.0, 0.1), (4.0, 0.2), (1.0, 1.5))]
    rows = [line for line in run.report(records, run.DEFAULT_BENCH_DIR, 3, "best").splitlines()
            if line.startswith("| tf.add")]
    assert rows == ["| tf.add (10,)+(10,), us/call | 1.00 |"]
    text = run.report(records, run.DEFAULT_BENCH_DIR, 3, "best", max_bg=1.0)
    assert "| tf.add (10,)+(10,), us/call | 4.00 (n=2) |" in text
    assert "runs left out (background load > 1.0 cores): 1" in text
