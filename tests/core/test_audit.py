"""The hash-chained audit log: appends chain, edits and deletions are found and named."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from safeguarding.core.audit import AuditEntry, _row_hash, audit_append, audit_append_many
from safeguarding.core.models import AuditChainHead, AuditEvent, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(db):
    """Ten rows: five singly, five in one batch, by a person and by the system."""
    person = User.objects.create_user("auditor", password="x" * 12)
    for n in range(5):
        audit_append(actor=person, action=AuditEvent.Action.READ, object_type="children.child",
                     object_id=str(n), purpose="view child record", detail={"n": n})
    audit_append_many(actor=None, entries=[
        AuditEntry(AuditEvent.Action.CREATE, "core.partnership", str(n), "add partnership")
        for n in range(5, 10)
    ])
    return list(AuditEvent.objects.order_by("sequence"))


@pytest.fixture
def tamper(chain):
    """Act as the table's owner, who can switch the database's refusal off (PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Deferred foreign-key checks from the inserts must run before the table can change.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
    return chain


def verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_rows_are_numbered_and_each_links_to_the_one_before(chain):
    assert [row.sequence for row in chain] == list(range(1, 11))
    assert chain[0].previous_hash == "0" * 64
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.previous_hash == before.row_hash
    head = AuditChainHead.objects.get()
    assert (head.last_sequence, head.last_hash) == (10, chain[-1].row_hash)


def test_an_intact_chain_reports_the_row_count(chain):
    assert "Audit chain intact: 10 rows verified" in verify()


def test_an_empty_log_is_intact(db):
    assert "Audit chain intact: 0 rows verified" in verify()


@pytest.mark.parametrize("field, value", [
    ("actor_label", "someone.else"),
    ("purpose", "nothing to see"),
    ("object_id", "999"),
    ("action", "create"),
    ("request_id", "forged"),
    ("detail", '{"n": 99}'),
])
def test_editing_a_field_with_sql_names_the_row(tamper, field, value):
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        column = connection.ops.quote_name(field)
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE sequence = %s", [value, 4])  # noqa: S608
    with pytest.raises(CommandError, match=r"broken at row 4\b"):
        verify()


def test_editing_the_time_with_a_queryset_update_names_the_row(tamper):
    AuditEvent.objects.filter(sequence=7).update(occurred_at=tamper[6].occurred_at.replace(year=2001))
    with pytest.raises(CommandError, match=r"broken at row 7\b"):
        verify()


def test_rewriting_a_row_and_its_hash_is_caught_at_the_next_row(tamper):
    row = AuditEvent.objects.get(sequence=5)
    row.purpose = "covered up"
    AuditEvent.objects.filter(pk=row.pk).update(purpose=row.purpose, row_hash=_row_hash(row))
    with pytest.raises(CommandError, match=r"broken at row 6\b.*previous-row hash"):
        verify()


def test_deleting_a_row_is_detected(tamper):
    AuditEvent.objects.filter(sequence=3).delete()
    with pytest.raises(CommandError, match=r"broken at row 3\b.*missing"):
        verify()


def test_deleting_the_last_rows_is_detected(tamper):
    AuditEvent.objects.filter(sequence__gte=9).delete()
    with pytest.raises(CommandError, match=r"broken at row 9\b"):
        verify()


def test_rows_cannot_be_saved_again_or_deleted_through_the_model(chain):
    row = AuditEvent.objects.get(sequence=2)
    row.purpose = "changed"
    with pytest.raises(ValidationError):
        row.save()
    with pytest.raises(ValidationError):
        row.delete()
    row.refresh_from_db()
    assert row.purpose == "view child record"
    assert "intact: 10 rows" in verify()


def test_appends_after_a_verification_continue_the_chain(chain):
    audit_append(actor=None, action=AuditEvent.Action.UPDATE, object_type="core.user",
                 object_id="1", purpose="later")
    assert "intact: 11 rows" in verify()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a database trigger, PostgreSQL only")
@pytest.mark.parametrize("statement", [
    "UPDATE core_auditevent SET purpose = 'changed' WHERE sequence = 2",
    "DELETE FROM core_auditevent WHERE sequence = 2",
])
def test_postgresql_itself_refuses_to_change_or_delete_an_audit_row(chain, statement):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(statement)
    assert "intact: 10 rows" in verify()
