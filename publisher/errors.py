"""The exceptions lodpub raises; each says what is wrong and where."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path


class PublisherError(Exception):
    """Base of every error lodpub reports to a person."""


@dataclass
class Location:
    """Where in a file something is wrong: ``path:row:column``."""

    path: str
    row: int | None = None
    column: str | None = None

    def relative_to(self, root: Path) -> Location:
        """The same place, with the path shown relative to ``root`` when it is inside."""
        path = Path(self.path)
        if path.is_relative_to(root):
            return replace(self, path=str(path.relative_to(root)))
        return self

    def __str__(self) -> str:
        parts = [self.path]
        if self.row is not None:
            parts.append(str(self.row))
        if self.column is not None:
            parts.append(self.column)
        return ":".join(parts)


@dataclass
class Problem:
    """One thing wrong with the input, at one place."""

    location: Location
    reason: str

    def relative_to(self, root: Path) -> Problem:
        return Problem(self.location.relative_to(root), self.reason)

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


class InputError(PublisherError):
    """The project's input files are wrong; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def relative_to(self, root: Path) -> InputError:
        """The same error with paths shown relative to the project folder."""
        return type(self)([p.relative_to(root) for p in self.problems])


class SourceError(InputError):
    """A CSV file or its CSVW metadata is wrong."""


class MappingError(InputError):
    """A mapping query is broken or produces something it must not."""


class RdfSyntaxError(InputError):
    """An ontology or shapes file does not parse."""


class ShapesError(InputError):
    """A SHACL shape is not well formed (a count that is not an integer, a bad path …)."""


@dataclass
class Violation:
    """One SHACL result, made readable."""

    focus_node: str
    path: str | None
    message: str
    severity: str
    source_shape: str
    value: str | None = None
    row: Location | None = field(default=None)

    def relative_to(self, root: Path) -> Violation:
        return replace(self, row=self.row.relative_to(root) if self.row else None)

    def __str__(self) -> str:
        where = f" ({self.row})" if self.row else ""
        path = f" {self.path}" if self.path else ""
        value = f" [value: {self.value}]" if self.value else ""
        return f"{self.severity}: <{self.focus_node}>{path}{where}: {self.message}{value}"


class ConformanceError(PublisherError):
    """The mapped data does not conform to the shapes."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        lines = [f"{len(violations)} SHACL violation(s):"] + [f"  {v}" for v in violations]
        super().__init__("\n".join(lines))

    def relative_to(self, root: Path) -> ConformanceError:
        """The same error with row locations shown relative to the project folder."""
        return ConformanceError([v.relative_to(root) for v in self.violations])


class ReleaseError(PublisherError):
    """A release cannot be written, read or switched in."""


class ReviewError(InputError):
    """A linker review file cannot be merged into the confirmed links."""


class EndpointError(PublisherError):
    """A SPARQL endpoint the linker queries cannot be reached or keeps failing."""


class StoreError(PublisherError):
    """A remote store cannot be reached, refuses a request, or holds no release."""
