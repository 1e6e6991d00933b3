"""The page language: chosen by ``?lang=``, a ``lang`` cookie, or Accept-Language."""

from __future__ import annotations

from fastapi import Request

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"


def language_of(request: Request) -> str:
    """``?lang=``, then the ``lang`` cookie, then the best of Accept-Language, then English."""
    chosen = request.query_params.get("lang") or request.cookies.get("lang")
    if chosen in LANGUAGES:
        return chosen
    ranked = []
    for position, item in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE
