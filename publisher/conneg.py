"""Content negotiation (RFC 9110 §12.5.1): pick the offered format the client prefers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from publisher.formats import Format

TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
MEDIA_RANGE = re.compile(rf"^({TOKEN}|\*)/({TOKEN}|\*)$")
QVALUE = re.compile(r"^(0(\.\d{0,3})?|1(\.0{0,3})?)$")
MAX_ACCEPT_LENGTH = 4096


class NegotiationError(ValueError):
    """Base of the two ways negotiation fails."""


class MalformedAcceptError(NegotiationError):
    """The Accept header does not follow RFC 9110."""


class NotAcceptableError(NegotiationError):
    """Nothing on offer is acceptable; the message lists what is."""

    def __init__(self, offers: Sequence[Format]) -> None:
        self.offers = tuple(offers)
        types = ", ".join(f.media_type for f in offers)
        super().__init__(f"none of the formats on offer is acceptable: {types}")


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header."""

    type: str
    subtype: str
    quality: float

    def specificity(self, media_type: str) -> int:
        """How closely this range matches ``media_type``: 3 exact, 2 type/*, 1 */*, 0 no match."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 1 if self.subtype == "*" else 0
        if self.type != kind:
            return 0
        if self.subtype == "*":
            return 2
        return 3 if self.subtype == sub else 0


def parse_accept(header: str) -> list[MediaRange]:
    """Parse an Accept header, raising MalformedAcceptError on anything RFC 9110 forbids."""
    if len(header) > MAX_ACCEPT_LENGTH:
        raise MalformedAcceptError(f"Accept header longer than {MAX_ACCEPT_LENGTH} characters")
    ranges = []
    for element in header.split(","):
        element = element.strip()
        if not element:
            continue
        media, *params = (p.strip() for p in element.split(";"))
        match = MEDIA_RANGE.match(media)
        if not match:
            raise MalformedAcceptError(f"malformed media range {media!r} in Accept header")
        kind, sub = match.group(1).lower(), match.group(2).lower()
        if kind == "*" and sub != "*":
            raise MalformedAcceptError(f"malformed media range {media!r} in Accept header")
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                value = value.strip()
                if not QVALUE.match(value):
                    raise MalformedAcceptError(f"malformed q-value {value!r} in Accept header")
                quality = float(value)
        ranges.append(MediaRange(kind, sub, quality))
    return ranges


def _quality(offer: Format, ranges: list[MediaRange]) -> float:
    """The quality the client gives ``offer``: its most specific matching range decides.

    Wildcards match only the media type the offer is served as; its aliases
    (``application/x-turtle``) count when named exactly.
    """
    matches = [(r.specificity(offer.media_type), r.quality) for r in ranges]
    matches += [
        (3, r.quality)
        for alias in offer.media_types[1:]
        for r in ranges
        if r.specificity(alias) == 3
    ]
    matches = [m for m in matches if m[0]]
    return max(matches)[1] if matches else 0.0


def negotiate(accept: str | None, offers: Sequence[Format], default: Format) -> Format:
    """The offer the client prefers; ``default`` when it states no preference.

    For each offer the most specific matching range gives its quality; the highest quality
    wins and ties go to the earlier offer. Raises NotAcceptableError or MalformedAcceptError.
    """
    if accept is None or not accept.strip():
        return default
    ranges = parse_accept(accept)
    if not ranges:
        return default
    best: tuple[float, int] | None = None
    chosen = None
    for position, offer in enumerate(offers):
        quality = _quality(offer, ranges)
        if quality > 0 and (best is None or (quality, -position) > best):
            best, chosen = (quality, -position), offer
    if chosen is None:
        raise NotAcceptableError(offers)
    return chosen
