"""The synthetic demo: the same seed gives the same data; identifiers are valid; commands."""

from __future__ import annotations

import random
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django_tasks_db.models import DBTaskResult
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguarding.children.identifiers import (
    synthetic_nhs_number,
    validate_nhs_number,
    validate_upn,
)
from safeguarding.children.models import Child, Involvement
from safeguarding.core.models import Partnership, User
from safeguarding.demo import builder, people
from tests.conftest import QUEUED_TASKS, WHOLE_DEMO, demo_fingerprint_parts, whole_demo_file

pytestmark = pytest.mark.django_db

SIZES = {"STAFFS": 60, "STOKE": 25}


@pytest.fixture
def without_dfe_tables(monkeypatch, tmp_path):
    """The demo without DfE's published tables: they are loaded from files as they are,
    the same for every seed, and neither the fingerprint nor the identifiers read them
    (about 13 s of each whole build)."""
    monkeypatch.setattr(builder, "DFE_TABLES", tmp_path)


def build_and_fingerprint(seed: int, with_modules: bool = True, sizes=SIZES,
                          check=None, writers_apart: bool | None = None) -> tuple[str, dict]:
    """Build in a transaction that is rolled back, so each build starts from empty;
    ``check`` (if given) looks at the build first."""
    with transaction.atomic():
        result = builder.build(seed=seed, quiet=True, children_override=sizes,
                               with_modules=with_modules, writers_apart=writers_apart)
        if check is not None:
            check(result)
        fingerprint = builder.fingerprint()
        parts = demo_fingerprint_parts()
        transaction.set_rollback(True)
    assert not Partnership.objects.exists()
    return fingerprint, parts


@pytest.fixture(scope="module")
def the_whole_demo_built_before(django_db_setup, django_db_blocker):
    """The fingerprint of the whole demo (``WHOLE_DEMO``) as another build made it: the
    kept build the other modules share (often made by another test process). Module-scoped,
    so it is made before (outside) the test's own transaction."""
    if connection.vendor in ("sqlite", "postgresql"):
        _saved, result = whole_demo_file(django_db_blocker, WHOLE_DEMO)
        return result["fingerprint"], result["fingerprint_parts"]
    with django_db_blocker.unblock():
        return build_and_fingerprint(WHOLE_DEMO["seed"], sizes=None)


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(
        the_whole_demo_built_before, db, without_dfe_tables):
    # The whole demo, with the children the other modules' demos add, built again with the
    # same seed; its identifiers are checked too (every_demo_child_has_valid_unique_identifiers).
    # This build's returns are written in a process of their own, as at national scale; the
    # kept one wrote them in process: the same seed gives the same demo either way.
    first, first_parts = the_whole_demo_built_before
    second, second_parts = build_and_fingerprint(
        WHOLE_DEMO["seed"], sizes=None, check=every_demo_child_has_valid_unique_identifiers,
        writers_apart=True)
    if second != first:  # say what differs, not just that the digests do
        differences = [
            f"{part}: only in the first build "
            f"{sorted(set(first_parts[part]) - set(second_parts[part]))[:3]}"
            f", only in the second {sorted(set(second_parts[part]) - set(first_parts[part]))[:3]}"
            for part in first_parts if first_parts[part] != second_parts[part]
        ]
        pytest.fail("same seed, different demo. " + "; ".join(differences or ["order only"]))
    # The child index alone already differs with the seed.
    assert build_and_fingerprint(11, with_modules=False)[0] != build_and_fingerprint(
        12, with_modules=False)[0]


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32), taken_count=st.integers(0, 3000))
def test_a_drawn_nhs_number_is_valid_in_the_test_range_and_never_one_already_taken(
        seed, taken_count):
    # Once the child-death demo drew an NHS number the index already held (seed 2, an index
    # of 3,000 and 1,000): every module now draws against the numbers taken so far.
    rng = random.Random(seed)
    taken: set[str] = set()
    drawn = [synthetic_nhs_number(rng, taken) for _ in range(taken_count)]
    assert len(set(drawn)) == len(drawn) == len(taken)
    number = synthetic_nhs_number(rng, taken)
    assert number not in drawn and number.startswith("999")
    assert validate_nhs_number(number) == number


def test_the_fingerprint_notices_a_changed_record(demo_world):
    before = builder.fingerprint()
    child = Child.objects.order_by("pk").first()
    Child.objects.filter(pk=child.pk).update(postcode="ST1 1AA" if child.postcode != "ST1 1AA"
                                             else "ST2 2BB")
    assert builder.fingerprint() != before


def test_the_demo_builds_what_people_py_describes(demo_world):
    assert set(Partnership.objects.values_list("code", flat=True)) == {"STAFFS", "STOKE"}
    assert sorted(u.username for u in User.objects.all()) == sorted(s[0] for s in people.SIGN_INS)
    for username, role, _, code, group in people.SIGN_INS:
        membership = User.objects.get(username=username).memberships.get()
        assert (membership.role, membership.partnership.code) == (role, code)
        assert (membership.sub_group.name if membership.sub_group else None) == group
    # demo_world is the child index alone (with_modules=False): 30 + 12 children.
    assert Child.objects.filter(partnership__code="STAFFS").count() == 30
    assert Child.objects.filter(partnership__code="STOKE").count() == 12
    assert not Child.objects.filter(involvements__isnull=True).exists()
    assert not Involvement.objects.filter(started_on__lt=F("child__date_of_birth")).exists()


def every_demo_child_has_valid_unique_identifiers(result: dict) -> None:
    """Every child of the whole demo (the index and the children other modules add) has a
    valid NHS number in the 999 range and a valid UPN of its LA, each unique."""
    assert result["children"] == sum(people.SCALES["tiny"].values())
    children = list(Child.objects.select_related("local_authority", "partnership"))
    with_nhs = [c for c in children if c.nhs_number]
    with_upn = [c for c in children if c.upn]
    # The index's children nearly all have both; children other modules add often have
    # neither (seed 7: 787 with an NHS number and 722 with a UPN, of 1,406).
    assert len(with_nhs) > 0.5 * len(children) and len(with_upn) > 0.3 * len(children)
    for child in with_nhs:
        assert validate_nhs_number(child.nhs_number) == child.nhs_number
        assert child.nhs_number.startswith("999")  # the range reserved for testing
    for child in with_upn:
        assert validate_upn(child.upn) == child.upn
        assert child.upn[1:4] == child.local_authority.old_code
    for code in ("STAFFS", "STOKE"):
        numbers = [c.nhs_number for c in with_nhs if c.partnership.code == code]
        assert len(set(numbers)) == len(numbers)


def test_demo_command_refuses_a_database_that_has_partnerships(demo_world):
    before = builder.fingerprint()
    with pytest.raises(CommandError, match="--replace"):
        call_command("demo", stdout=StringIO())
    assert builder.fingerprint() == before


@pytest.mark.django_db(transaction=True)  # as on the command line: flush outside a transaction
def test_demo_command_with_replace_builds_again(without_dfe_tables, monkeypatch, settings,
                                                capsys):
    # The command's own work (refuse or replace, the sign-ins it prints) at a tenth of the
    # default scale's index and returns: the volumes are the builder's business, tested above.
    monkeypatch.setitem(builder.CENSUS_CHILDREN, "tiny", {"STAFFS": 30, "STOKE": 12})
    monkeypatch.setitem(people.SCALES, "tiny", {"STAFFS": 40, "STOKE": 16})
    builder.build(seed=7, quiet=True, children_override={"STAFFS": 5, "STOKE": 5},
                  with_modules=False)
    before = builder.fingerprint()
    out = StringIO()
    # As `make demo` runs it, with e-mails printed to the console: the build's e-mails are
    # kept in memory instead, so none prints among the command's output.
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.TASKS = QUEUED_TASKS  # as `make demo` runs it: the report's PDF left to the worker
    from django.core import mail

    mail.outbox = []
    call_command("demo", "--replace", "--seed", "3", stdout=out)
    assert mail.outbox, "the build sends e-mails (bookings, reminders)"
    assert "Subject:" not in capsys.readouterr().out
    tiny = people.SCALES["tiny"]
    index = tiny["STAFFS"] + tiny["STOKE"]
    assert Child.objects.count() >= index
    # Every demo sign-in, and no one else but the training programme's synthetic learners.
    usernames = set(User.objects.values_list("username", flat=True))
    assert {s[0] for s in people.SIGN_INS} <= usernames
    assert all(u.startswith("learner.") for u in usernames - {s[0] for s in people.SIGN_INS})
    assert builder.fingerprint() != before
    # The published report's PDF waits for the worker, as after `make demo`.
    assert DBTaskResult.objects.filter(task_path__endswith="render_published_pdf").count() == 1
    text = out.getvalue()
    assert f"seed 3, {index:,} children" in text
    assert "social.worker" in text and people.DEMO_PASSWORD in text


def test_demo_code_prints_a_code_the_two_factor_page_accepts(demo_world):
    out = StringIO()
    call_command("demo_code", "social.worker", stdout=out)
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)

    client = Client()
    client.post("/sign-in/", {"username": "social.worker", "password": people.DEMO_PASSWORD})
    response = client.post("/two-factor/", {"code": code})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/").status_code == 200


def test_demo_code_for_someone_without_a_demo_authenticator(demo_world):
    with pytest.raises(CommandError, match="nobody"):
        call_command("demo_code", "nobody", stdout=StringIO())


def test_every_demo_user_can_sign_in_with_the_demo_password_and_code(demo_world):
    for username, *_ in people.SIGN_INS[:3]:
        out = StringIO()
        call_command("demo_code", username, stdout=out)
        client = Client()
        client.post("/sign-in/", {"username": username, "password": people.DEMO_PASSWORD})
        assert client.post("/two-factor/", {"code": out.getvalue().strip()})["Location"] == "/"


@pytest.mark.parametrize("real", ["partnership", "sign-in"])
def test_demo_replace_refuses_a_database_holding_real_data(demo_world, real):
    if real == "partnership":
        Partnership.objects.create(code="LIVE", name="A real partnership")
    else:
        User.objects.create_user(username="real.person", email="someone@council.example")
    before = builder.fingerprint()
    with pytest.raises(CommandError, match="not a demo database"):
        call_command("demo", "--replace", stdout=StringIO())
    assert builder.fingerprint() == before
    assert Partnership.objects.filter(code="LIVE").exists() == (real == "partnership")
    assert User.objects.filter(username="real.person").exists() == (real == "sign-in")
