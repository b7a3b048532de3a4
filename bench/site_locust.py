"""Locust users for bench/site_load.py: demo sign-ins of several roles, mixed page kinds.

Each user signs in as one of the demo's people (password, then the
authenticator's code, as bench/dashboard_locust.py does), finds out once which
page kinds its role may open (requests named "probe ...", left out of the
figures), then with a pause of 1 to 2 s between requests opens one of them at
random: home, the core pathway dashboard, the children list, a child's page, the
incidents list of learning reviews, the child death cases list and a case, the
indicators API and the child API. Not a test: run through bench/site_load.py.
"""

from __future__ import annotations

import itertools
import random
import re

from dashboard_locust import sign_in  # locust puts bench/ on the path
from gevent.lock import Semaphore
from locust import HttpUser, between, task

from safeguarding.demo import people

# Every demo sign-in except the system administrator (who sees no case work).
ACCOUNTS = [(u, role, code) for u, role, _agency, code, _group in people.SIGN_INS
            if role != "system_administrator"]
_locks = {u: Semaphore() for u, _role, _code in ACCOUNTS}
PERIODS = ("2020-21", "2021-22")
_next_account = itertools.count()
_ID = re.compile(r'"id":\s*(\d+)')


class SiteUser(HttpUser):
    wait_time = between(1, 2)

    def on_start(self) -> None:
        self.username, self.role, self.partnership = \
            ACCOUNTS[next(_next_account) % len(ACCOUNTS)]
        self.random = random.Random(self.username)
        sign_in(self.client, self.username, _locks[self.username])
        self.kinds = self._probe()

    def _ids(self, url: str) -> list[int]:
        with self.client.get(url, name=f"probe {url.split('?')[0]}",
                             catch_response=True) as answer:
            answer.success()
            if answer.status_code != 200:
                return []
            return [int(i) for i in _ID.findall(answer.text)]

    def _opens(self, url: str) -> bool:
        with self.client.get(url, name="probe", catch_response=True) as answer:
            answer.success()
            return answer.status_code == 200

    def _probe(self) -> list[str]:
        """The page kinds this user's role may open, with the records to open."""
        self.children = self._ids("/api/children?limit=50")
        self.cases = self._ids("/api/child-deaths/cases?limit=50")
        kinds = ["home"]
        code = self.partnership
        candidates = {
            "dashboard": f"/dashboard/{code}/core-pathway/?period=2020-21",
            "API indicators": f"/api/indicators?partnership={code}&period=2020-21",
            "children list": "/children/",
            "reviews list": "/reviews/incidents/",
            "child-death list": "/child-deaths/",
        }
        kinds += [kind for kind, url in candidates.items() if self._opens(url)]
        if self.children:
            kinds += ["child page", "API child"]
        if self.cases:
            kinds.append("child-death case")
        return kinds

    @task
    def page(self) -> None:
        kind = self.random.choice(self.kinds)
        code = self.partnership
        period = self.random.choice(PERIODS)
        url = {
            "home": "/",
            "dashboard": f"/dashboard/{code}/core-pathway/?period={period}",
            "API indicators": f"/api/indicators?partnership={code}&period={period}",
            "children list": "/children/",
            "reviews list": "/reviews/incidents/",
            "child-death list": "/child-deaths/",
        }.get(kind)
        if kind == "child page":
            url = f"/children/{self.random.choice(self.children)}/"
        elif kind == "API child":
            url = f"/api/children/{self.random.choice(self.children)}"
        elif kind == "child-death case":
            url = f"/child-deaths/{self.random.choice(self.cases)}/"
        self.client.get(url, name=kind)
