"""Synthetic Norwegian identifiers: fødselsnummer (national identity number) and HPR numbers.

Every fødselsnummer made here is *synthetic*: the month is stored plus 80, the convention used
by the Norwegian test-data registry, so no generated number can ever belong to a real person,
yet the number still passes the mod-11 checks any Norwegian system applies.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Final

FNR_SYSTEM: Final = "urn:oid:2.16.578.1.12.4.1.4.1"
HPR_SYSTEM: Final = "urn:oid:2.16.578.1.12.4.1.4.4"

_K1_WEIGHTS: Final = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2_WEIGHTS: Final = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
SYNTHETIC_MONTH_OFFSET: Final = 80


def _check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    """Mod-11 check digit, or None when it would be 10 (such numbers are never issued)."""
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    check = (11 - remainder) % 11
    return None if check == 10 else check


def individual_number_ranges(year: int) -> list[tuple[int, int]]:
    """The individual-number ranges (inclusive) the registry uses for a birth year.

    000-499 for 1900-1999, 500-749 for 1854-1899, 500-999 for 2000-2039, 900-999 also for
    1940-1999. The century is encoded only here, so getting it right matters for parsing.
    """
    if 1854 <= year <= 1899:
        return [(500, 749)]
    if 1900 <= year <= 1939:
        return [(0, 499)]
    if 1940 <= year <= 1999:
        return [(0, 499), (900, 999)]
    if 2000 <= year <= 2039:
        return [(500, 999)]
    raise ValueError(f"no fødselsnummer individual numbers for birth year {year}")


def fodselsnummer(birth_date: date, sex: str, rng: random.Random) -> str:
    """A synthetic 11-digit fødselsnummer (month + 80) for a birth date and sex.

    `sex` is the FHIR gender: "female" gives an even third individual digit, anything else odd.
    Individual numbers whose check digit would be 10 are redrawn, as the registry does.
    """
    ranges = individual_number_ranges(birth_date.year)
    female = sex == "female"
    stem = (
        f"{birth_date.day:02d}{birth_date.month + SYNTHETIC_MONTH_OFFSET:02d}"
        f"{birth_date.year % 100:02d}"
    )
    for _ in range(1000):
        low, high = ranges[rng.randrange(len(ranges))]
        individual = rng.randint(low, high)
        if (individual % 2 == 0) != female:
            individual = individual + 1 if individual < high else individual - 1
        nine = f"{stem}{individual:03d}"
        k1 = _check_digit(nine, _K1_WEIGHTS)
        if k1 is None:
            continue
        k2 = _check_digit(nine + str(k1), _K2_WEIGHTS)
        if k2 is None:
            continue
        return f"{nine}{k1}{k2}"
    raise RuntimeError("could not draw a valid fødselsnummer")  # pragma: no cover


def parse_fodselsnummer(number: str) -> tuple[date, str, bool] | None:
    """(birth date, FHIR gender, synthetic?) of a valid number, or None if it is invalid.

    Accepts ordinary numbers, D-numbers (day + 40), H-numbers (month + 40) and synthetic
    numbers (month + 80).
    """
    if len(number) != 11 or not number.isascii() or not number.isdigit():
        return None
    if _check_digit(number[:9], _K1_WEIGHTS) != int(number[9]):
        return None
    if _check_digit(number[:10], _K2_WEIGHTS) != int(number[10]):
        return None
    day, month, yy, individual = (
        int(number[0:2]),
        int(number[2:4]),
        int(number[4:6]),
        int(number[6:9]),
    )
    if day > 40:
        day -= 40
    synthetic = False
    if month > SYNTHETIC_MONTH_OFFSET:
        month -= SYNTHETIC_MONTH_OFFSET
        synthetic = True
    elif month > 40:
        month -= 40
    year = _year_from_individual(yy, individual)
    if year is None:
        return None
    try:
        born = date(year, month, day)
    except ValueError:
        return None
    gender = "female" if int(number[8]) % 2 == 0 else "male"
    return born, gender, synthetic


def _year_from_individual(yy: int, individual: int) -> int | None:
    if individual <= 499:
        return 1900 + yy
    if individual <= 749 and yy >= 54:
        return 1800 + yy
    if individual >= 900 and yy >= 40:
        return 1900 + yy
    if yy <= 39:
        return 2000 + yy
    return None


def is_valid_fodselsnummer(number: str, *, synthetic_only: bool = False) -> bool:
    """True for a well-formed number with valid check digits and a real calendar date.

    Synthetic (month + 80) numbers are accepted; with `synthetic_only` nothing else is, which
    lets the seeding code prove it never produced something that could be a real person's.
    """
    parsed = parse_fodselsnummer(number)
    if parsed is None:
        return False
    return parsed[2] or not synthetic_only


def hpr_number(rng: random.Random, taken: set[str] | None = None) -> str:
    """A 7-9 digit HPR (health personnel register) number, unique within `taken`."""
    while True:
        digits = rng.choice((7, 8, 9))
        value = str(rng.randint(10 ** (digits - 1), 10**digits - 1))
        if taken is None:
            return value
        if value not in taken:
            taken.add(value)
            return value
