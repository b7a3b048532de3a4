"""The kept model: an import trains it once, later imports score with it, and it is
trained again when the index changes size, when the settings change, or on request; and
the child index kept for a batch of imports."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from safeguarding.children import identifiers
from safeguarding.children.linkage import probabilistic
from safeguarding.children.linkage.config import load_config
from safeguarding.children.linkage.services import link_records, linkage_model_train
from safeguarding.children.models import Child, LinkageModel, SourceRecord
from safeguarding.core.models import AuditEvent, Partnership, User

from .helpers import world
from .test_pipeline import messy, people

pytestmark = pytest.mark.django_db

# Small enough to train in seconds on a test's few hundred people.
SETTINGS = {"train_min_records": 100, "u_max_pairs": 2e5}


def config(**overrides):
    return load_config({**SETTINGS, **overrides})


def add_children(partnership, rows: list[dict]) -> None:
    Child.objects.bulk_create([Child(
        partnership=partnership, first_name=p["first_name"], last_name=p["last_name"],
        date_of_birth=p["date_of_birth"], sex=p["sex"], postcode=p["postcode"], ethnicity="WBRI",
        pseudonym=identifiers.pseudonymous_key(f"model-test:{partnership.code}:{p['uid']}"),
    ) for p in rows])


def add_records(partnership, agency, rows: list[dict]) -> list[SourceRecord]:
    return SourceRecord.objects.bulk_create([SourceRecord(
        partnership=partnership, agency=agency, source_system="niche", source_key=p["uid"],
        first_name=p["first_name"], last_name=p["last_name"], date_of_birth=p["date_of_birth"],
        sex=p["sex"], postcode=p["postcode"]) for p in rows])


@pytest.fixture
def linkshire():
    """600 children; three batches of 150 agency records, two thirds of them messy copies
    of children in the index; ``truth`` maps a copy's key to its child's surname, name
    and date of birth."""
    partnership, _la, police, _health = world()
    rng = random.Random(20261204)
    index = people(rng, 600, 0)
    add_children(partnership, index)
    copies = [messy(rng, p) | {"uid": f"R{p['uid']}"} for p in rng.sample(index, 300)]
    strangers = [p | {"uid": f"R{p['uid']}"} for p in people(rng, 150, 10_000)]
    batch = copies + strangers
    rng.shuffle(batch)
    truth = {f"R{p['uid']}": (p["first_name"], p["last_name"], p["date_of_birth"])
             for p in index}
    return partnership, police, [batch[i:i + 150] for i in range(0, 450, 150)], truth, rng


def calls_to_train(monkeypatch) -> list[int]:
    """Count the real training runs (the function still runs)."""
    calls: list[int] = []
    real = probabilistic.train_model

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(probabilistic, "train_model", counted)
    return calls


def precision(records: list[SourceRecord], truth) -> float:
    linked = [r for r in SourceRecord.objects.filter(pk__in=[r.pk for r in records],
                                                     child__isnull=False).select_related("child")]
    right = sum(1 for r in linked if truth.get(r.source_key) == (
        r.child.first_name, r.child.last_name, r.child.date_of_birth))
    assert linked
    return right / len(linked)


def test_the_first_import_trains_and_keeps_the_model_and_the_next_links_with_it(
        linkshire, monkeypatch):
    partnership, police, batches, truth, _ = linkshire
    trained = calls_to_train(monkeypatch)
    first = link_records(add_records(partnership, police, batches[0]), config=config())
    assert first.trained and len(trained) == 1
    [model] = LinkageModel.objects.filter(partnership=partnership)
    assert (model.reason, model.children, model.records) == ("first", 600, 150)
    assert set(model.settings) >= {"comparisons", "link_type"}
    audit = AuditEvent.objects.get(object_type="children.linkagemodel", object_id=str(model.pk))
    assert json.loads(audit.detail) == {"children": 600, "records": 150, "reason": "first"}

    second_batch = add_records(partnership, police, batches[1])
    second = link_records(second_batch, config=config())
    assert not second.trained and len(trained) == 1
    assert LinkageModel.objects.filter(partnership=partnership).count() == 1
    assert second.linked >= 80  # of 100 copies: the kept model, not nothing
    assert precision(second_batch, truth) >= 0.98


def test_a_grown_index_trains_again_and_a_small_change_does_not(linkshire, monkeypatch):
    partnership, police, batches, _truth, rng = linkshire
    trained = calls_to_train(monkeypatch)
    link_records(add_records(partnership, police, batches[0]), config=config())
    add_children(partnership, people(rng, 100, 20_000))  # 700: a sixth more
    assert not link_records(add_records(partnership, police, batches[1]), config=config()).trained
    add_children(partnership, people(rng, 100, 30_000))  # 800: a third more than 600
    assert link_records(add_records(partnership, police, batches[2]), config=config()).trained
    assert len(trained) == 2
    assert [(m.reason, m.children) for m in LinkageModel.objects.filter(
        partnership=partnership)] == [("index_changed", 800), ("first", 600)]


def test_changed_settings_train_again_and_the_old_model_is_not_used(linkshire, monkeypatch):
    partnership, police, batches, _truth, _ = linkshire
    trained = calls_to_train(monkeypatch)
    link_records(add_records(partnership, police, batches[0]), config=config())
    changed = load_config(SETTINGS).comparisons | {
        "sex": {"exact": {"m": 0.98, "u": 0.5}, "different": {"m": 0.02, "u": 0.5}}}
    summary = link_records(add_records(partnership, police, batches[1]),
                           config=config(comparisons=changed))
    assert summary.trained and len(trained) == 2
    assert [m.reason for m in LinkageModel.objects.filter(partnership=partnership)] == [
        "settings_changed", "first"]
    # back on the first settings, their own model is used again: no training
    assert not link_records(add_records(partnership, police, batches[2]), config=config()).trained


def test_too_few_records_use_the_priors_and_keep_no_model(linkshire):
    partnership, police, batches, _truth, _ = linkshire
    summary = link_records(add_records(partnership, police, batches[0][:50]), config=config())
    assert not summary.trained and summary.linked > 0
    assert not LinkageModel.objects.exists()


def test_training_on_request_refuses_too_little_data_and_names_the_counts(linkshire):
    partnership, police, batches, _truth, _ = linkshire
    add_records(partnership, police, batches[0][:50])
    with pytest.raises(ValidationError, match="LINKSHIRE has 600 children and 50 records"):
        linkage_model_train(actor=None, partnership=partnership, config=config())
    assert not LinkageModel.objects.exists()


def test_the_command_shows_and_trains_the_model(linkshire, settings, capsys):
    partnership, police, batches, _truth, _ = linkshire
    settings.LINKAGE = SETTINGS
    add_records(partnership, police, batches[0] + batches[1])
    call_command("linkage", "--partnership", "linkshire")
    assert "Model: none trained under the present settings" in capsys.readouterr().out
    call_command("linkage", "--partnership", "linkshire", "--train")
    out = capsys.readouterr().out
    model = LinkageModel.objects.get(partnership=partnership)
    assert (model.reason, model.children, model.records, model.trained_by) == (
        "asked", 600, 300, None)
    assert "on 600 children and 300 agency records (asked for)" in out
    assert "Trained again when the index changes by more than 20% of 600" in out
    with pytest.raises(CommandError, match="No partnership 'nowhere'"):
        call_command("linkage", "--partnership", "nowhere")


def test_the_review_page_shows_each_own_partnerships_model_only(demo_world, client_for):
    staffs = Partnership.objects.get(code="STAFFS")
    stoke = Partnership.objects.get(code="STOKE")
    live = load_config()
    for partnership, records in ((staffs, 23_456), (stoke, 7_890)):
        children = Child.objects.filter(partnership=partnership).count()
        LinkageModel.objects.create(
            partnership=partnership, settings={}, children=children, records=records,
            reason="first", config_digest=probabilistic.model_digest(live, children=children))
    body = client_for("business.staffs").get(reverse("children:linkage-review")).content.decode()
    assert "23,456 agency records" in body
    assert "7,890" not in body and stoke.name not in body
    LinkageModel.objects.filter(partnership=staffs).update(config_digest="0" * 64)
    body = client_for("business.staffs").get(reverse("children:linkage-review")).content.decode()
    assert "No model has been trained under the present settings" in body
    assert client_for("analyst.staffs").get(reverse("children:linkage-review")).status_code == 403


def test_a_user_with_no_reviewer_seat_sees_no_model():
    from safeguarding.children.linkage.selectors import models_in_use
    Partnership.objects.create(code="ELSEWHERE", name="Elsewhere")
    assert models_in_use(actor=User.objects.create(username="nobody")) == []


def test_a_kept_index_is_read_once_and_again_when_a_child_is_added(linkshire, monkeypatch):
    """A batch of imports reads the index once; a child added meanwhile is seen."""
    from safeguarding.children.linkage import services

    partnership, police, batches, _truth, _ = linkshire
    reads: list[int] = []
    real = services._read_children_frame

    def counted(partnership_id):
        reads.append(partnership_id)
        return real(partnership_id)

    monkeypatch.setattr(services, "_read_children_frame", counted)
    fixed = config(train_min_records=10_000)  # the priors: no training in this test
    with services.index_kept():
        first = link_records(add_records(partnership, police, batches[0]), config=fixed)
        second = link_records(add_records(partnership, police, batches[1]), config=fixed)
        assert len(reads) == 1 and first.linked and second.linked
        newcomer = {"uid": "N1", "first_name": "Zebedee", "last_name": "Quartermaine",
                    "date_of_birth": dt.date(2012, 2, 29), "sex": "1", "postcode": "ST3 4XY"}
        add_children(partnership, [newcomer])
        [record] = add_records(partnership, police, [newcomer | {"uid": "RN1"}])
        assert link_records([record], config=fixed).linked == 1
        assert len(reads) == 2
    record.refresh_from_db()
    assert record.child.last_name == "Quartermaine"
    # outside the context every import reads the index again
    link_records(add_records(partnership, police, batches[2]), config=fixed)
    assert len(reads) == 3


def test_a_kept_index_is_prepared_for_scoring_once_and_links_the_same(linkshire, monkeypatch):
    """Inside ``index_kept`` the index's names, dates and postcodes are prepared for scoring
    once for the run of imports (again when a child is added), and every record links to
    the child it links to when each import prepares the index itself."""
    from django.db import transaction

    from safeguarding.children.linkage import pipeline, services

    partnership, police, batches, _truth, _ = linkshire
    fixed = config(train_min_records=10_000)
    prepared: list[int] = []
    real = pipeline.for_model

    def counted(frame, uid):
        if uid == "child_uid":
            prepared.append(frame.height)
        return real(frame, uid)

    monkeypatch.setattr(pipeline, "for_model", counted)

    def linked(records) -> dict[str, int | None]:
        return {r.source_key: r.child_id for r in
                SourceRecord.objects.filter(pk__in=[r.pk for r in records])}

    with transaction.atomic():  # each import preparing the index itself; then undone
        alone = [add_records(partnership, police, batch) for batch in batches[:2]]
        for records in alone:
            link_records(records, config=fixed)
        expected = {**linked(alone[0]), **linked(alone[1])}
        transaction.set_rollback(True)
    assert prepared == [600, 600]
    prepared.clear()
    with services.index_kept():
        kept = [add_records(partnership, police, batch) for batch in batches[:2]]
        for records in kept:
            link_records(records, config=fixed)
        assert prepared == [600]
        add_children(partnership, [{"uid": "N1", "first_name": "Zebedee",
                                    "last_name": "Quartermaine",
                                    "date_of_birth": dt.date(2012, 2, 29), "sex": "1",
                                    "postcode": "ST3 4XY"}])
        link_records(add_records(partnership, police, batches[2]), config=fixed)
        assert prepared == [600, 601]
    assert {**linked(kept[0]), **linked(kept[1])} == expected
    assert sum(child is not None for child in expected.values()) > 100
