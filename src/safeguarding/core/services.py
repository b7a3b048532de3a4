"""Writes for partnerships, agencies, people, the calendar and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from safeguarding.core.audit import audit_object
from safeguarding.core.models import (
    Agency,
    ApiToken,
    AuditEvent,
    LocalAuthority,
    Membership,
    NonWorkingDay,
    Partnership,
    SubGroup,
    User,
)
from safeguarding.core.rules import Seat, act_as_seat, permission_require

_LA_PAIR = re.compile(r"^(?P<old>\d{3})/(?P<new>E\d{8})$")


def parse_la_pair(value: str) -> tuple[str, str]:
    """Split "860/E10000028" into its old and new codes, or explain what is wrong."""
    match = _LA_PAIR.match(value.strip().upper())
    if not match:
        raise ValidationError(
            f"LA '{value}' must be OLD/NEW, a 3-digit code and a 9-character code, "
            "like 860/E10000028"
        )
    return match["old"], match["new"]


@transaction.atomic
def partnership_add(*, actor: User | None, code: str, name: str,
                    local_authorities: list[tuple[str, str, str]]) -> Partnership:
    """Create a partnership with its LA areas, given as (old code, new code, name)."""
    permission_require(actor, "core.manage_partnerships")
    partnership = Partnership(code=code.upper(), name=name)
    partnership.full_clean()
    partnership.save()
    if not local_authorities:
        raise ValidationError({"local_authorities": ["A partnership covers at least one LA"]})
    for old, new, la_name in local_authorities:
        la_add(actor=actor, partnership=partnership, old_code=old, new_code=new, name=la_name)
    audit_object(actor, AuditEvent.Action.CREATE, partnership, "add partnership")
    return partnership


@transaction.atomic
def partnership_update(*, actor: User | None, partnership: Partnership, name: str) -> Partnership:
    permission_require(actor, "core.manage_partnerships")
    partnership.name = name
    partnership.full_clean()
    partnership.save()
    audit_object(actor, AuditEvent.Action.UPDATE, partnership, "edit partnership")
    return partnership


@transaction.atomic
def la_add(*, actor: User | None, partnership: Partnership, old_code: str, new_code: str,
           name: str = "") -> LocalAuthority:
    permission_require(actor, "core.manage_partnerships")
    la = LocalAuthority(partnership=partnership, old_code=old_code, new_code=new_code.upper(),
                        name=name)
    la.full_clean()
    la.save()
    audit_object(actor, AuditEvent.Action.CREATE, la, "add local authority")
    return la


@transaction.atomic
def agency_add(*, actor: User | None, name: str, kind: str,
               partnerships: list[Partnership]) -> Agency:
    permission_require(actor, "core.manage_partnerships")
    agency = Agency(name=name, kind=kind)
    agency.full_clean()
    agency.save()
    agency.partnerships.set(partnerships)
    audit_object(actor, AuditEvent.Action.CREATE, agency, "add agency")
    return agency


@transaction.atomic
def agency_update(*, actor: User | None, agency: Agency, name: str, kind: str,
                  partnerships: list[Partnership]) -> Agency:
    permission_require(actor, "core.manage_partnerships")
    agency.name, agency.kind = name, kind
    agency.full_clean()
    agency.save()
    agency.partnerships.set(partnerships)
    audit_object(actor, AuditEvent.Action.UPDATE, agency, "edit agency")
    return agency


@transaction.atomic
def sub_group_add(*, actor: User | None, partnership: Partnership, name: str) -> SubGroup:
    permission_require(actor, "core.manage_partnerships")
    group = SubGroup(partnership=partnership, name=name)
    group.full_clean()
    group.save()
    audit_object(actor, AuditEvent.Action.CREATE, group, "add sub-group")
    return group


@transaction.atomic
def user_add(*, actor: User | None, username: str, first_name: str, last_name: str, email: str,
             password: str | None = None) -> User:
    permission_require(actor, "core.manage_people")
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_object(actor, AuditEvent.Action.CREATE, user, "add person")
    return user


@transaction.atomic
def membership_add(*, actor: User | None, user: User, agency: Agency, partnership: Partnership,
                   role: str, sub_group: SubGroup | None = None) -> Membership:
    permission_require(actor, "core.manage_people")
    membership = Membership(user=user, agency=agency, partnership=partnership, role=role,
                            sub_group=sub_group)
    membership.full_clean()
    membership.save()
    audit_object(actor, AuditEvent.Action.CREATE, membership, "add membership",
                 {"user": user.pk, "role": role})
    return membership


@transaction.atomic
def membership_remove(*, actor: User | None, membership: Membership) -> None:
    permission_require(actor, "core.manage_people")
    audit_object(actor, AuditEvent.Action.UPDATE, membership, "remove membership",
                 {"user": membership.user_id, "role": membership.role})
    membership.delete()


@transaction.atomic
def non_working_day_add(*, actor: User | None, date: dt.date, name: str) -> NonWorkingDay:
    permission_require(actor, "core.manage_calendar")
    day = NonWorkingDay(date=date, name=name, added_by=actor)
    day.full_clean()
    day.save()
    audit_object(actor, AuditEvent.Action.CREATE, day, "add non-working day")
    return day


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, actor: User | None, name: str,
                    membership: Membership) -> tuple[ApiToken, str]:
    """Issue a token acting as one seat; the raw value is returned once, only its hash kept."""
    permission_require(actor, "core.manage_api_tokens")
    prefix = secrets.token_hex(4)
    raw = f"sgp_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(name=name, user=membership.user, membership=membership,
                                    prefix=prefix, token_hash=_hash_token(raw))
    audit_object(actor, AuditEvent.Action.CREATE, token, "issue API token",
                 detail={"role": membership.role, "agency": membership.agency_id,
                         "partnership": membership.partnership_id})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    permission_require(actor, "core.manage_api_tokens")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_object(actor, AuditEvent.Action.UPDATE, token, "revoke API token")
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The token's user, pinned to the token's one seat, or None.

    Every rule evaluated for the request then sees that seat alone: the user's
    other memberships (other agencies, other partnerships, other roles) play no part.
    """
    token = (
        ApiToken.objects.select_related("user", "membership")
        .filter(token_hash=_hash_token(raw), revoked_at__isnull=True, user__is_active=True,
                membership__isnull=False, membership__user_id=F("user_id"))
        .first()
    )
    if token is None or token.membership is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    seat = token.membership
    user = token.user
    act_as_seat(user, Seat(seat.role, seat.partnership_id, seat.agency_id, seat.sub_group_id))
    return user


@transaction.atomic
def person_reset_two_factor(*, actor: User | None, person: User) -> None:
    """Remove a person's authenticator and backup codes; they enrol again at next sign-in."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguarding.core.models import BackupCodeDevice

    permission_require(actor, "core.manage_people")
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    BackupCodeDevice.objects.filter(user=person).delete()
    audit_object(actor, AuditEvent.Action.UPDATE, person, "reset two-factor sign-in")


def person_send_password_link(*, actor: User | None, person: User, base_url: str) -> None:
    """E-mail a one-time link to set a password, through the background worker."""
    from django.contrib.auth.tokens import default_token_generator
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from safeguarding.core.tasks import send_email

    permission_require(actor, "core.manage_people")
    if not person.email:
        raise ValidationError({"email": ["This person has no email address"]})
    path = reverse("core:password-set", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
        "token": default_token_generator.make_token(person),
    })
    body = render_to_string("core/email/password_link.txt", {"person": person,
                                                             "link": base_url + path})
    send_email.enqueue(subject="Set your password for the Safeguarding Children Partnership service",
                       body=body, to=[person.email])
    audit_object(actor, AuditEvent.Action.UPDATE, person, "send password link")


@transaction.atomic
def partnership_share(*, actor: User | None, owner: Partnership, shared_with: Partnership,
                      function: str):
    from safeguarding.core.models import PartnershipShare

    permission_require(actor, "core.manage_partnerships")
    share = PartnershipShare(owner=owner, shared_with=shared_with, function=function)
    share.full_clean()
    share.save()
    audit_object(actor, AuditEvent.Action.CREATE, share, "share a joint function")
    return share
