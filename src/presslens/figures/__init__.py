"""Figures: the quantities an article asserts (value, range, qualifier, change, unit, what it counts, source)."""

from presslens.figures.detect import Figure, figure_records, find_figures
from presslens.figures.parse import Parsed, parse_text

__all__ = ["Figure", "Parsed", "figure_records", "find_figures", "parse_text"]
