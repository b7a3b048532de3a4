"""PostgreSQL restarted under load: errors during the restart, and recovery without touching gunicorn.

Serves the platform with gunicorn as bench/site_load.py does, signs four demo
users in (password and authenticator code), and has each send requests one
after another from four threads (home, the dashboard, the indicators API, the
children list) for --seconds. --restart-at seconds in, it restarts the
PostgreSQL cluster (`pg_ctlcluster VERSION CLUSTER restart`, run as root).
Prints, for before / during / after the restart, the requests and the failures
(any answer but 200, or no answer), and when the first request succeeded after.

    DATABASE_URL='postgres://postgres:postgres@127.0.0.1:5433/sg_rel?conn_max_age=60' \\
        uv run --group bench python bench/pg_restart.py --cluster 15/relbench

Use a cluster of your own: a restart breaks every other connection to it.
Requests go to 127.0.0.1 only; each thread stops after --seconds or 5,000 requests.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import threading
import time

import requests
from dashboard_load import ROOT, _environment, _wait_for
from django_otp.oath import totp
from site_load import _gunicorn, _load_average, _stop

SEED = 2021
PASSWORD = "demo-partnership-2021"  # noqa: S105 - the synthetic demo's sign-ins
USERS = {
    "business.staffs": ["/", "/dashboard/STAFFS/core-pathway/?period=2021-22"],
    "analyst.staffs": ["/", "/api/indicators?partnership=STAFFS&period=2021-22"],
    "social.worker": ["/", "/children/"],
    "board.la": ["/", "/dashboard/STAFFS/core-pathway/?period=2020-21"],
}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MAX_REQUESTS = 5000


def _sign_in(host: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{host}/sign-in/", timeout=30)
    page = session.post(f"{host}/sign-in/", timeout=30, data={
        "username": username, "password": PASSWORD,
        "csrfmiddlewaretoken": CSRF.search(page.text).group(1)})
    key = bytes.fromhex(hashlib.sha256(f"demo-totp:{SEED}:{username}".encode()).hexdigest()[:40])
    done = session.post(f"{host}/two-factor/", timeout=30, data={
        "code": f"{totp(key):06d}", "csrfmiddlewaretoken": CSRF.search(page.text).group(1)})
    if "/two-factor/" in done.url:
        raise SystemExit(f"{username}: the security code was refused")
    return session


def _requests(host, session, paths, until, log, started) -> None:
    for n in range(MAX_REQUESTS):
        if time.monotonic() >= until:
            return
        sent = time.monotonic() - started
        try:
            answer = session.get(f"{host}{paths[n % len(paths)]}", timeout=10,
                                 allow_redirects=False)
            outcome = str(answer.status_code)
        except requests.RequestException as error:
            outcome = type(error).__name__
        log.append((sent, time.monotonic() - started, outcome))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cluster", required=True, help="VERSION/NAME, such as 15/relbench")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--restart-at", type=float, default=15)
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()
    env = _environment(str(ROOT / "src"))
    host = f"http://127.0.0.1:{args.port}"
    server = _gunicorn(env, args.port, 2, 4)
    log: list[tuple[float, float, str]] = []
    try:
        _wait_for(f"{host}/sign-in/")
        sessions = {u: _sign_in(host, u) for u in USERS}
        print(f"load average before: {_load_average()}; "
              f"DATABASE_URL options: {env['DATABASE_URL'].partition('?')[2] or 'none'}")
        started = time.monotonic()
        until = started + args.seconds
        threads = [threading.Thread(target=_requests,
                                    args=(host, sessions[u], USERS[u], until, log, started))
                   for u in USERS]
        for thread in threads:
            thread.start()
        time.sleep(args.restart_at)
        version, name = args.cluster.split("/")
        restart_from = time.monotonic() - started
        subprocess.run(["pg_ctlcluster", version, name, "restart"], check=True, timeout=120)
        restart_to = time.monotonic() - started
        print(f"load average during: {_load_average()}")
        for thread in threads:
            thread.join(timeout=args.seconds + 60)
    finally:
        _stop(server)
    print(f"restart: from {restart_from:.1f} s to {restart_to:.1f} s "
          f"(pg_ctlcluster {version} {name} restart took {restart_to - restart_from:.1f} s); "
          "gunicorn was not restarted")
    windows = {"before": lambda s, e: e < restart_from,
               "during": lambda s, e: e >= restart_from and s <= restart_to,
               "after": lambda s, e: s > restart_to}
    for label, inside in windows.items():
        rows = [r for r in log if inside(r[0], r[1])]
        bad = [r for r in rows if r[2] != "200"]
        kinds = sorted({r[2] for r in bad})
        print(f"{label:>6}: {len(rows)} requests, {len(bad)} failed"
              f"{' (' + ', '.join(kinds) + ')' if kinds else ''}")
    after = sorted(r for r in log if r[0] > restart_to)
    first_ok = next((r for r in after if r[2] == "200"), None)
    if first_ok is not None:
        print(f"first success after the restart: sent {first_ok[0] - restart_to:.2f} s after it "
              f"ended; failures after that: {sum(r[2] != '200' for r in after if r[0] >= first_ok[0])}")
    else:
        print("no request succeeded after the restart")


if __name__ == "__main__":
    main()
