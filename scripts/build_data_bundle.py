"""Build the embedded default data bundle (`data/`) from a data root.

Usage: `python scripts/build_data_bundle.py [--source ../shared/data] [--out data]`
(or `make data-bundle`). The manifest `scripts/data_bundle.yaml` says which files may be shipped
(licence allows redistribution) and why the others are left out; every file of the source must be
named there (a file or a folder prefix), so a new file forces a decision. The bundle is written to
a temporary folder next to `--out` and renamed into place only when complete. `BUNDLE.md` lists
every file with size, sha256 and licence, the files left out with the reason, and the version
(a digest of the contents), so the app can show which data it runs on.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from locatiescan.layers.prepared import file_sha256

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "data_bundle.yaml"
BUNDLE_MANIFEST = "BUNDLE.md"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Included(_Strict):
    pad: str
    licentie: str


class Excluded(_Strict):
    pad: str
    reden: str


class Manifest(_Strict):
    max_mb: float = Field(gt=0)
    opnemen: list[Included]
    weglaten: list[Excluded]


def undecided(source: Path, manifest: Manifest) -> list[str]:
    """Files of the source that the manifest neither includes nor leaves out."""
    named = {item.pad for item in manifest.opnemen}
    prefixes = [item.pad for item in manifest.weglaten]
    files = sorted(p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file())
    return [f for f in files if f not in named and not any(f.startswith(p) for p in prefixes)]


def build(source: Path, out: Path, manifest: Manifest) -> str:
    """Write the bundle to `out` (atomically); return its version."""
    problems = undecided(source, manifest)
    missing = [i.pad for i in manifest.opnemen if not (source / i.pad).is_file()]
    if problems or missing:
        lines = [f"not in the manifest: {p}" for p in problems]
        lines += [f"missing in the source: {m}" for m in missing]
        raise SystemExit("data bundle manifest problems:\n" + "\n".join(lines))
    total = sum((source / i.pad).stat().st_size for i in manifest.opnemen)
    if total > manifest.max_mb * 1e6:
        msg = f"bundle would be {total / 1e6:.1f} MB, above the limit of {manifest.max_mb} MB"
        raise SystemExit(msg)
    staging = Path(tempfile.mkdtemp(prefix=".bundle-", dir=out.parent))
    staging.chmod(0o755)
    rows, digest = [], hashlib.sha256()
    for item in manifest.opnemen:
        target = staging / item.pad
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / item.pad, target)
        checksum = file_sha256(target)
        digest.update(f"{item.pad}:{checksum}\n".encode())
        size_kb = target.stat().st_size / 1024
        rows.append(f"| `{item.pad}` | {size_kb:,.0f} KB | {checksum[:12]} | {item.licentie} |")
    version = digest.hexdigest()[:12]
    left_out = [f"- `{item.pad}`: {' '.join(item.reden.split())}" for item in manifest.weglaten]
    text = "\n".join(
        [
            "# Embedded default data (generated: do not edit)",
            "",
            f"Version `{version}`, {total / 1e6:.1f} MB, built by `scripts/build_data_bundle.py`",
            "from the data root with `scripts/data_bundle.yaml`. Provenance, licences and caveats",
            "of every file: `SOURCES.md` in this folder.",
            "",
            "| file | size | sha256 | licence |",
            "|---|---|---|---|",
            *rows,
            "",
            "## Left out",
            "",
            *left_out,
            "",
        ]
    )
    (staging / BUNDLE_MANIFEST).write_text(text, encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    return version


def main(argv: list[str] | None = None) -> int:
    root = HERE.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=root.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=root / "data")
    args = parser.parse_args(argv)
    manifest = Manifest.model_validate(yaml.safe_load(MANIFEST.read_text(encoding="utf-8")))
    version = build(args.source.resolve(), args.out.resolve(), manifest)
    print(f"data bundle {version} written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
