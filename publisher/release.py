"""Versioned release folders, switched in atomically through the ``current`` link."""

from __future__ import annotations

import datetime
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from publisher.errors import ReleaseError

RELEASES = "releases"
CURRENT = "current"
INCOMING_PREFIX = ".incoming-"
MANIFEST = "release.json"
CHECKSUMS = "SHA256SUMS"
UNCHECKED = ("store/", "index/")  # what the server reads, not what it publishes


@dataclass(frozen=True)
class Release:
    """A finished release folder."""

    path: Path
    version: str


def new_version(now: datetime.datetime, release_dir: Path) -> str:
    """A sortable version from the UTC time, made unique within ``release_dir``."""
    stem = now.strftime("%Y%m%dT%H%M%SZ")
    version, n = stem, 1
    while (release_dir / RELEASES / version).exists():
        n += 1
        version = f"{stem}-{n}"
    return version


def current_release(release_dir: Path) -> Release | None:
    """The release the ``current`` link points at, if any."""
    link = release_dir / CURRENT
    if not link.is_symlink() and not link.exists():
        return None
    target = link.resolve()
    if not (target / MANIFEST).is_file():
        raise ReleaseError(f"{link} points at {target}, which is not a finished release")
    return Release(target, target.name)


def start_release(release_dir: Path, version: str) -> Path:
    """A fresh folder to write a release into, invisible to readers until finished."""
    releases = release_dir / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    for leftover in releases.glob(f"{INCOMING_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    incoming = releases / f"{INCOMING_PREFIX}{version}-{os.getpid()}"
    incoming.mkdir()
    return incoming


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of every published file (not the store nor its index), written as ``SHA256SUMS``."""
    sums = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if name == CHECKSUMS or name.startswith(UNCHECKED):
            continue
        sums[name] = sha256_file(path)
    lines = "".join(f"{digest}  {name}\n" for name, digest in sums.items())
    (folder / CHECKSUMS).write_text(lines, "utf-8")
    return sums


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def finish_release(release_dir: Path, incoming: Path, version: str, keep: int) -> Release:
    """Move ``incoming`` into place, then point ``current`` at it with one rename."""
    final = release_dir / RELEASES / version
    incoming.rename(final)
    link = release_dir / CURRENT
    staged = release_dir / f".{CURRENT}-{os.getpid()}"
    staged.unlink(missing_ok=True)
    staged.symlink_to(Path(RELEASES) / version)
    staged.replace(link)
    _fsync_dir(release_dir)
    prune_releases(release_dir, keep)
    return Release(final, version)


def prune_releases(release_dir: Path, keep: int) -> None:
    """Delete the oldest finished releases beyond ``keep``, never the current one."""
    current = current_release(release_dir)
    finished = sorted(
        (p for p in (release_dir / RELEASES).iterdir() if not p.name.startswith(".")),
        key=lambda p: p.name,
    )
    for old in finished[:-keep]:
        if current is None or old.resolve() != current.path:
            shutil.rmtree(old, ignore_errors=True)
