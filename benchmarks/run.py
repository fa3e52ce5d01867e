"""Compare tensorlite with TensorFlow and PyTorch on the shared benchmark workloads.

usage: python benchmarks/run.py [--cycles 5] [--workloads eager_op_overhead,startup]
                                [--backends tensorlite,tensorflow,torch] [--threads default|1|both]
       python benchmarks/run.py --from bench-results/run-*.jsonl     (table from saved lines)

The workload scripts of /work/shared/bench run unchanged, one fresh process per run, and the
backends are INTERLEAVED: every cycle runs each workload once on every backend (rotating the
backend order from cycle to cycle), so the shared machine's load hits them alike.  The table
shows per-metric medians over cycles and the ratios tensorlite / tensorflow and
tensorlite / torch.  The raw JSON lines go to bench-results/run-<date>-<time>.jsonl.

tensorlite runs with this interpreter and, on PYTHONPATH, the package as committed at HEAD
(exported to bench-results/src-<commit>; --source working takes the working tree instead);
TensorFlow and PyTorch with the reference venv's interpreter (--ref-python, default
/opt/tfref/bin/python).  A workload (or metric) that tensorlite cannot run yet is reported as
"not yet supported" with the first line of its error; the run goes on.
"""
import argparse
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tarfile
import time
from collections import defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(REPO, "benchmarks", "_launch.py")
DEFAULT_BENCH_DIR = "/work/shared/bench"
DEFAULT_REF_PYTHON = "/opt/tfref/bin/python"
WORKLOADS = ["eager_op_overhead", "startup", "predict_mlp", "housing_fit", "fashion_mlp_fit",
             "fashion_mlp_custom_loop", "cnn_fit"]
BACKENDS = ["tensorlite", "tensorflow", "torch"]
# The thread count of one BLAS/OpenMP pool; reference frameworks also get BENCH_THREADS=1,
# the shared scripts' switch for their own intra-op pools (tensorlite has none).
ONE_THREAD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
# A line that starts a Python exception report, e.g. "ModuleNotFoundError: No module named 'x'".
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b(:.*)?$")


class Target:
    """One backend at one thread setting (threads None = the framework's default)."""

    def __init__(self, backend, threads):
        self.backend, self.threads = backend, threads

    @property
    def label(self):
        return self.backend if self.threads is None else f"{self.backend}_t{self.threads}"


def first_error_line(stderr, returncode):
    """The first line of the innermost error reported on stderr (the last exception line)."""
    lines = [ln.rstrip() for ln in stderr.splitlines()]
    exc = [ln for ln in lines if _EXCEPTION_LINE.match(ln)]
    if exc:
        return exc[-1]
    rest = [ln for ln in lines if ln.strip()]
    return rest[-1] if rest else f"exit status {returncode}"


def environment(target, tensorlite_root):
    """Subprocess environment: PYTHONPATH for tensorlite, thread settings for the target."""
    env = dict(os.environ)
    env.pop("BENCH_THREADS", None)  # set below for the 1-thread targets only
    if target.backend == "tensorlite":
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [tensorlite_root, env.get("PYTHONPATH")]))
    if target.backend != "torch":
        env["TF_MODULE"] = target.backend
    if target.threads is not None:
        n = str(target.threads)
        env.update({k: n for k in ONE_THREAD_ENV})
        if target.backend != "tensorlite":
            env["BENCH_THREADS"] = n
    return env


def command(target, workload, opts):
    """The command line that runs one workload script for one target."""
    python = sys.executable if target.backend == "tensorlite" else opts.ref_python
    if workload == "startup":
        return [python, os.path.join(opts.bench_dir, "startup.py"), "--backend", target.backend,
                "--n", str(opts.startup_n), "--n-fit", str(opts.startup_n_fit)]
    if target.backend == "torch":
        return [python, os.path.join(opts.bench_dir, f"torch_{workload}.py")]
    return [python, LAUNCHER, os.path.join(opts.bench_dir, f"tf_{workload}.py")]


def execute(cmd, env, cwd, timeout):
    """Run cmd; return (JSON record or None, first error line or None)."""
    try:
        p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timeout after {timeout} s"
    out = p.stdout.strip().splitlines()
    if p.returncode == 0 and out and out[-1].startswith("{"):
        return json.loads(out[-1]), None
    return None, first_error_line(p.stderr, p.returncode)


def run_one(target, workload, cycle, opts):
    """One fresh-process run of a workload; a failure becomes an error record, not an exception."""
    env = environment(target, opts.tensorlite_root)
    rec, err = execute(command(target, workload, opts), env, opts.out_dir, opts.timeout)
    if rec is None and workload == "startup":
        # startup.py also builds a Keras model; keep at least the import timing.
        python = command(target, workload, opts)[0]
        cmd = [python, LAUNCHER, "--startup-imports", opts.bench_dir, target.backend,
               str(opts.startup_n), err]
        rec, err = execute(cmd, env, opts.out_dir, opts.timeout)
    if rec is None:
        rec = {"workload": workload, "backend": target.backend, "error": err}
    rec.update({"label": target.label, "threads": target.threads, "cycle": cycle})
    if target.backend == "tensorlite":
        rec["tensorlite_commit"] = opts.commit
    return rec


def wait_for_quiet(opts):
    """Wait (bounded) for the shared machine to quieten, with the shared quiet.py."""
    if opts.quiet_wait > 0:
        subprocess.run([sys.executable, os.path.join(opts.bench_dir, "quiet.py"), "0.5",
                        str(opts.quiet_wait)], cwd=opts.bench_dir, capture_output=True)


def plan(opts):
    """(cycle, workload, target) in run order: workloads in turn, backends rotated per cycle."""
    thread_settings = {"default": [None], "1": [1], "both": [None, 1]}[opts.threads]
    for cycle in range(1, opts.cycles + 1):
        for workload in opts.workloads:
            shift = (cycle - 1) % len(opts.backends)
            backends = opts.backends[shift:] + opts.backends[:shift]
            for threads in thread_settings:
                if threads is not None and workload == "startup":
                    continue  # import time does not depend on the BLAS thread count
                for backend in backends:
                    yield cycle, workload, Target(backend, threads)


def run_all(opts, out_path):
    """Run the plan, appending each JSON line to out_path; return the records."""
    records = []
    with open(out_path, "a") as out:
        for cycle, workload, target in plan(opts):
            wait_for_quiet(opts)
            t0 = time.perf_counter()
            rec = run_one(target, workload, cycle, opts)
            status = "ok" if "results" in rec else f"FAILED: {rec['error']}"
            print(f"[{time.strftime('%H:%M:%S')}] cycle {cycle}/{opts.cycles} {workload:24s} "
                  f"{target.label:14s} {time.perf_counter() - t0:6.1f} s  {status}",
                  file=sys.stderr, flush=True)
            out.write(json.dumps(rec) + "\n")
            out.flush()
            records.append(rec)
    return records


# ------------------------------------------------------------------ summary

def flatten(d, prefix=""):
    """{'a': {'b': 1}} -> {'a.b': 1.0}: numeric leaves only."""
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(flatten(v, f"{prefix}{k}."))
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out[f"{prefix}{k}"] = float(v)
    return out


def covers(unsupported_key, metric):
    """Whether an "unsupported" entry (e.g. 'fit_housing_1ep') names this dotted metric."""
    return metric == unsupported_key or metric.startswith(unsupported_key + ".")


class Summary:
    """Per (label, workload, metric) values over cycles, and why things did not run.

    stat: "median" over runs, or "best" (the lowest, or highest for rates in 1/s): the
    least contended run, when the shared machine is busy.  Runs during which other processes
    used more than max_bg cores on average are left out."""

    def __init__(self, records, stat="median", max_bg=None):
        self.values = defaultdict(list)    # (label, workload, metric) -> [value per run]
        self.missing = {}                  # (label, workload, metric or None) -> error line
        self.labels, self.background, self.info = [], defaultdict(list), {}
        self.stat, self.max_bg, self.dropped = stat, max_bg, 0
        for rec in records:
            self._add(rec)

    def _add(self, rec):
        label, workload = rec.get("label", rec.get("backend")), rec["workload"]
        if label not in self.labels:
            self.labels.append(label)
        bg = rec.get("background_cores")
        if self.max_bg is not None and bg is not None and bg > self.max_bg:
            self.dropped += 1
            return
        if "results" not in rec:
            self.missing[(label, workload, None)] = rec.get("error")
            return
        for key, reason in rec.get("unsupported", {}).items():
            self.missing[(label, workload, key)] = reason
        for metric, v in flatten(rec["results"]).items():
            self.values[(label, workload, metric)].append(v)
        if bg is not None:
            self.background[label].append(bg)
        info = self.info.setdefault(label, {})
        for key in ("python", "numpy", "cpu_count"):
            info.setdefault(key, rec.get(key))
        if rec.get("tensorlite_commit"):
            info["versions"] = f"tensorlite {rec['tensorlite_commit']}"
        elif rec.get("versions"):
            info["versions"] = " ".join(f"{k} {v}" for k, v in rec["versions"].items())

    def median(self, label, workload, metric, unit=None):
        """(statistic over runs, run count), or None; unit '1/s' marks rates (higher is better)."""
        xs = self.values.get((label, workload, metric))
        if not xs:
            return None
        if self.stat == "best":
            return (max(xs) if unit == "1/s" else min(xs)), len(xs)
        return statistics.median(xs), len(xs)

    def reason(self, label, workload, metric):
        """Why label has no value for this metric (None if it has one or was not run)."""
        for (lab, w, key), why in self.missing.items():
            if lab == label and w == workload and (key is None or covers(key, metric)):
                return why
        return None


def metric_rows(summary, bench_dir):
    """(workload, metric, description, unit) for the metrics of the shared summarize.py that ran."""
    sys.path.insert(0, bench_dir)
    from summarize import METRICS  # the shared list of headline metrics and their labels
    ran = {w for (_lab, w, _m) in summary.values} | {w for (_lab, w, _m) in summary.missing}
    return [(w, key, desc, unit) for w, key, desc, unit in METRICS if w in ran]


def fmt(x):
    """A number with three significant digits or so."""
    ax = abs(x)
    if ax >= 100:
        return f"{x:,.0f}"
    if ax >= 10:
        return f"{x:.1f}"
    if ax >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def cell(summary, label, workload, metric, unit, cycles):
    """Value of one table cell, with its run count when some runs lack it."""
    m = summary.median(label, workload, metric, unit)
    if m:
        return fmt(m[0]) + ("" if cycles is None or m[1] == cycles else f" (n={m[1]})")
    if label.startswith("tensorlite") and summary.reason(label, workload, metric):
        return "not yet supported"
    return "failed" if summary.reason(label, workload, metric) else "-"


def ratio(summary, a, b, workload, metric, unit):
    """Value of label a over value of label b, e.g. '0.07x'."""
    ma, mb = summary.median(a, workload, metric, unit), summary.median(b, workload, metric, unit)
    return f"{ma[0] / mb[0]:.2f}x" if ma and mb and mb[0] else "-"


def table(summary, rows, suffix, cycles):
    """Markdown table for one thread setting (suffix '' or '_t1')."""
    cols = [b + suffix for b in BACKENDS if b + suffix in summary.labels]
    ratios = [("tensorlite", b) for b in ("tensorflow", "torch")
              if "tensorlite" + suffix in cols and b + suffix in cols]
    lines = [f"| metric ({summary.stat}) | " + " | ".join(cols) +
             "".join(f" | {a} / {b}" for a, b in ratios) + " |",
             "|---" * (1 + len(cols) + len(ratios)) + "|"]
    for w, metric, desc, unit in rows:
        cells = [cell(summary, c, w, metric, unit, cycles) for c in cols]
        if all(c == "-" for c in cells):
            continue
        lines.append(f"| {desc} | " + " | ".join(cells) +
                     "".join(f" | {ratio(summary, a + suffix, b + suffix, w, metric, unit)}"
                             for a, b in ratios) + " |")
    return "\n".join(lines)


def report(records, bench_dir, cycles=None, stat="median", max_bg=None):
    """The whole text report: context, one table per thread setting, what did not run."""
    summary = Summary(records, stat, max_bg)
    rows = metric_rows(summary, bench_dir)
    out = []
    for label in summary.labels:
        info, bg = summary.info.get(label), summary.background.get(label)
        if not info:
            out.append(f"- {label}: no successful run")
            continue
        out.append(f"- {label}: {info.get('versions', '')}, python {info['python']}, "
                   f"numpy {info['numpy']}, {info['cpu_count']} cpus, median background load "
                   + (f"{statistics.median(bg):.2f} cores" if bg else "-"))
    if max_bg is not None:
        out.append(f"- runs left out (background load > {max_bg} cores): {summary.dropped}")
    suffixes = {"_t1" if lab.endswith("_t1") else "" for lab in summary.labels}
    for suffix, title in (("", "default threads"), ("_t1", "1 BLAS/intra-op thread")):
        if suffix in suffixes:
            out += ["", f"## {title}", "", table(summary, rows, suffix, cycles)]
    notes = sorted({(lab, w, key or "", why) for (lab, w, key), why in summary.missing.items()})
    if notes:
        out += ["", "Not run:"]
        for lab, w, key, why in notes:
            what = "not yet supported" if lab.startswith("tensorlite") else "failed"
            out.append(f"- {lab} {w}{'.' + key if key else ''}: {what} ({why})")
    return "\n".join(out)


def git(*args):
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, check=True).stdout


def tensorlite_source(source, out_dir):
    """(directory to put on PYTHONPATH, commit label) for --source head or working.

    head: the committed package, exported once into out_dir/src-<commit>, so that the numbers
    belong to a commit and half-saved edits in the working tree cannot break a run."""
    commit = git("rev-parse", "--short", "HEAD").decode().strip()
    if source == "working":
        dirty = git("status", "--porcelain", "--untracked-files=no", "--", "tensorlite").strip()
        return REPO, commit + ("+working-tree" if dirty else "")
    root = os.path.join(out_dir, f"src-{commit}")
    if not os.path.isdir(os.path.join(root, "tensorlite")):
        with tarfile.open(fileobj=io.BytesIO(git("archive", "HEAD", "tensorlite"))) as tar:
            tar.extractall(root, filter="data")
    return root, commit


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cycles", type=int, default=5, help="runs of every workload per backend")
    ap.add_argument("--workloads", default="eager_op_overhead,startup",
                    help=f"comma-separated subset of {','.join(WORKLOADS)}, or 'all'")
    ap.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated")
    ap.add_argument("--threads", choices=["default", "1", "both"], default="both",
                    help="framework default threads, 1 BLAS/OpenMP thread, or both")
    ap.add_argument("--bench-dir", default=DEFAULT_BENCH_DIR, help="the shared workload scripts")
    ap.add_argument("--ref-python", default=os.environ.get("BENCH_REF_PYTHON", DEFAULT_REF_PYTHON),
                    help="interpreter with tensorflow and torch installed")
    ap.add_argument("--source", choices=["head", "working"], default="head",
                    help="benchmark tensorlite as committed at HEAD, or the working tree")
    ap.add_argument("--out-dir", default=os.path.join(REPO, "bench-results"))
    ap.add_argument("--startup-n", type=int, default=5, help="fresh imports per startup run")
    ap.add_argument("--startup-n-fit", type=int, default=2, help="fresh 1-epoch fits per startup run")
    ap.add_argument("--quiet-wait", type=float, default=10.0,
                    help="wait up to this many s for the machine to quieten before each run (0: no)")
    ap.add_argument("--timeout", type=float, default=3600.0, help="s per workload run")
    ap.add_argument("--stat", choices=["median", "best"], default="median",
                    help="table value over runs: median, or best (least contended) run")
    ap.add_argument("--max-bg", type=float, default=None, metavar="CORES",
                    help="leave out runs during which other processes used more cores than this")
    ap.add_argument("--from", dest="from_files", nargs="+", metavar="JSONL",
                    help="print the table of saved result lines instead of running")
    opts = ap.parse_args(argv)
    opts.workloads = WORKLOADS if opts.workloads == "all" else opts.workloads.split(",")
    opts.backends = opts.backends.split(",")
    for name, given, known in (("workload", opts.workloads, WORKLOADS), ("backend", opts.backends, BACKENDS)):
        unknown = set(given) - set(known)
        if unknown:
            ap.error(f"unknown {name}(s) {sorted(unknown)}; choose from {known}")
    return opts


def main(argv=None):
    opts = parse_args(argv)
    if opts.from_files:
        records = []
        for fn in opts.from_files:
            with open(fn) as f:
                records += [json.loads(line) for line in f if line.strip()]
        cycles = max((rec.get("cycle") or 0 for rec in records), default=0) or None
        print(report(records, opts.bench_dir, cycles, opts.stat, opts.max_bg))
        return
    os.makedirs(opts.out_dir, exist_ok=True)
    out_path = os.path.join(opts.out_dir, time.strftime("run-%Y%m%d-%H%M%S.jsonl"))
    opts.tensorlite_root, opts.commit = tensorlite_source(opts.source, opts.out_dir)
    print(f"tensorlite {opts.commit}; results -> {out_path}", file=sys.stderr)
    records = run_all(opts, out_path)
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {opts.cycles} interleaved cycles, "
          f"results in {out_path}\n")
    print(report(records, opts.bench_dir, opts.cycles, opts.stat, opts.max_bg))


if __name__ == "__main__":
    main()
