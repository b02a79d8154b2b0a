"""Locatiescan: screening of Dutch housing locations against constraints, with explainable scores."""

__version__ = "0.1.0"
