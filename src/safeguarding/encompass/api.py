"""The Operation Encompass API, mounted under ``/encompass`` on the project API (a session
with the second factor, or a token pinned to one seat). The police record incidents; a
Key Adult lists and acknowledges their school's notifications (each read audited through
core.access); the education safeguarding lead reads the escalation list."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema, Status

from safeguarding.core.models import Partnership
from safeguarding.encompass import selectors, services

router = Router(tags=["encompass"])


class ChildIn(Schema):
    first_name: str
    last_name: str
    date_of_birth: dt.date
    school_urn: str
    present: bool = True
    nhs_number: str = ""
    la_child_id: str = ""


class IncidentIn(Schema):
    police_reference: str
    occurred_at: dt.datetime
    domestic_abuse: bool = True
    children: list[ChildIn]


class NotificationOut(Schema):
    id: int
    school_urn: str
    first_name: str
    last_name: str
    date_of_birth: dt.date
    present: bool
    police_reference: str
    occurred_at: dt.datetime
    due_at: dt.datetime
    after_holiday: bool
    sent_at: dt.datetime | None
    acknowledged_at: dt.datetime | None


class IncidentOut(Schema):
    id: int
    police_reference: str
    notifications: list[int]


class EscalationOut(Schema):
    schools_without_key_adult: list[str]
    overdue_notifications: list[int]


def _out(n) -> dict:
    return {"id": n.pk, "school_urn": n.school.urn, "first_name": n.first_name,
            "last_name": n.last_name, "date_of_birth": n.date_of_birth, "present": n.present,
            "police_reference": n.incident.police_reference, "occurred_at": n.incident.occurred_at,
            "due_at": n.due_at, "after_holiday": n.after_holiday, "sent_at": n.sent_at,
            "acknowledged_at": n.acknowledged_at}


def _partnership(request, code: str, permission: str) -> Partnership:
    found = Partnership.objects.filter(code=code).first()
    if found is None or not request.user.has_perm(permission, found):
        raise PermissionDenied
    return found


@router.get("/notifications", response=list[NotificationOut], url_name="encompass_notifications")
def notifications(request, open_only: bool = False):
    """The notifications the caller may read: a Key Adult, their own school's."""
    if not request.user.has_perm("encompass.view_notification"):
        raise PermissionDenied
    return [_out(n) for n in selectors.notifications(
        actor=request.user, open_only=open_only, purpose="Operation Encompass notifications (API)")]


@router.post("/notifications/{pk}/acknowledge", response=NotificationOut,
             url_name="encompass_acknowledge")
def acknowledge(request, pk: int):
    notice = selectors.notification_get(actor=request.user, pk=pk,
                                        purpose="acknowledge Operation Encompass notification (API)")
    services.notification_acknowledge(actor=request.user, notification=notice)
    return _out(notice)


@router.post("/{code}/incidents", response={201: IncidentOut}, url_name="encompass_incidents")
def incident_record(request, code: str, payload: IncidentIn):
    partnership = _partnership(request, code, "encompass.record_incident")
    values = payload.dict()
    incident = services.incident_record(actor=request.user, partnership=partnership,
                                        values=values)
    return Status(201, {"id": incident.pk, "police_reference": incident.police_reference,
                        "notifications": list(incident.notifications.values_list("pk", flat=True))})


@router.get("/{code}/escalation", response=EscalationOut, url_name="encompass_escalation")
def escalation(request, code: str):
    partnership = _partnership(request, code, "encompass.view_escalation")
    lists = selectors.escalation(actor=request.user, partnership=partnership)
    return {"schools_without_key_adult": [s.urn for s in lists["no_key_adult"]],
            "overdue_notifications": [n.pk for n in lists["overdue"]]}
