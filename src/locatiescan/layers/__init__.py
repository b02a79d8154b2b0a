"""Overlay layers: the catalog (layers/*.yaml), providers (I/O) and the fetch chain."""
