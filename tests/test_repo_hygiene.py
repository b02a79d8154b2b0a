"""The tracked text files carry no leftover merge-conflict markers (a merge that was resolved
by hand and committed half-done)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = re.compile(r"^(?:<{7} \S.*|={7}|>{7} \S.*)$", re.MULTILINE)
TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".toml", ".cfg", ".txt", ""}


def tracked_text_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / name for name in listed if Path(name).suffix in TEXT_SUFFIXES]


def test_no_conflict_markers_in_tracked_files() -> None:
    files = tracked_text_files()
    assert any(path.name == "README.md" for path in files)  # the listing works
    found = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in files
        if path.is_file()
        for text in [path.read_text(encoding="utf-8", errors="replace")]
        for match in [MARKER.search(text)]
        if match
    ]
    assert found == []


def test_the_marker_pattern_finds_a_conflict() -> None:
    text = "a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> branch\n"
    assert MARKER.search(text) is not None
    assert MARKER.search("Kop\n========\n") is None  # a heading underline is no marker
