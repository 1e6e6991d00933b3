"""Languages of the pages: choice of language, the en/fr messages, label fallback, dates."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
XSD = "http://www.w3.org/2001/XMLSchema#"


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


def other_language(language: str) -> str:
    return "fr" if language == "en" else "en"


def pick(values: Mapping[str, Sequence[str]], language: str) -> str | None:
    """The first value in ``language``, else the other language, else untagged, else any."""
    for key in (language, other_language(language), ""):
        if values.get(key):
            return values[key][0]
    return next((v[0] for v in values.values() if v), None)


def last_segment(iri: str) -> str:
    """The end of an IRI, the label of last resort."""
    return re.split(r"[/#]", iri.rstrip("/#"))[-1] or iri


MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}


def format_date(value: str, datatype: str | None, language: str) -> str:
    """An xsd date-like literal as people write it: ``12 December 2024``, ``décembre 2017``."""
    match = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(T\d{2}:\d{2})?)?)?", value)
    if not match or datatype not in {XSD + t for t in ("date", "dateTime", "gYear", "gYearMonth")}:
        return value
    year, month, day, time = match.groups()
    if not month or not 1 <= int(month) <= 12:
        return year
    name = MONTHS[language].split()[int(month) - 1]
    if not day:
        return f"{name} {year}"
    first = "1er" if language == "fr" and int(day) == 1 else str(int(day))
    text = f"{first} {name} {year}"
    return f"{text}, {time[1:]}" if time else text


MESSAGES: dict[str, tuple[str, str]] = {
    "nav.home": ("Home", "Accueil"),
    "nav.search": ("Search", "Recherche"),
    "nav.sparql": ("SPARQL", "SPARQL"),
    "nav.downloads": ("Downloads", "Téléchargements"),
    "nav.vocabulary": ("Vocabulary", "Vocabulaire"),
    "nav.language": ("Language", "Langue"),
    "footer.licence": ("Data licence", "Licence des données"),
    "footer.release": ("release", "version"),
    "entity.iri": ("IRI", "IRI"),
    "entity.data": ("This page as data:", "Cette page en données :"),
    "entity.sources": ("Sources", "Sources"),
    "entity.sources.intro": (
        "Every fact on this page is taken from these documents; the numbers after a fact "
        "name its sources.",
        "Chaque fait de cette page provient de ces documents ; les numéros après un fait "
        "renvoient à ses sources.",
    ),
    "entity.public": ("public page:", "page publique :"),
    "entity.vocabulary": ("The vocabulary and concept schemes", "Le vocabulaire et les schémas"),
    "entity.other": ("Other facts", "Autres faits"),
    "entity.source_of": ("Sources of this fact", "Sources de ce fait"),
    "entity.details": ("details", "détails"),
    "search.title": ("Search", "Recherche"),
    "search.label": ("Name, acronym or title", "Nom, sigle ou titre"),
    "search.button": ("Search", "Chercher"),
    "search.results": ("results for", "résultats pour"),
    "search.none": ("Nothing found.", "Aucun résultat."),
    "search.more": (
        "Only the first results are shown.",
        "Seuls les premiers résultats sont affichés.",
    ),
    "list.title": ("All of type", "Tout le type"),
    "list.count": ("entities", "entités"),
    "home.intro": (
        "This dataset describes local and regional governments, city networks and "
        "international organizations, the people who hold posts in them, the agreements they "
        "sign, the events where they meet and the digital-governance initiatives they run. "
        "Each fact is taken from a public source document, named on every page, and every "
        "thing has a stable IRI that answers in HTML, Turtle, JSON-LD, RDF/XML and N-Triples.",
        "Ce jeu de données décrit des gouvernements locaux et régionaux, des réseaux de villes "
        "et des organisations internationales, les personnes qui y occupent des postes, les "
        "accords qu'ils signent, les événements où ils se retrouvent et les initiatives de "
        "gouvernance numérique qu'ils mènent. Chaque fait provient d'un document public, cité "
        "sur chaque page, et chaque chose a un IRI stable qui répond en HTML, Turtle, JSON-LD, "
        "RDF/XML et N-Triples.",
    ),
    "home.types": ("What the dataset holds", "Ce que contient le jeu de données"),
    "home.examples": ("Example queries", "Exemples de requêtes"),
    "home.examples.intro": (
        "Open one in the query page, change it and run it:",
        "Ouvrez-en une dans la page de requête, modifiez-la et exécutez-la :",
    ),
    "home.download": ("Download", "Télécharger"),
    "home.download.text": (
        "The whole dataset as Turtle, N-Triples and N-Quads (one graph per source document), "
        "with SHA-256 checksums:",
        "Tout le jeu de données en Turtle, N-Triples et N-Quads (un graphe par document "
        "source), avec les sommes SHA-256 :",
    ),
    "home.dataset": (
        "Description of the dataset (VoID and DCAT)",
        "Description du jeu de données (VoID et DCAT)",
    ),
    "home.shapes": ("SHACL shapes it is validated against", "Formes SHACL qui le valident"),
    "example.members": ("Members of WeGO", "Membres de WeGO"),
    "example.agreements": ("Agreements by date, with their parties", "Accords par date et parties"),
    "example.posts": ("People and their posts", "Personnes et leurs postes"),
    "example.population": (
        "Cities and their population (federated with Wikidata)",
        "Villes et leur population (requête fédérée avec Wikidata)",
    ),
    "gone.title": ("Removed from the dataset", "Retiré du jeu de données"),
    "gone.text": (
        "This resource was removed from the dataset. Its IRI is kept so that links to it "
        "explain what happened instead of failing.",
        "Cette ressource a été retirée du jeu de données. Son IRI est conservé pour que les "
        "liens qui y mènent expliquent ce qui s'est passé au lieu d'échouer.",
    ),
    "gone.label": ("Last known name", "Dernier nom connu"),
    "gone.release": ("Removed in release", "Retiré dans la version"),
    "gone.when": ("Removed on", "Retiré le"),
    "gone.hint": ("Search for it", "La rechercher"),
    "error.title": ("Error", "Erreur"),
    "dumps.title": ("Downloads", "Téléchargements"),
    "dumps.release": ("Release", "Version"),
    "dumps.created": ("created", "créée le"),
    "dumps.file": ("File", "Fichier"),
    "dumps.bytes": ("Bytes", "Octets"),
    "vocab.title": ("Vocabulary", "Vocabulaire"),
    "vocab.classes": ("Classes", "Classes"),
    "vocab.object": ("Object properties", "Propriétés d'objet"),
    "vocab.datatype": ("Datatype properties", "Propriétés de données"),
    "vocab.concepts": ("Topics and concept schemes", "Thèmes et schémas de concepts"),
    "vocab.parents": ("specialises:", "spécialise :"),
    "vocab.domain": ("domain:", "domaine :"),
    "vocab.range": ("range:", "portée :"),
    "col.person": ("Person", "Personne"),
    "col.organization": ("Organization", "Organisation"),
    "col.role": ("Role", "Rôle"),
    "col.qualifier": ("Detail", "Précision"),
    "col.as_of": ("As of", "À la date du"),
    "col.start": ("From", "Depuis"),
    "col.end": ("Until", "Jusqu'au"),
    "col.member": ("Member", "Membre"),
    "col.agreement": ("Agreement", "Accord"),
    "col.party": ("Party", "Partie"),
    "col.represented_by": ("Represented by", "Représentée par"),
    "col.sources": ("Sources", "Sources"),
    "type.source": ("Source documents", "Documents sources"),
    "type.organization": ("Organizations", "Organisations"),
    "type.person": ("People", "Personnes"),
    "type.event": ("Events", "Événements"),
    "type.agreement": ("Agreements", "Accords"),
    "type.initiative": ("Initiatives, studies and agendas", "Initiatives, études et agendas"),
    "type.city": ("Cities", "Villes"),
    "type.country": ("Countries", "Pays"),
    "type.site": ("Seats and offices", "Sièges et bureaux"),
    "type.role": ("Roles", "Rôles"),
    "type.topic": ("Topics", "Thèmes"),
    "type.post": ("Posts", "Postes"),
    "type.membership": ("Memberships", "Adhésions"),
    "type.party": ("Parties to agreements", "Parties aux accords"),
    "type.scheme": ("Concept schemes", "Schémas de concepts"),
}


def t(key: str, language: str) -> str:
    """The message ``key`` in ``language`` (the key itself when the catalogue lacks it)."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    return pair[1] if language == "fr" else pair[0]


def language_links(request: Request) -> dict[str, str]:
    """For each language, this page's address with ``?lang=`` set (other parameters kept)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return {
        language: request.url.path + "?" + urlencode([*params, ("lang", language)])
        for language in LANGUAGES
    }


def page_context(request: Request, language: str) -> dict[str, Any]:
    """What every page template needs: the language, messages and the switcher's links."""
    return {
        "request": request,
        "lang": language,
        "t": lambda key: t(key, language),
    }


def render_page(request: Request, template: str, language: str, **context: Any) -> str:
    """Render one of the page templates in ``language``."""
    templates = request.app.state.templates
    install(templates.env)
    page = templates.get_template(template).render(**page_context(request, language), **context)
    return str(page)


def install(env: Any) -> None:
    """Make the language helpers global to every template (also those other modules render)."""
    env.globals.setdefault("i18n_language", language_of)
    env.globals.setdefault("i18n_message", t)
    env.globals.setdefault("i18n_links", language_links)
