"""One export (or nothing) in a fresh process, to measure its peak memory.

``python -m bench.probe baseline|csv|xlsx|formbuilder_csv|formbuilder_xlsx`` prints one
JSON line: ``{"what", "hwm_kb", "seconds", "bytes"}``. The baseline sets Django up,
logs in and serves the home page: the memory every probe starts from.
"""

import json
import sys
import time

import django


def main(what):
    django.setup()
    from bench import figures
    from bench.measure import vm_hwm_kb

    client, state = figures.probe_client()
    started = time.perf_counter()
    if what == "baseline":
        size = figures.consume(client.get("/"))
    else:
        size = figures.consume(client.get(figures.export_url(what, state)))
    elapsed = time.perf_counter() - started
    figures.cleanup_audit_rows()
    print(json.dumps({"what": what, "hwm_kb": vm_hwm_kb(), "seconds": elapsed, "bytes": size}))


if __name__ == "__main__":
    main(sys.argv[1])
