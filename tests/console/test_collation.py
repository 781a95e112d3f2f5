"""Norwegian alphabetical order (console/domain/collation.py)."""

from __future__ import annotations

from console.domain.collation import norwegian_key


def test_norwegian_letters_come_after_z_in_order() -> None:
    names = ["Øvrebø", "Zahl", "Åsen", "Ærø", "Berg", "Ødegård"]
    assert sorted(names, key=norwegian_key) == ["Berg", "Zahl", "Ærø", "Ødegård", "Øvrebø", "Åsen"]


def test_double_a_is_the_old_spelling_of_aa_ring() -> None:
    names = ["Aasen", "Åsen", "Andersen", "Haakon", "Håkon", "Hansen", "Aamodt"]
    ordered = sorted(names, key=norwegian_key)
    # Haakon is Håkon: after Hansen, since å comes after z.
    assert ordered[:2] == ["Andersen", "Hansen"]
    assert set(ordered[2:4]) == {"Haakon", "Håkon"}
    # Aamodt, Aasen and Åsen are all Å-names, after every other letter.
    assert ordered[4] == "Aamodt"
    assert set(ordered[5:]) == {"Aasen", "Åsen"}


def test_case_and_foreign_accents_do_not_change_the_order() -> None:
    assert sorted(["berg", "Bakke", "BJØRK"], key=norwegian_key) == ["Bakke", "berg", "BJØRK"]
    assert sorted(["Ekeberg", "Éric", "Eriksen"], key=norwegian_key) == [
        "Ekeberg",
        "Éric",
        "Eriksen",
    ]
    # ä and ö are Æ and Ø in a Norwegian list: Ström beside Strøm, after Strum.
    ordered = sorted(["Ström", "Strum", "Strøm", "Stroh"], key=norwegian_key)
    assert ordered[:2] == ["Stroh", "Strum"]
    assert set(ordered[2:]) == {"Ström", "Strøm"}
