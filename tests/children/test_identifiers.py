"""Child identifiers: NHS number (modulus 11), UPN (check letter), LA child ID, police reference."""

from __future__ import annotations

import random

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from safeguarding.children import identifiers
from safeguarding.children.identifiers import (
    nhs_check_digit,
    synthetic_nhs_number,
    synthetic_upn,
    validate_la_child_id,
    validate_nhs_number,
    validate_police_reference,
    validate_upn,
)

seeds = st.integers(min_value=0, max_value=2**64)

# --- NHS number ----------------------------------------------------------------------------
# Check digit (NHS Data Dictionary): weights 10..2 on the first nine digits, 11 minus the sum
# mod 11; 11 becomes 0 and 10 means no valid number. 999 000 1111 (the 999 range is
# reserved for testing, so never a real person's number):
# 9*10 + 9*9 + 9*8 + 0*7 + 0*6 + 0*5 + 1*4 + 1*3 + 1*2 = 252; 252 mod 11 = 10; 11 - 10 = 1.


@pytest.mark.parametrize("number", ["9990001111", "9997654323", "9990000018", "0000000000"])
def test_valid_nhs_numbers(number):
    assert validate_nhs_number(number) == number


@pytest.mark.parametrize("typed, stored", [
    ("999 000 1111", "9990001111"),
    (" 999-000-1111 ", "9990001111"),
    ("9990 001111", "9990001111"),
])
def test_nhs_number_spaces_and_hyphens_are_accepted(typed, stored):
    assert validate_nhs_number(typed) == stored


@pytest.mark.parametrize("number", ["9990001118", "9990001110", "9997654324", "9990000017"])
def test_nhs_number_with_the_wrong_check_digit(number):
    with pytest.raises(ValidationError) as error:
        validate_nhs_number(number)
    assert error.value.code == "nhs_number_check"


def test_nhs_number_whose_check_digit_would_be_10_is_impossible():
    # 000000001: 1*2 = 2; 11 - 2 = 9. 000000006: 6*2 = 12, mod 11 = 1; 11 - 1 = 10.
    assert nhs_check_digit("000000001") == 9
    assert nhs_check_digit("000000006") is None
    for last in "0123456789":
        with pytest.raises(ValidationError):
            validate_nhs_number("000000006" + last)


@pytest.mark.parametrize("number", ["", "999000111", "99900011110", "99900011 1 9 0", "999000111A",
                                    "ABCDEFGHIJ"])
def test_nhs_number_of_the_wrong_shape(number):
    with pytest.raises(ValidationError) as error:
        validate_nhs_number(number)
    assert error.value.code == "nhs_number_shape"


@given(seeds)
def test_every_synthetic_nhs_number_validates(seed):
    number = synthetic_nhs_number(random.Random(seed))
    assert number.startswith("999")
    assert validate_nhs_number(number) == number


@given(seeds, st.integers(0, 9), st.integers(1, 9))
def test_changing_any_single_digit_makes_an_nhs_number_invalid(seed, position, delta):
    number = synthetic_nhs_number(random.Random(seed))
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1:]
    with pytest.raises(ValidationError):
        validate_nhs_number(changed)


def test_synthetic_nhs_numbers_can_be_kept_unique():
    rng, taken = random.Random(1), set()
    numbers = [synthetic_nhs_number(rng, taken) for _ in range(2000)]
    assert len(set(numbers)) == 2000 and taken == set(numbers)


# --- UPN -----------------------------------------------------------------------------------
# DfE "Unique pupil numbers" annex: characters 2 to 13 weighted 2 to 13 (a letter in
# position 13 counts as its place in the alphabet below, A=0), the sum mod 23 picks the
# check letter from ABCDEFGHJKLMNPQRTUVWXYZ.
LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def reference_check_letter(last_twelve: str) -> str:
    weights = range(2, 14)
    values = [int(c) if c.isdigit() else LETTERS.index(c) for c in last_twelve]
    return LETTERS[sum(w * v for w, v in zip(weights, values, strict=True)) % 23]


# Worked by hand:
#  801200005001: 8*2 + 1*4 + 2*5 + 5*10 + 1*13 = 93; 93 mod 23 = 1 -> B
#  820100101001: 8*2 + 2*3 + 1*5 + 1*8 + 1*10 + 1*13 = 58; 58 mod 23 = 12 -> N
#  86090012345A: 8*2+6*3+9*5+1*8+2*9+3*10+4*11+5*12 = 239, A=0; 239 mod 23 = 9 -> K
#  86090012345B: 239 + 1*13 = 252; 252 mod 23 = 22 -> Z
WORKED = {"801200005001": "B", "820100101001": "N", "86090012345A": "K", "86090012345B": "Z"}


@pytest.mark.parametrize("body, letter", sorted(WORKED.items()))
def test_upn_check_letter_worked_examples(body, letter):
    assert reference_check_letter(body) == letter
    assert identifiers.upn_check_letter(body) == letter
    assert validate_upn(letter + body) == letter + body


@pytest.mark.parametrize("upn", ["A801200005001", "C820100101001", "N801200005001"])
def test_upn_with_the_wrong_check_letter(upn):
    with pytest.raises(ValidationError) as error:
        validate_upn(upn)
    assert error.value.code == "upn_check"


@pytest.mark.parametrize("upn", [
    "K86090012345I",   # I, O and S are not used: they look like 1, 0 and 5
    "K86090012345O",
    "K86090012345S",
    "B80120000500",    # 12 characters
    "B8012000050011",  # 14 characters
    "88012000050011"[:13],  # no check letter
    "BB01200005001",   # letter among the digits
    "",
])
def test_upn_of_the_wrong_shape(upn):
    with pytest.raises(ValidationError) as error:
        validate_upn(upn)
    assert error.value.code == "upn_shape"


def test_temporary_upn_with_a_final_letter():
    assert validate_upn("K86090012345A") == "K86090012345A"
    assert validate_upn("Z86090012345B") == "Z86090012345B"
    with pytest.raises(ValidationError):
        validate_upn("K86090012345B")  # the final letter counts towards the check letter


def test_upn_lower_case_and_spaces_are_normalised():
    assert validate_upn("b801 2000 05001") == "B801200005001"
    assert validate_upn("k86090012345a") == "K86090012345A"


@given(seeds, st.sampled_from(["860", "861", "201", "936"]))
def test_every_synthetic_upn_validates_and_carries_its_la(seed, la_code):
    upn = synthetic_upn(random.Random(seed), la_code)
    assert validate_upn(upn) == upn
    assert upn[1:4] == la_code
    assert upn[0] == reference_check_letter(upn[1:])


# --- LA child ID and police reference --------------------------------------------------------


@pytest.mark.parametrize("value", ["S0000001", "a", "ABCDEFGHIJ", "1234567890"])
def test_valid_la_child_ids(value):
    assert validate_la_child_id(value) == value


@pytest.mark.parametrize("value", ["", "ABCDEFGHIJK", "S-000001", "S 000001", "S/1"])
def test_invalid_la_child_ids(value):
    with pytest.raises(ValidationError):
        validate_la_child_id(value)


@pytest.mark.parametrize("typed, stored", [
    ("SP/1234567/21", "SP/1234567/21"),
    ("sp/1234567/21", "SP/1234567/21"),
    ("  14-0123-2021 ", "14-0123-2021"),
    ("ABCD", "ABCD"),
    ("A" * 30, "A" * 30),
])
def test_valid_police_references(typed, stored):
    assert validate_police_reference(typed) == stored


@pytest.mark.parametrize("value", ["", "ABC", "A" * 31, "/SP/123", "SP 123 45", "SP_1234"])
def test_invalid_police_references(value):
    with pytest.raises(ValidationError):
        validate_police_reference(value)


# --- pseudonymous key ------------------------------------------------------------------------


def test_pseudonymous_key_is_stable_keyed_and_not_the_identity(settings):
    key = identifiers.pseudonymous_key("nhs:9990001111")
    assert key == identifiers.pseudonymous_key("nhs:9990001111")
    assert len(key) == 32 and "9990001111" not in key
    assert key != identifiers.pseudonymous_key("nhs:9990000018")
    settings.PSEUDONYM_KEY = "another-partnership-key"
    assert identifiers.pseudonymous_key("nhs:9990001111") != key
