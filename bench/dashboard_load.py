"""Dashboard p95 under 20 concurrent users, against a trivial page of the same server.

Serves the platform with gunicorn (gthread, 2 workers x 4 threads: the stack's
advice for 2 cores) on PostgreSQL, and runs locust headless with the users in
bench/dashboard_locust.py: demo sign-ins (password and authenticator code) that
open the core pathway dashboard or /health/, a page that does nothing behind the
same middleware. Statistics start once every user is spawned (sign-ins are
Argon2-slow on purpose). Prints both p95s and their ratio (target: dashboard p95
at most 5x the trivial page's).

    createdb -h 127.0.0.1 -U postgres safeguarding_bench     # once; --build fills it
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/safeguarding_bench \\
        .venv/bin/python bench/dashboard_load.py --build      # county demo, then the load
    ... bench/dashboard_load.py [--users 20] [--duration 120] [--cold]

--cold empties the indicator cache first, so the run also shows the cost of
computing on read; by default the cache is as `safeguarding demo` left it.
locust comes from the `bench` dependency group: `uv sync --group bench`.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def load_arguments(description: str, *, users: int, duration: int, port: int, demo: str):
    """The options both load benchmarks take (a parser, for a benchmark to add its own)."""
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("--build", action="store_true",
                        help=f"Migrate and build the {demo} demo in DATABASE_URL's database first")
    parser.add_argument("--users", type=int, default=users)
    parser.add_argument("--spawn-rate", type=float, default=2)
    parser.add_argument("--duration", type=int, default=duration, help="Seconds of load")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=port)
    return parser


def _arguments():
    parser = load_arguments(__doc__, users=20, duration=120, port=8765, demo="county")
    parser.add_argument("--src", default=str(ROOT / "src"),
                        help="Serve the code of another checkout's src folder (an earlier commit, "
                             "made with `git archive COMMIT src | tar -x -C DIR`), to compare")
    parser.add_argument("--cold", action="store_true",
                        help="Delete the cached indicator results before the run")
    return parser.parse_args()


def _environment(src: str) -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL bench database")
    env.update({"DJANGO_SETTINGS_MODULE": "safeguarding.config.settings.local", "DEBUG": "false",
                "PYTHONPATH": src, "LOG_LEVEL": "ERROR"})
    return env


def _run(env, *command: str) -> None:
    started = time.perf_counter()
    subprocess.run([str(BIN / "safeguarding"), *command], env=env, check=True)
    print(f"  safeguarding {' '.join(command)}: {time.perf_counter() - started:.1f} s")


def _wait_for(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server did not answer at {url}")


def _p95(stats_csv: Path) -> dict[str, dict[str, str]]:
    with open(stats_csv, newline="") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def gunicorn(env, port: int, workers: int, threads: int) -> subprocess.Popen:
    """The platform served as the stack advises for 2 cores (gthread workers)."""
    return subprocess.Popen(
        [str(BIN / "gunicorn"), "safeguarding.config.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--worker-class", "gthread", "--workers", str(workers),
         "--threads", str(threads), "--keep-alive", "5", "--log-level", "warning"], env=env)


def server_stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()  # workers still busy with requests the load left behind
        server.wait()


def locust_run(env, args, host: str, users_file: str) -> tuple[dict[str, dict[str, str]], str]:
    """Run locust headless with the users in bench/<users_file>; its stats rows and failures."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "load"
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / users_file),
             "--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
             "--run-time", f"{args.duration}s", "--host", host, "--csv", str(prefix),
             "--reset-stats", "--only-summary", "--loglevel", "WARNING"],
            env=env, check=False, timeout=args.duration + 600)
        return _p95(Path(f"{prefix}_stats.csv")), Path(f"{prefix}_failures.csv").read_text()


def main() -> None:
    args = _arguments()
    env = _environment(args.src)
    if args.build:
        _run(env, "migrate", "--verbosity", "0")
        _run(env, "demo", "--scale", "county", "--replace", "--verbosity", "0")
    if args.cold:
        _run(env, "shell", "-c",
             "from safeguarding.measures.models import IndicatorResults as R; R.objects.all().delete()")
    host = f"http://127.0.0.1:{args.port}"
    server = gunicorn(env, args.port, args.workers, args.threads)
    try:
        _wait_for(f"{host}/sign-in/")
        rows, _failures = locust_run(env, args, host, "dashboard_locust.py")
    finally:
        server_stop(server)
    print(f"\n{args.users} users, {args.duration} s, gunicorn gthread "
          f"{args.workers} workers x {args.threads} threads, {'cold' if args.cold else 'warm'} cache")
    for name in ("dashboard", "trivial"):
        row = rows.get(name)
        if row is None:
            continue
        print(f"{name:>10}: {row['Request Count']:>6} requests, {row['Failure Count']} failed, "
              f"median {row['50%']} ms, p95 {row['95%']} ms, p99 {row['99%']} ms")
    ratio = float(rows["dashboard"]["95%"]) / float(rows["trivial"]["95%"])
    print(f"ratio dashboard p95 / trivial p95: {ratio:.1f} (target <= 5)")


if __name__ == "__main__":
    main()
