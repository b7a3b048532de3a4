"""Small helpers shared by the foundation's tests (fixtures live in conftest.py)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.children import identifiers
from safeguarding.children.models import Child, Involvement
from safeguarding.core.models import Agency, Partnership, User

_serial = itertools.count(1)


def make_child(partnership: Partnership, *involved: Agency, ended: bool = False,
               **fields) -> Child:
    """Create a child directly (no service, no audit) with open or ended involvements."""
    number = next(_serial)
    values = {
        "first_name": "Test", "last_name": f"Child{number:04d}",
        "date_of_birth": dt.date(2015, 6, 1), "sex": "2", "ethnicity": "WBRI",
        "local_authority": partnership.local_authorities.first(),
    }
    values.update(fields)
    child = Child(partnership=partnership, **values)
    child.pseudonym = identifiers.pseudonymous_key(f"test:{partnership.code}:{number}")
    child.save()
    for agency in involved:
        Involvement.objects.create(
            child=child, agency=agency, reason="Test involvement",
            started_on=dt.date(2020, 1, 1), ended_on=dt.date(2020, 6, 1) if ended else None,
        )
    return child


def home_agency(user: User) -> Agency:
    return user.memberships.get().agency


def password_only_client(user: User) -> Client:
    """A client signed in with the password and no second factor yet."""
    client = Client()
    client.force_login(user)
    return client


def totp_now(device: TOTPDevice) -> str:
    """The code the person's authenticator app shows right now."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                drift=device.drift)
    return f"{code:0{device.digits}d}"
