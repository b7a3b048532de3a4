"""The pipeline on plain frames, with training (u by random sampling, m by EM)."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl

from safeguarding.children.linkage import pipeline, probabilistic
from safeguarding.children.linkage.config import load_config

FIRST = ["Oliver", "George", "Harry", "Jack", "Noah", "Leo", "Arthur", "Oscar", "Amelia", "Isla",
         "Ava", "Ivy", "Freya", "Lily", "Florence", "Mia", "William", "Katherine", "Thomas",
         "Elizabeth", "James", "Margaret", "Samuel", "Rebecca"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
        "Wright", "Walker", "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall",
        "Wood", "Harris", "Lewis", "Martin", "Jackson", "Clarke", "Clark", "Turner", "Hill"]
NICK = {"William": "Bill", "Katherine": "Kate", "Thomas": "Tom", "Elizabeth": "Liz",
        "James": "Jim", "Margaret": "Peggy", "Samuel": "Sam", "Rebecca": "Becky"}


def people(rng: random.Random, n: int, start: int) -> list[dict]:
    return [{
        "uid": f"{start + i}", "first_name": rng.choice(FIRST), "last_name": rng.choice(LAST),
        "date_of_birth": dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(18 * 365)),
        "sex": rng.choice("12"), "postcode": f"ST{rng.randrange(1, 12)} {rng.randrange(10)}"
        f"{rng.choice('ABDEFG')}{rng.choice('HJLNPQ')}",
        "nhs_number": "", "upn": "", "la": "", "la_child_id": "",
    } for i in range(n)]


def messy(rng: random.Random, person: dict) -> dict:
    out = dict(person)
    roll = rng.random()
    if roll < 0.15 and out["first_name"] in NICK:
        out["first_name"] = NICK[out["first_name"]]
    elif roll < 0.25:
        name = out["last_name"]
        out["last_name"] = name[:2] + name[3:] if len(name) > 4 else name + "e"
    elif roll < 0.35:
        d = out["date_of_birth"]
        if d.day <= 12:
            out["date_of_birth"] = d.replace(day=d.month, month=d.day)
    elif roll < 0.45:
        out["postcode"] = out["postcode"][:-2] + "ZZ"
    return out


def frame(rows: list[dict], uid: str) -> pl.DataFrame:
    return pl.DataFrame([{uid: r["uid"], **{k: v for k, v in r.items() if k != "uid"}}
                         for r in rows])


def test_a_trained_model_links_the_messy_copies():
    rng = random.Random(20261126)
    index = people(rng, 600, 0)
    copies = [messy(rng, p) | {"uid": f"r{p['uid']}"} for p in rng.sample(index, 300)]
    strangers = [p | {"uid": f"r{p['uid']}"} for p in people(rng, 150, 10_000)]
    result = pipeline.run(frame(index, "child_uid"), frame(copies + strangers, "record_uid"),
                          config=load_config({"u_max_pairs": 2e5}), train=True)
    assert result.trained
    assert set(result.parameters) == set(probabilistic.COMPARISONS)
    truth = {c["uid"]: c["uid"][1:] for c in copies}
    correct = sum(1 for link in result.links if truth.get(link["record_uid"]) == link["child_uid"])
    assert correct / len(result.links) >= 0.98
    assert correct / len(truth) >= 0.9
    assert {link["method"] for link in result.links} == {"probabilistic"}
