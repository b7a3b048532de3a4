"""Validation and generation of child identifiers.

NHS number: ten digits, the tenth a modulus 11 check digit (NHS Data
Dictionary). UPN: thirteen characters, the first a check letter computed from
the other twelve (DfE "Unique pupil numbers" guidance, annex on the check
letter). Both are normalised (spaces removed, upper case) before checking.
"""

from __future__ import annotations

import hmac
import random
import re
from hashlib import sha256

from django.conf import settings
from django.core.exceptions import ValidationError

_NHS_WEIGHTS = range(10, 1, -1)
# Letters used by the UPN check letter and by a temporary UPN's last character;
# I, O and S are left out to avoid confusion with 1, 0 and 5.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_SHAPE = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")
LA_CHILD_ID_SHAPE = re.compile(r"^[A-Za-z0-9]{1,10}$")
LA_CHILD_ID_LONG = re.compile(r"^[A-Za-z0-9]{1,20}$")
POLICE_REFERENCE_SHAPE = re.compile(r"^[A-Z0-9][A-Z0-9/-]{3,29}$")


def normalise(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "").upper()


def nhs_check_digit(first_nine: str) -> int | None:
    """Return the check digit for nine digits, or None where no valid number exists."""
    total = sum(int(d) * w for d, w in zip(first_nine, _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def validate_nhs_number(value: str) -> str:
    number = normalise(value)
    if not re.fullmatch(r"\d{10}", number):
        raise ValidationError("NHS number must be 10 digits", code="nhs_number_shape")
    if nhs_check_digit(number[:9]) != int(number[9]):
        raise ValidationError(
            "NHS number is not valid: the check digit does not match", code="nhs_number_check"
        )
    return number


def upn_check_letter(last_twelve: str) -> str:
    total = 0
    for weight, char in enumerate(last_twelve, start=2):
        total += weight * (int(char) if char.isdigit() else UPN_LETTERS.index(char))
    return UPN_LETTERS[total % 23]


def validate_upn(value: str) -> str:
    upn = normalise(value)
    if not _UPN_SHAPE.match(upn) or (upn[12].isalpha() and upn[12] not in UPN_LETTERS):
        raise ValidationError(
            "UPN must be a check letter, 11 digits and a final digit or letter",
            code="upn_shape",
        )
    if upn[0] != upn_check_letter(upn[1:]):
        raise ValidationError("UPN is not valid: the check letter does not match", code="upn_check")
    return upn


# DfE's CIN census allows an LAchildID of up to 20 letters or digits (rules 1570
# and 1580); the SSDA903 return keeps 10. The index holds both.
LA_CHILD_ID_MAX = 20


def validate_la_child_id(value: str, *, max_length: int = 10) -> str:
    text = value or ""
    if not (LA_CHILD_ID_SHAPE if max_length == 10 else LA_CHILD_ID_LONG).match(text) or (
            len(text) > max_length):
        raise ValidationError(
            f"LA child ID must be 1 to {max_length} letters or digits", code="la_child_id_shape"
        )
    return value


def validate_police_reference(value: str) -> str:
    ref = (value or "").strip().upper()
    if not POLICE_REFERENCE_SHAPE.match(ref):
        raise ValidationError(
            "Police reference must be 4 to 30 letters, digits, slashes or hyphens",
            code="police_reference_shape",
        )
    return ref


def synthetic_nhs_number(rng: random.Random, taken: set[str] | None = None) -> str:
    """Return a valid NHS number in the 999 range, which NHS England reserves for testing.

    Pass ``taken`` to get a number not yet in it (it is added): the range holds
    about 909,000 valid numbers, enough for the national-scale demo.
    """
    while True:
        first_nine = f"999{rng.randrange(10**6):06d}"
        check = nhs_check_digit(first_nine)
        if check is None:
            continue
        number = first_nine + str(check)
        if taken is None:
            return number
        if number not in taken:
            taken.add(number)
            return number


def synthetic_upn(rng: random.Random, la_code: str) -> str:
    """Return a UPN with a valid check letter for an LA, its other digits random."""
    body = la_code + "9" + "".join(rng.choice("0123456789") for _ in range(3))
    body += f"{rng.randint(5, 25):02d}" + f"{rng.randint(0, 999):03d}"
    return upn_check_letter(body) + body


def pseudonymous_key(identity: str) -> str:
    """Return the keyed HMAC of a child's stable identity, for analytics without names."""
    key = settings.PSEUDONYM_KEY.encode()
    return hmac.new(key, identity.encode(), sha256).hexdigest()[:32]
