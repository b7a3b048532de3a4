"""The whole site under 50 signed-in users of several roles: failures and p50/p95 per page kind.

Serves the platform with gunicorn as bench/dashboard_load.py does (gthread, 2
workers x 4 threads, local settings with DEBUG=false) on PostgreSQL and runs
locust headless with the users in bench/site_locust.py. Statistics start once
every user is spawned. Prints requests, failures, p50 and p95 for each page
kind, and the load average before and every 15 s during the run.

    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5433/sg_rel \\
        uv run --group bench python bench/site_load.py --build     # small demo, then the load
    ... bench/site_load.py [--users 50] [--duration 300]

locust comes from the `bench` dependency group. Requests go to 127.0.0.1 only.
"""

from __future__ import annotations

import threading
from pathlib import Path

from dashboard_load import (
    ROOT,
    _environment,
    _run,
    _wait_for,
    gunicorn,
    load_arguments,
    locust_run,
    server_stop,
)

KINDS = ("home", "dashboard", "children list", "child page", "reviews list",
         "child-death list", "child-death case", "API indicators", "API child")


def _arguments():
    return load_arguments(__doc__, users=50, duration=300, port=8766, demo="small").parse_args()


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _watch(samples: list[str], stop: threading.Event) -> None:
    while not stop.wait(15):
        samples.append(_load_average())


def main() -> None:
    args = _arguments()
    env = _environment(str(ROOT / "src"))
    env["PYTHONPATH"] = f"{ROOT / 'src'}:{ROOT / 'bench'}"
    if args.build:
        _run(env, "migrate", "--verbosity", "0")
        _run(env, "demo", "--replace", "--verbosity", "0")
    host = f"http://127.0.0.1:{args.port}"
    print(f"load average before: {_load_average()}")
    server = gunicorn(env, args.port, args.workers, args.threads)
    samples: list[str] = []
    stop = threading.Event()
    try:
        _wait_for(f"{host}/sign-in/")
        watcher = threading.Thread(target=_watch, args=(samples, stop), daemon=True)
        watcher.start()
        rows, failures = locust_run(env, args, host, "site_locust.py")
    finally:
        stop.set()
        server_stop(server)
    print(f"\n{args.users} users, {args.duration} s after spawning, gunicorn gthread "
          f"{args.workers} workers x {args.threads} threads")
    print(f"load average during (1, 5, 15 min; every 15 s): {'; '.join(samples)}")
    print("| page kind | requests | failures | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in (*KINDS, "Aggregated"):
        row = rows.get(name)
        if row is not None:
            print(f"| {name} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | "
                  f"{row['95%']} | {row['99%']} |")
    others = [n for n in rows if n not in KINDS and n != "Aggregated"]
    print(f"(also counted in Aggregated: {', '.join(others) or 'nothing else'})")
    print(f"failures:\n{failures}")


if __name__ == "__main__":
    main()
