"""Synthetic fødselsnummer and HPR numbers: check digits, synthetic month, sex digit, century."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from server.sim.identity import (
    fodselsnummer,
    hpr_number,
    individual_number_ranges,
    is_valid_fodselsnummer,
    parse_fodselsnummer,
)

K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def mod11(digits: str, weights: tuple[int, ...]) -> int:
    """Independent re-implementation of the check digit, so the test does not trust the code."""
    check = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if check == 11 else check


def with_check_digits(stem: str, individual: int) -> str:
    """A valid number from a 6-digit date stem and the first usable individual number >= given.

    Steps by 2 so the sex digit's parity is kept; skips numbers whose check digit would be 10.
    """
    while True:
        nine = f"{stem}{individual:03d}"
        k1 = mod11(nine, K1)
        k2 = mod11(nine + str(k1 % 10), K2)
        if k1 < 10 and k2 < 10:
            return f"{nine}{k1}{k2}"
        individual += 2


def random_dates(n: int, rng: random.Random) -> list[date]:
    start, end = date(1854, 1, 1), date(2039, 12, 31)
    span = (end - start).days
    return [start + timedelta(days=rng.randrange(span + 1)) for _ in range(n)] + [
        date(1900, 2, 28),
        date(2000, 2, 29),
        date(1940, 12, 31),
        date(1999, 1, 1),
    ]


@pytest.mark.parametrize("sex", ["female", "male"])
def test_generated_numbers_are_valid_synthetic_and_encode_date_and_sex(sex: str) -> None:
    rng = random.Random(42)
    for born in random_dates(3000, rng):
        number = fodselsnummer(born, sex, rng)
        assert len(number) == 11 and number.isdigit()
        assert number[9] == str(mod11(number[:9], K1))
        assert number[10] == str(mod11(number[:10], K2))
        assert int(number[0:2]) == born.day
        assert int(number[2:4]) == born.month + 80  # synthetic test-data convention
        assert number[4:6] == f"{born.year % 100:02d}"
        assert (int(number[8]) % 2 == 0) == (sex == "female")
        individual = int(number[6:9])
        assert any(lo <= individual <= hi for lo, hi in individual_number_ranges(born.year))
        assert is_valid_fodselsnummer(number)
        assert is_valid_fodselsnummer(number, synthetic_only=True)
        assert parse_fodselsnummer(number) == (born, sex, True)


def test_generation_is_deterministic_for_a_seeded_rng() -> None:
    born = date(1941, 5, 17)
    assert fodselsnummer(born, "male", random.Random(7)) == fodselsnummer(
        born, "male", random.Random(7)
    )


def test_individual_number_ranges_by_century() -> None:
    assert individual_number_ranges(1870) == [(500, 749)]
    assert individual_number_ranges(1920) == [(0, 499)]
    assert individual_number_ranges(1955) == [(0, 499), (900, 999)]
    assert individual_number_ranges(2010) == [(500, 999)]
    with pytest.raises(ValueError):
        individual_number_ranges(1850)


def test_validator_rejects_bad_numbers_and_accepts_ordinary_ones() -> None:
    rng = random.Random(3)
    number = fodselsnummer(date(1948, 3, 9), "female", rng)
    for i in range(11):  # any single-digit change breaks a check digit or the date
        changed = number[:i] + str((int(number[i]) + 1) % 10) + number[i + 1 :]
        assert not is_valid_fodselsnummer(changed)
    assert not is_valid_fodselsnummer(number[:10])
    assert not is_valid_fodselsnummer(number + "0")
    assert not is_valid_fodselsnummer("abcdefghijk")
    assert not is_valid_fodselsnummer("１２３４５６７８９０１")  # non-ASCII digits
    ordinary = with_check_digits("090348", 412)  # 9 March 1948, even sex digit: a woman
    assert is_valid_fodselsnummer(ordinary)
    assert not is_valid_fodselsnummer(ordinary, synthetic_only=True)
    assert parse_fodselsnummer(ordinary) == (date(1948, 3, 9), "female", False)
    d_number = with_check_digits("490348", 413)  # D-number: day + 40; odd sex digit: a man
    assert parse_fodselsnummer(d_number) == (date(1948, 3, 9), "male", False)
    assert parse_fodselsnummer(with_check_digits("098548", 930)) == (
        date(1948, 5, 9),
        "female",
        True,
    )
    assert parse_fodselsnummer(with_check_digits("290200", 500)) is not None  # 29 Feb 2000
    assert not is_valid_fodselsnummer(with_check_digits("290201", 500))  # no 29 Feb 2001
    assert not is_valid_fodselsnummer(with_check_digits("300282", 100))  # 30 February
    assert not is_valid_fodselsnummer(with_check_digits("019385", 100))  # month 13 (+80)
    assert not is_valid_fodselsnummer(with_check_digits("010145", 600))  # 500-749 not for 1945


def test_hpr_numbers_are_seven_to_nine_digits_and_unique() -> None:
    rng = random.Random(5)
    taken: set[str] = set()
    numbers = [hpr_number(rng, taken) for _ in range(2000)]
    assert len(set(numbers)) == len(numbers)
    assert all(n.isdigit() and 7 <= len(n) <= 9 and n[0] != "0" for n in numbers)
    assert {len(n) for n in numbers} == {7, 8, 9}
