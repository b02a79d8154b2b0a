"""Command-line interface `locatiescan`."""
