"""Locust users for bench/dashboard_load.py: demo sign-ins reading the dashboard.

Each user signs in like a person (password, then the authenticator's code),
then, with a pause of 1 to 2 s between requests, opens either the core pathway
dashboard of its partnership (2020-21 or 2021-22) or the trivial /health/ page
behind the same middleware. Not a test: run through bench/dashboard_load.py.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import os
import re
import struct
import time

import gevent
from gevent.lock import Semaphore
from locust import HttpUser, between, task

from safeguarding.demo import people

SEED = int(os.environ.get("DEMO_SEED", "2021"))
DASHBOARD_ROLES = {"business_unit", "board_member", "sub_group_member", "analyst"}
ACCOUNTS = [(u, code) for u, role, _agency, code, _group in people.SIGN_INS
            if role in DASHBOARD_ROLES]
PERIODS = ("2020-21", "2021-22")
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_next_account = itertools.count()
# A TOTP code is accepted once per 30 s step (tolerance one step either side), so
# sessions of the same account take the steps in turn.
_last_step: dict[str, int] = {}
_locks: dict[str, Semaphore] = {u: Semaphore() for u, _ in ACCOUNTS}


def _totp_key(username: str) -> bytes:
    # As safeguarding.demo.builder.totp_key derives the demo authenticators' secrets.
    return bytes.fromhex(hashlib.sha256(f"demo-totp:{SEED}:{username}".encode()).hexdigest()[:40])


def _totp(key: bytes, step: int) -> str:
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def _free_step(username: str) -> int:
    while True:
        now = int(time.time() // 30)
        step = max(now - 1, _last_step.get(username, -1) + 1)
        if step <= now + 1:
            _last_step[username] = step
            return step
        gevent.sleep(1)


def sign_in(client, username: str, lock: Semaphore) -> None:
    """Sign a locust user's client in: password, then the authenticator's code."""
    page = client.get("/sign-in/", name="sign-in")
    page = client.post("/sign-in/", name="sign-in", data={
        "username": username, "password": people.DEMO_PASSWORD,
        "csrfmiddlewaretoken": _CSRF.search(page.text).group(1)})
    with lock:
        step = _free_step(username)
        # Waiting for a free code step can outlast gunicorn's keep-alive (5 s): start
        # on a fresh connection rather than one the server is closing.
        client.close()
        done = client.post("/two-factor/", name="two-factor", data={
            "code": _totp(_totp_key(username), step),
            "csrfmiddlewaretoken": _CSRF.search(page.text).group(1)})
    if "/two-factor/" in done.url:
        raise RuntimeError(f"{username}: the security code was refused")


class DashboardReader(HttpUser):
    wait_time = between(1, 2)

    def on_start(self) -> None:
        self.username, self.partnership = ACCOUNTS[next(_next_account) % len(ACCOUNTS)]
        self.periods = itertools.cycle(PERIODS)
        sign_in(self.client, self.username, _locks[self.username])

    @task
    def dashboard(self) -> None:
        self.client.get(f"/dashboard/{self.partnership}/core-pathway/?period={next(self.periods)}",
                        name="dashboard")

    @task
    def trivial(self) -> None:
        self.client.get("/health/", name="trivial")
