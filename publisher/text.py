"""Comparing names across case, accents and punctuation (search, reconciliation, linking)."""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter and a mark.
FOLDS = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})


def strip_accents(text: str) -> str:
    """``text`` without combining marks: ``Béouindé`` → ``Beouinde``."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare)


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free text: ``Séoul`` → ``seoul``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(FOLDS))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", bare))
