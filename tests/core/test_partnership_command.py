"""`safeguarding partnership add|list`: partnerships and their LA areas from the command line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from safeguarding.core.models import AuditEvent, LocalAuthority, Partnership

pytestmark = pytest.mark.django_db


def partnership(*args: str) -> str:
    out = StringIO()
    call_command("partnership", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, int, int]:
    return Partnership.objects.count(), LocalAuthority.objects.count(), AuditEvent.objects.count()


def test_add_creates_the_partnership_with_its_la_area():
    out = partnership("add", "x", "--name", "Example Partnership", "--la", "860/E10000028")
    assert "Added X: Example Partnership" in out
    created = Partnership.objects.get(code="X")
    assert created.name == "Example Partnership"
    la = created.local_authorities.get()
    assert (la.old_code, la.new_code) == ("860", "E10000028")
    assert AuditEvent.objects.filter(action="create", object_type="core.partnership",
                                     object_id=str(created.pk), actor_label="system").exists()


def test_add_takes_several_la_areas():
    partnership("add", "JOINT", "--name", "Joint", "--la", "860/E10000028",
                "--la", " 861/e06000021 ")
    assert sorted(Partnership.objects.get(code="JOINT").local_authorities.values_list(
        "old_code", "new_code")) == [("860", "E10000028"), ("861", "E06000021")]


def test_list_prints_code_and_name():
    partnership("add", "STAFFS", "--name", "Staffordshire", "--la", "860/E10000028")
    partnership("add", "STOKE", "--name", "Stoke-on-Trent", "--la", "861/E06000021")
    lines = partnership("list").splitlines()
    assert [line.split("\t")[:2] for line in lines] == [["STAFFS", "Staffordshire"],
                                                       ["STOKE", "Stoke-on-Trent"]]
    assert lines[0].split("\t")[2] == "860/E10000028"


def test_list_of_no_partnerships_prints_nothing():
    assert partnership("list") == ""


@pytest.mark.parametrize("bad", ["860-E10000028", "86/E10000028", "860/E1000002", "860",
                                 "ABC/E10000028"])
def test_a_malformed_la_fails_naming_the_value_and_saves_nothing(bad):
    before = counts()
    with pytest.raises(CommandError) as error:
        partnership("add", "X", "--name", "N", "--la", "870/E10000029", "--la", bad)
    assert f"'{bad}'" in str(error.value)
    assert "860/E10000028" in str(error.value)  # and shows the expected shape
    assert counts() == before


def test_a_duplicate_la_code_fails_and_nothing_is_half_saved():
    partnership("add", "STAFFS", "--name", "Staffordshire", "--la", "860/E10000028")
    before = counts()
    with pytest.raises(CommandError, match="Partnership not added.*old_code"):
        partnership("add", "NEW", "--name", "New", "--la", "870/E10000029", "--la", "860/E10000099")
    assert counts() == before
    assert not Partnership.objects.filter(code="NEW").exists()
    assert not LocalAuthority.objects.filter(old_code="870").exists()


def test_a_duplicate_new_la_code_fails_too():
    partnership("add", "STAFFS", "--name", "Staffordshire", "--la", "860/E10000028")
    before = counts()
    with pytest.raises(CommandError, match="new_code"):
        partnership("add", "NEW", "--name", "New", "--la", "870/E10000028")
    assert counts() == before


def test_a_duplicate_partnership_code_fails():
    partnership("add", "STAFFS", "--name", "Staffordshire", "--la", "860/E10000028")
    before = counts()
    with pytest.raises(CommandError, match="code"):
        partnership("add", "staffs", "--name", "Again", "--la", "870/E10000029")
    assert counts() == before
    assert Partnership.objects.get(code="STAFFS").name == "Staffordshire"


def test_a_new_code_outside_the_english_la_ranges_is_refused():
    with pytest.raises(CommandError, match="new_code"):
        partnership("add", "X", "--name", "N", "--la", "860/E99000000")
    assert not Partnership.objects.exists()


def test_name_and_la_are_required():
    with pytest.raises(CommandError):
        partnership("add", "X", "--la", "860/E10000028")
    with pytest.raises(CommandError):
        partnership("add", "X", "--name", "N")
    assert not Partnership.objects.exists()
