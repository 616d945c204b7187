"""``make bench`` (``python -m bench``): load the data, measure every figure, print the table
and write ``bench/results.json``.

    python -m bench [--size smoke|small|medium|full] [--fresh] [--only KEY,...]

``BENCH_SIZE`` gives the default size (``small``). ``BENCH_DATABASE_URL`` points at an
existing PostgreSQL database; without it a local server is used (or installed and
started, on loopback only) with a database of its own, ``policycomms_bench``.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"

#: (group key, title) in the order they run; the keys are what --only takes.
GROUPS = [
    ("public_page", "public consultation page"),
    ("queue", "moderation queue"),
    ("bulk_approve", "bulk approve"),
    ("index_and_dashboard", "index page and dashboard"),
    ("synthesis", "synthesis report"),
    ("exports", "exports"),
    ("submissions", "submissions under load"),
    ("campaigns", "near-duplicate campaigns"),
]


def log(message):
    print(message, flush=True)


def machine_info():
    info = {
        "nproc": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kb = int(
            next(line for line in meminfo.splitlines() if line.startswith("MemTotal")).split()[1]
        )
        info["memory_gb"] = round(kb / 1024 / 1024, 1)
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(
            (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
             if line.startswith("model name")),
            platform.processor(),
        )  # fmt: skip
    except (OSError, StopIteration):
        pass
    return info


def software_info():
    import django
    import wagtail
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=HERE.parent, capture_output=True, text=True, check=False,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
            cwd=HERE.parent, capture_output=True, text=True, check=False,
        ).stdout.strip()  # fmt: skip
    except OSError:
        commit, dirty = "", ""
    return {
        "postgresql": pg,
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "git_commit": commit + ("+uncommitted" if dirty else ""),
    }


def _fmt(value, unit):
    if value is None:
        return "—"
    if unit == "s":
        return f"{value * 1000:,.0f} ms" if value < 10 else f"{value:,.1f} s"
    return f"{value:,.1f}{unit}"


def table(figures):
    """The closing table, plain text."""
    rows = [("figure", "value", "baseline", "ratio", "target", "result")]
    for f in figures:
        extra = ""
        mem = f.get("details", {}).get("memory_mb") or {}
        if f["key"] in ("export_csv", "export_xlsx"):
            which = f["key"].split("_")[1]
            if mem.get(which) is not None:
                extra = f", {mem[which]:,.0f} MB"
        rows.append(
            (
                f["title"][:70],
                _fmt(f["value"], f["unit"]) + extra,
                _fmt(f["baseline"], f["unit"]),
                "—" if f["ratio"] is None else f"{f['ratio']:.2f}x",
                f["target"][:48],
                f["status"].upper() + (f" ({f['error'][:60]})" if f["error"] else ""),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for n, row in enumerate(rows):
        lines.append(
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1]
        )
        if n == 0:
            lines.append("-" * (sum(widths) + 2 * len(widths) + 6))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default=os.environ.get("BENCH_SIZE") or "small")
    parser.add_argument("--fresh", action="store_true", help="rebuild the data")
    parser.add_argument("--only", default="", help="comma-separated groups: " +
                        ", ".join(key for key, _ in GROUPS))  # fmt: skip
    parser.add_argument("--output", default=str(RESULTS))
    args = parser.parse_args(argv)

    from . import data, services

    if args.size not in data.SIZES:
        parser.error(f"--size must be one of {', '.join(data.SIZES)}")
    n = data.SIZES[args.size]
    started = time.monotonic()
    log(f"== wagtail-policycomms benchmark: {args.size} ({n:,} comments)")
    os.environ["BENCH_DATABASE_URL"] = services.database_url(fresh=args.fresh, log=log)
    redis = services.Redis(log=log)
    cache_name = "database"
    if redis_url := redis.start():
        os.environ["BENCH_REDIS_URL"] = redis_url
        cache_name = "redis (loopback)"
    else:
        os.environ.pop("BENCH_REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    try:
        import django

        django.setup()
        from . import figures as figure_module
        from .campaigns import campaigns as campaign_figures
        from .load import submissions

        state = data.ensure_data(args.size, n, fresh=args.fresh, log=log)
        from django.core.cache import cache

        cache.clear()  # no count or rate-limit counter left from an earlier run
        ctx = figure_module.Context(state, args.size, log)
        functions = {
            "public_page": figure_module.public_page,
            "queue": figure_module.queue,
            "bulk_approve": figure_module.bulk_approve,
            "index_and_dashboard": figure_module.index_and_dashboard,
            "synthesis": figure_module.synthesis,
            "exports": figure_module.exports,
            "submissions": lambda ctx: submissions(ctx, cache_name),
            "campaigns": campaign_figures,
        }
        only = {key.strip() for key in args.only.split(",") if key.strip()}
        results = []
        for key, title in GROUPS:
            if only and key not in only:
                continue
            log(f"-- {title}")
            t = time.monotonic()
            try:
                for figure in functions[key](ctx):
                    results.append(figure.as_dict())
                    log(f"   {figure.title}: {_fmt(figure.value, figure.unit)} vs "
                        f"{_fmt(figure.baseline, figure.unit)} -> {figure.status}")  # fmt: skip
            except Exception as error:  # noqa: BLE001 (an error is a result; the run goes on)
                traceback.print_exc()
                results.append(
                    {
                        "key": key, "title": title, "value": None, "baseline": None,
                        "unit": "s", "baseline_name": "", "ratio": None, "target": "",
                        "status": "error", "details": {},
                        "error": f"{type(error).__name__}: {error}"[:500],
                    }
                )  # fmt: skip
            finally:
                figure_module.cleanup_audit_rows()
            log(f"   ({time.monotonic() - t:.0f} s)")
        report = {
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "size": args.size,
            "comments": state["comments"],
            "targets_enforced": ctx.enforce,
            "machine": machine_info(),
            "software": software_info(),
            "cache": cache_name,
            "data": {k: v for k, v in state.items() if k != "pages"},
            "run_seconds": round(time.monotonic() - started, 1),
            "figures": results,
        }
    finally:
        redis.stop()
    Path(args.output).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    log("")
    log(f"== Results: {args.size}, {report['comments']:,} comments, "
        f"{report['machine'].get('nproc')} CPUs, PostgreSQL {report['software']['postgresql']}, "
        f"{report['run_seconds']:.0f} s")  # fmt: skip
    log(table(results))
    failed = [f for f in results if f["status"] in ("fail", "error")]
    log("")
    log(f"{len(results) - len(failed)} of {len(results)} figures meet their target; "
        f"written to {args.output}")  # fmt: skip
    if not ctx.enforce:
        log("(smoke size: targets are reported, not enforced)")
        return 0
    return 0 if not failed else int(os.environ.get("BENCH_FAIL_EXIT", "0"))


if __name__ == "__main__":
    sys.exit(main())
