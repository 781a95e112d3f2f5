"""Norwegian names and Stavanger/Sandnes/Sola street addresses for the synthetic population.

Names are grouped by birth cohort so an 88-year-old is called Solveig or Kåre rather than
Emma or Noah: operators notice implausible names at once, and realistic data makes training
sessions believable. Addresses are real street names with the postcode of the part of town
they lie in; house numbers are random, so an address may not exist but always looks right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# fmt: off
# Born before about 1950: the typical COPD/heart-failure patient today.
FEMALE_OLD: Final[tuple[str, ...]] = (
    "Ingrid", "Astrid", "Solveig", "Gunvor", "Ragnhild", "Kari", "Anne", "Marit", "Liv",
    "Bjørg", "Randi", "Gerd", "Aslaug", "Berit", "Turid", "Reidun", "Signe", "Åse", "Sigrid",
    "Magnhild", "Borghild", "Oddny", "Dagny", "Jorunn", "Inger", "Else", "Gudrun", "Kirsten",
    "Eldbjørg", "Torbjørg", "Margit", "Alvhild", "Synnøve", "Målfrid", "Tordis", "Karen",
    "Johanne", "Marta", "Olga", "Ruth",
)
MALE_OLD: Final[tuple[str, ...]] = (
    "Ole", "Olav", "Arne", "Knut", "Kjell", "Per", "Bjørn", "Svein", "Jan", "Odd", "Rolf",
    "Leif", "Einar", "Asbjørn", "Sverre", "Harald", "Helge", "Gunnar", "Magne", "Reidar",
    "Ragnar", "Torleif", "Sigmund", "Kåre", "Håkon", "Trygve", "Halvard", "Jostein", "Bjarne",
    "Alf", "Arnfinn", "Tormod", "Ingvald", "Sigurd", "Nils", "Johannes", "Torstein", "Oddvar",
    "Åsmund", "Eilif",
)
# Born about 1950-1979.
FEMALE_MID: Final[tuple[str, ...]] = (
    "Hilde", "Anne", "Kristin", "Tone", "Heidi", "Trine", "Elin", "Grete", "Mette", "Bente",
    "Wenche", "Hege", "Anita", "Gro", "Siri", "Eva", "Unni", "Torill", "Nina", "Inger Lise",
    "Kari Anne", "Anne Marie", "Marianne", "Lene", "Sissel", "Vigdis", "Åshild", "Ellen",
)
MALE_MID: Final[tuple[str, ...]] = (
    "Geir", "Tor", "Rune", "Morten", "Trond", "Stein", "Frode", "Espen", "Øyvind", "Roger",
    "Tom", "Lars", "Dag", "Erik", "Kjetil", "Hans", "Steinar", "Atle", "Egil", "Terje",
    "Jan Erik", "Per Olav", "Tore", "Bjarte", "Ståle", "Gaute", "Sigve", "Arild",
)
# Born 1980 or later.
FEMALE_YOUNG: Final[tuple[str, ...]] = (
    "Ida", "Ingrid", "Marte", "Kristine", "Silje", "Camilla", "Maria", "Nora", "Ane", "Thea",
    "Julie", "Emilie", "Hanne", "Stine", "Linn", "Sandra", "Marthe", "Solveig", "Tuva", "Synne",
    "Amalie", "Sara", "Fatima", "Aisha", "Agnieszka",
)
MALE_YOUNG: Final[tuple[str, ...]] = (
    "Martin", "Anders", "Thomas", "Kristian", "Henrik", "Jonas", "Sindre", "Magnus", "Eirik",
    "Andreas", "Fredrik", "Sondre", "Håvard", "Even", "Vegard", "Øystein", "Bjørnar", "Daniel",
    "Torbjørn", "Mathias", "Ali", "Mohammed", "Tomasz", "Minh",
)

SURNAMES: Final[tuple[str, ...]] = (
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
    "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen",
    "Lund", "Sørensen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg", "Svendsen", "Eide",
    "Knutsen", "Martinsen", "Paulsen", "Bakken", "Kristoffersen", "Mathisen", "Lie", "Amundsen",
    "Rasmussen", "Lunde", "Solheim", "Berge", "Moe", "Nygård", "Bakke", "Fredriksen", "Holm",
    "Lien", "Hauge", "Aasen", "Tveit", "Skadberg", "Ims", "Vik", "Sandvik", "Øvrebø", "Ådnøy",
    "Tjelta", "Sørbø", "Gjerde", "Hetland", "Håland", "Oftedal", "Thu", "Njå", "Vigre", "Lima",
    "Austbø", "Kvalvåg", "Tjøstheim", "Søyland", "Refsnes", "Obrestad", "Grødem", "Stangeland",
    "Hovland", "Tvedt", "Gausland", "Salte", "Hognestad", "Nærland", "Espedal", "Norheim",
    "Roalkvam", "Skretting", "Tjessem", "Bø", "Ødegård", "Sæther", "Næss", "Strøm", "Aarsland",
    "Helland", "Bøe", "Myklebust", "Erga", "Ueland", "Time", "Nguyen", "Ahmed", "Nowak",
)

# fmt: on


@dataclass(frozen=True, slots=True)
class Street:
    """A street name with the postcode and post town of the area it runs through."""

    name: str
    postcode: str
    city: str
    municipality: str  # organisation id of the municipality the street lies in
    max_number: int = 60


# Grouped by the areas the departments serve, so a Madla GP-office patient lives at Madla.
STAVANGER_SENTRUM: Final[tuple[Street, ...]] = (
    Street("Kirkegata", "4006", "Stavanger", "stavanger-kommune", 40),
    Street("Øvre Holmegate", "4006", "Stavanger", "stavanger-kommune", 40),
    Street("Skagenkaien", "4006", "Stavanger", "stavanger-kommune", 30),
    Street("Sølvberggata", "4006", "Stavanger", "stavanger-kommune", 20),
    Street("Tanke Svilands gate", "4007", "Stavanger", "stavanger-kommune"),
    Street("Løkkeveien", "4008", "Stavanger", "stavanger-kommune", 120),
    Street("Engelsminnegata", "4008", "Stavanger", "stavanger-kommune", 30),
    Street("Eiganesveien", "4009", "Stavanger", "stavanger-kommune", 120),
    Street("Lagårdsveien", "4010", "Stavanger", "stavanger-kommune", 120),
    Street("Musegata", "4010", "Stavanger", "stavanger-kommune", 80),
    Street("Bergelandsgata", "4012", "Stavanger", "stavanger-kommune"),
    Street("Pedersgata", "4013", "Stavanger", "stavanger-kommune", 120),
    Street("Verksgata", "4013", "Stavanger", "stavanger-kommune"),
    Street("Hillevågsveien", "4016", "Stavanger", "stavanger-kommune", 100),
    Street("Hundvågveien", "4085", "Hundvåg", "stavanger-kommune", 100),
)
STAVANGER_MADLA: Final[tuple[Street, ...]] = (
    Street("Madlakrossen", "4042", "Hafrsfjord", "stavanger-kommune", 12),
    Street("Madlamarkveien", "4042", "Hafrsfjord", "stavanger-kommune", 40),
    Street("Longebakke", "4042", "Hafrsfjord", "stavanger-kommune", 60),
    Street("Ragbakken", "4042", "Hafrsfjord", "stavanger-kommune", 120),
    Street("Madlaveien", "4042", "Hafrsfjord", "stavanger-kommune", 20),
)
SANDNES: Final[tuple[Street, ...]] = (
    Street("Langgata", "4306", "Sandnes", "sandnes-kommune", 90),
    Street("Hovebakken", "4306", "Sandnes", "sandnes-kommune", 40),
    Street("Gravarsveien", "4306", "Sandnes", "sandnes-kommune", 60),
    Street("St. Olavs gate", "4306", "Sandnes", "sandnes-kommune", 50),
    Street("Jernbanegata", "4306", "Sandnes", "sandnes-kommune", 30),
    Street("Luramyrveien", "4313", "Sandnes", "sandnes-kommune", 70),
    Street("Stokkaveien", "4313", "Sandnes", "sandnes-kommune", 40),
    Street("Hanaveien", "4327", "Sandnes", "sandnes-kommune", 150),
)
SOLA: Final[tuple[Street, ...]] = (
    Street("Solakrossvegen", "4050", "Sola", "sola-kommune", 40),
    Street("Soltunvegen", "4050", "Sola", "sola-kommune", 30),
    Street("Axel Lunds veg", "4055", "Sola", "sola-kommune", 40),
    Street("Tanangervegen", "4056", "Tananger", "sola-kommune", 120),
)
ALL_STREETS: Final[tuple[Street, ...]] = STAVANGER_SENTRUM + STAVANGER_MADLA + SANDNES + SOLA

MUNICIPALITY_NAMES: Final[dict[str, str]] = {
    "stavanger-kommune": "Stavanger",
    "sandnes-kommune": "Sandnes",
    "sola-kommune": "Sola",
}


def first_names(sex: str, birth_year: int) -> tuple[str, ...]:
    """The given-name pool for a sex (`male`/`female`) and birth cohort."""
    female = sex == "female"
    if birth_year < 1950:
        return FEMALE_OLD if female else MALE_OLD
    if birth_year < 1980:
        return FEMALE_MID if female else MALE_MID
    return FEMALE_YOUNG if female else MALE_YOUNG


_ASCII_FOLD: Final[dict[int, str]] = str.maketrans(
    {"æ": "ae", "ø": "o", "å": "aa", "Æ": "Ae", "Ø": "O", "Å": "Aa", " ": "-", ".": ""}
)


def ascii_fold(text: str) -> str:
    """Fold æøå (and spaces) so a name can be part of a user name or an id."""
    return text.translate(_ASCII_FOLD)
