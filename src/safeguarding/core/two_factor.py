"""Second factor: TOTP enrolment and checks, and single-use backup codes (django-otp)."""

from __future__ import annotations

import secrets

import segno
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.core.models import BackupCode, BackupCodeDevice, User, backup_code_digest

BACKUP_CODE_COUNT = 10


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp(user: User) -> TOTPDevice:
    """Return the unconfirmed device being enrolled, creating one on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(scale=4, title="QR code for your authenticator app")


def base32_key(device: TOTPDevice) -> str:
    import base64

    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def totp_confirm(*, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(_digits(token)):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


@transaction.atomic
def backup_codes_issue(*, user: User) -> list[str]:
    """Replace the user's backup codes with a fresh set and return them (shown once).

    Only a salted, keyed hash of each code is stored: the codes exist in clear only in
    the page that shows them.
    """
    device, _ = BackupCodeDevice.objects.get_or_create(user=user, name="Backup codes",
                                                       defaults={"confirmed": True})
    device.codes.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODE_COUNT)]
    rows = []
    for code in codes:
        salt = secrets.token_hex(16)
        rows.append(BackupCode(device=device, salt=salt,
                               code_hash=backup_code_digest(salt, code)))
    BackupCode.objects.bulk_create(rows)
    return codes


def backup_codes_left(user: User) -> int:
    return BackupCode.objects.filter(device__user=user).count()


def verify(user: User, token: str):
    """Return the device the token matches (authenticator or backup code), or None."""
    token = _digits(token)
    if not token:
        return None
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def _digits(token: str) -> str:
    return "".join(ch for ch in (token or "") if ch.isdigit())
