"""Shared fixtures: a small demo world and clients signed in with both factors."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.core.models import User


@pytest.fixture
def demo_world(db):
    """The demo partnerships, agencies and every demo sign-in, with a few children."""
    from safeguarding.demo import builder

    return builder.build(seed=7, quiet=True, children_override={"STAFFS": 30, "STOKE": 12})


def sign_in(client: Client, user: User) -> Client:
    """Sign a client in as if the person had entered a password and a security code."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for(demo_world):
    """Return a function giving a fully signed-in client for a demo username."""

    def make(username: str) -> Client:
        return sign_in(Client(), User.objects.get(username=username))

    return make
