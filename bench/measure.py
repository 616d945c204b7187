"""Timing and memory helpers: interleaved repetitions, medians, peak memory of a subprocess."""

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def seconds(fn):
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def interleaved(contenders, reps, warmup=1, between=None):
    """Run each callable of ``contenders`` (name -> fn) in turn, A B C A B C ..., ``reps``
    times after ``warmup`` untimed rounds; ``between(name)`` runs untimed after each call
    (to restore state). Returns name -> list of seconds."""
    times = {name: [] for name in contenders}
    for round_ in range(warmup + reps):
        for name, fn in contenders.items():
            elapsed = seconds(fn)
            if between is not None:
                between(name)
            if round_ >= warmup:
                times[name].append(elapsed)
    return times


def median(values):
    return statistics.median(values) if values else None


@dataclass
class Figure:
    key: str
    title: str
    value: float | None = None
    baseline: float | None = None
    unit: str = "s"
    baseline_name: str = ""
    ratio: float | None = None
    target: str = ""
    status: str = "info"  # pass, fail, error, info (measured, no target)
    details: dict = field(default_factory=dict)
    error: str = ""

    def as_dict(self):
        return asdict(self)


def judge(figure, *conditions):
    """``conditions``: booleans (None: not measured). pass when all hold."""
    if figure.error:
        figure.status = "error"
    elif any(c is None for c in conditions):
        figure.status = "fail"
    else:
        figure.status = "pass" if all(conditions) else "fail"
    return figure


def ratio(value, baseline):
    if value is None or not baseline:
        return None
    return value / baseline


def vm_hwm_kb():
    """This process's peak resident memory (VmHWM), in KiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def probe(what, timeout=3600):
    """Run ``python -m bench.probe <what>`` in a fresh process; its JSON report."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.probe", what],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"probe {what} failed: " + " | ".join(tail))
    return json.loads(lines[-1])
