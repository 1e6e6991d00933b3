"""Spellings of a name: how the linker searches and compares names across case and accents."""

from __future__ import annotations

from publisher.text import strip_accents


def spellings(text: str) -> set[str]:
    """The exact spellings to look up for ``text``: as written, lower case, capitalised, each
    with and without accents."""
    text = " ".join(text.split())
    cases = {text, text.lower(), text[:1].upper() + text[1:].lower()}
    return cases | {strip_accents(case) for case in cases}
