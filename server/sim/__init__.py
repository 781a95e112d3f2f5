"""Synthetic population, physiology and the real-time measurement simulator (no I/O)."""

from server.sim.identity import fodselsnummer, hpr_number, is_valid_fodselsnummer
from server.sim.population import PROGRAMMES, Population, build_population
from server.sim.simulator import DEFAULT_SPEED, Simulator

__all__ = [
    "DEFAULT_SPEED",
    "PROGRAMMES",
    "Population",
    "Simulator",
    "build_population",
    "fodselsnummer",
    "hpr_number",
    "is_valid_fodselsnummer",
]
