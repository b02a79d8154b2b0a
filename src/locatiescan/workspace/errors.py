"""Errors of the workspace database, in the project's bilingual error family."""

from __future__ import annotations

from locatiescan.errors import InputError, LocatiescanError


class WorkspaceError(LocatiescanError):
    """The workspace database cannot be opened or used."""


class WorkspaceBusyError(WorkspaceError):
    """Another session held the write lock longer than the busy timeout."""


class WorkspaceConflictError(InputError):
    """Someone else changed the record since it was loaded; nothing was overwritten."""
