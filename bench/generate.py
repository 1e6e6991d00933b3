"""Generate a synthetic lodpub project of about N triples, to benchmark the whole pipeline.

    python3 bench/generate.py --triples 1000000 --out /tmp/gen-1m [--seed 1]

The project at --out (which must not exist, or be empty) gets this repository's
pyproject.toml, mappings/, ontology/, shapes/ and data/*.csv-metadata.json, unchanged, and a
generated data/*.csv for every table that data/ describes. The data is a world of city
networks, international organizations, national associations of local authorities, NGOs and
companies, and of cities in the real countries (data/countries.csv), each governed by a local
government with its mayor, deputies and digital office, member of networks, host of events
with sessions, speakers and moderators, party to agreements and author of initiatives. Roles,
countries and topics are the real ones. Every row cites one or more of many source documents
(one per ``TRIPLES_PER_SOURCE`` triples), so the facts spread over many named graphs. Names are
bilingual (some only in English or in French, some with accents); a share of the entities has
a synthetic Wikidata item (Q90000001 and up, one per entity), others a "no item" row.

Sizing: every row added is counted with the number of distinct triples its mapping makes
(``count_triples``: the triples of each value of a column and of the row itself, read off
mappings/*.rq; a row citing several sources repeats only its prov:wasDerivedFrom). The fixed
part (countries, roles, sources, organizations, their people and general assemblies) is sized
in proportion to the target; then city clusters are added until the count reaches it. The
count is exact while the mappings stay as they are, so the release's ``triples`` lands within
a cluster (~150 triples) above the target (seed 1: 100,024 for 100 k, 1,000,036 for 1 M);
below ~2,500 triples the fixed part alone exceeds it.

The same arguments give byte-identical files: one ``random.Random(seed)``, lists only, no
clock.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import random
import re
import shutil
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("pyproject.toml", "mappings", "ontology", "shapes")
METADATA = ".csv-metadata.json"
TRIPLES_PER_SOURCE = 1_000
FIRST_QID = 90_000_000
CONFIRMED = datetime.date(2026, 11, 25)

Cell = str | list[str]
Row = dict[str, Cell]
Frame = tuple[str, str, bool]  # a kind of body in English and French, and whether it is feminine

# Distinct triples per row (generic rdf:type triples) and per value of a column, as
# mappings/*.rq make them; a column not listed makes one triple per value. `online` is only
# ever "true" or empty here (false states nothing).
ROW_TRIPLES = {
    "sources": 2,
    "organizations": 1,
    "cities": 1,
    "countries": 1,
    "sites": 1,
    "people": 2,
    "roles": 3,
    "posts": 1,
    "memberships": 1,
    "agreements": 1,
    "agreement_parties": 1,
    "events": 1,
    "replacements": 1,
}
VALUE_TRIPLES: dict[str, dict[str, int]] = {
    "*": {"id": 0, "label_en": 2, "label_fr": 2},  # rdfs:label + skos:prefLabel
    "sources": {"title": 3},
    "organizations": {"parent": 2},  # and org:hasSubOrganization back
    "sites": {"organization": 2},
    "people": {"name": 3},
    "posts": {"person": 2, "organization": 2},
    "memberships": {"member": 2},
    "agreement_parties": {"agreement": 3},  # lgdg:agreement, lgdg:hasParty, lgdg:party
    "events": {"parent": 2},
    "initiatives": {"kind": 2},
    "event_participants": {"event": 0, "role": 0, "sources": 0},
    "replacements": dict.fromkeys(("type", "old", "new", "note_en", "sources"), 0),
    "wikidata": dict.fromkeys(
        ("entity", "wikidata_label", "wikidata_description", "method", "confirmed", "evidence"), 0
    ),
}
KIND_TRIPLES = {("sites", "secretariat-seat"): 0, ("initiatives", "initiative"): 1}

# (English, French with its article, topic slug of ontology/concepts.ttl)
THEMES = [
    ("smart cities", "les villes intelligentes", "smart-cities"),
    ("artificial intelligence", "l'intelligence artificielle", "artificial-intelligence"),
    ("AI governance", "la gouvernance de l'IA", "ai-governance"),
    ("the digital divide", "la fracture numérique", "digital-divide"),
    ("digital rights", "les droits numériques", "digital-rights"),
    ("the localisation of the SDGs", "la localisation des ODD", "sdg-localisation"),
    ("sustainable development", "le développement durable", "sustainable-development"),
    ("e-government", "l'administration électronique", "e-government"),
    ("big data", "les mégadonnées", "big-data"),
    ("connectivity", "la connectivité", "connectivity"),
    ("the gender digital gap", "l'écart numérique entre les genres", "gender-digital-gap"),
    ("digital transformation", "la transformation numérique", "digital-transformation"),
    ("digital inclusion", "l'inclusion numérique", "digital-inclusion"),
    ("digital cooperation", "la coopération numérique", "digital-cooperation"),
    ("multilateralism", "le multilatéralisme", "multilateralism"),
    ("urban development", "le développement urbain", "urban-development"),
    ("standardisation", "la normalisation", "standardisation"),
    ("public service delivery", "la prestation des services publics", "public-service-delivery"),
    ("smart governance", "la gouvernance intelligente", "smart-governance"),
    ("virtual worlds", "les mondes virtuels", "virtual-worlds"),
    ("data protection", "la protection des données", "data-protection"),
    ("COVID-19 recovery", "la relance après la COVID-19", "covid-19-recovery"),
    ("capacity building", "le renforcement des capacités", "capacity-building"),
    ("open government", "le gouvernement ouvert", "open-government"),
]
# (English adjective, French masculine, French feminine)
AREAS = [
    ("Global", "mondial", "mondiale"),
    ("African", "africain", "africaine"),
    ("Asia-Pacific", "d'Asie-Pacifique", "d'Asie-Pacifique"),
    ("European", "européen", "européenne"),
    ("Latin American", "latino-américain", "latino-américaine"),
    ("Arab", "arabe", "arabe"),
    ("Mediterranean", "méditerranéen", "méditerranéenne"),
    ("Nordic", "nordique", "nordique"),
    ("Eurasian", "eurasien", "eurasienne"),
    ("Ibero-American", "ibéro-américain", "ibéro-américaine"),
]
# (English, French, feminine)
NETWORK_FRAMES = [
    ("Network", "Réseau", False),
    ("Alliance", "Alliance", True),
    ("Forum", "Forum", False),
    ("Association", "Association", True),
    ("Coalition", "Coalition", True),
    ("League", "Ligue", True),
]
NETWORK_AIMS = [
    ("Digital Cities", "les villes numériques"),
    ("Smart and Sustainable Cities", "les villes intelligentes et durables"),
    ("E-Government", "l'administration électronique"),
    ("Open Government", "le gouvernement ouvert"),
    ("Urban Data", "les données urbaines"),
    ("Digital Inclusion", "l'inclusion numérique"),
    ("Local Digital Governance", "la gouvernance numérique locale"),
    ("Cities and Artificial Intelligence", "les villes et l'intelligence artificielle"),
]
IO_FRAMES = [
    ("Organization", "Organisation", True),
    ("Union", "Union", True),
    ("Agency", "Agence", True),
    ("Programme", "Programme", False),
    ("Council", "Conseil", False),
]
IO_FIELDS = [
    ("Telecommunication", "des télécommunications"),
    ("Digital Cooperation", "de la coopération numérique"),
    ("Urban Development", "du développement urbain"),
    ("Data Governance", "de la gouvernance des données"),
    ("Cybersecurity", "de la cybersécurité"),
    ("Standardisation", "de normalisation"),
    ("Local Finance", "des finances locales"),
    ("Information Society", "de la société de l'information"),
]
IO_UNITS = [
    (
        "Department of Economic and Social Affairs",
        "Département des affaires économiques et sociales",
    ),
    ("Office for Digital Policy", "Bureau de la politique numérique"),
    ("Development Sector", "Secteur du développement"),
    ("Standardisation Bureau", "Bureau de la normalisation"),
    ("Office of the Envoy on Technology", "Bureau de l'envoyé pour les technologies"),
    ("Statistics Division", "Division de statistique"),
]
# (region, "for" phrase) in English, then in French
REGIONS = [
    ("Africa", "for Africa", "Afrique", "pour l'Afrique"),
    ("Asia-Pacific", "for Asia-Pacific", "Asie-Pacifique", "pour l'Asie-Pacifique"),
    ("Europe", "for Europe", "Europe", "pour l'Europe"),
    ("Latin America", "for Latin America", "Amérique latine", "pour l'Amérique latine"),
    (
        "Middle East and North Africa",
        "for the Middle East and North Africa",
        "Moyen-Orient et Afrique du Nord",
        "pour le Moyen-Orient et l'Afrique du Nord",
    ),
    ("North America", "for North America", "Amérique du Nord", "pour l'Amérique du Nord"),
    ("Eurasia", "for Eurasia", "Eurasie", "pour l'Eurasie"),
    ("Mediterranean", "for the Mediterranean", "Méditerranée", "pour la Méditerranée"),
]
GOVERNMENT_FORMS = [
    ("City of {}", "Ville {}"),
    ("Municipality of {}", "Municipalité {}"),
    ("{} Metropolitan Government", "Gouvernement métropolitain {}"),
    ("{} City Council", "Conseil municipal {}"),
]
OFFICE_FORMS = [
    ("{} Digital Transformation Office", "Bureau de la transformation numérique {}"),
    ("{} Smart City Department", "Direction de la ville intelligente {}"),
    ("{} Open Data Unit", "Cellule des données ouvertes {}"),
]
# fmt: off
CITY_STARTS = (
    "Al", "Ar", "Bel", "Bra", "Cal", "Cor", "Dal", "Dun", "El", "Es", "Fal", "Gal", "Gra", "Hal",
    "Is", "Jun", "Kal", "Kor", "Lan", "Lu", "Mar", "Mon", "Nar", "Nor", "Or", "Pal", "Pé", "Ros",
    "Sal", "Tal", "Té", "Ul", "Val", "Vér", "Yan", "Zal", "Ké", "Bré",
)
CITY_MIDDLES = (
    "", "a", "e", "i", "o", "ra", "ri", "lo", "ma", "né", "sa", "ta", "vé", "do", "ku",
)
CITY_ENDS = (
    "bourg", "ville", "ton", "grad", "abad", "pur", "sk", "dorf", "an", "ía", "ène", "ak", "ju",
    "shan", "polis", "ona", "ère", "ingen", "hafen", "köy",
)
CITY_PREFIXES = (("Saint ", "Saint-"), ("Port ", "Port-"), ("San ", "San "))
GIVEN_NAMES = (
    "Amina", "Ana", "Andrés", "Armand", "Ayşe", "Bülent", "Carlos", "Chloé", "Daniela", "David",
    "Elif", "Emeka", "Fatima", "François", "Hélène", "Hyun-woo", "Ibrahim", "Inès", "Jeong-hee",
    "Jiayi", "José", "Juan", "Karim", "Léa", "Lucía", "Mamadou", "María", "Mehmet", "Min-jun",
    "Nadia", "Ngozi", "Olivia", "Omar", "Priya", "Rafael", "Raúl", "Sami", "Seo-yeon", "Søren",
    "Thandiwe", "Wei", "Yasmine", "Zoë", "Åsa", "Émile", "Noémie", "Kwame", "Aigerim", "Nurlan",
    "Tomás",
)
FAMILY_NAMES = (
    "Abdullah", "Adeyemi", "Alaoui", "Bennani", "Béouindé", "Castro", "Chen", "Cho", "Çelik",
    "Dubois", "Duarte", "Fernández", "García", "Gómez", "Haddad", "Hernández", "Johansson", "Kaya",
    "Kim", "Lee", "Lefèvre", "Li", "Martin", "Mensah", "Moreau", "Müller", "Nakamura", "Ndiaye",
    "Nguyen", "Núñez", "Okafor", "Öztürk", "Park", "Pérez", "Rossi", "Sánchez", "Santos",
    "Sithole", "Tanaka", "Traoré", "Wang", "Yılmaz", "Zhang", "Ouédraogo", "Kassymov", "Mukasa",
    "Reyes", "Lindqvist", "El-Idrissi",
)
# fmt: on
COMPANY_ENDS = ["Technologies", "Systems", "Labs", "Digital", "Networks", "Analytics"]
FOLD = str.maketrans({"ı": "i", "ø": "o", "Ø": "O", "ß": "ss", "ł": "l", "æ": "ae", "œ": "oe"})
MINOR_WORDS = {"of", "and", "the", "for", "in", "on"}
FRENCH_MINOR = {"pour", "les", "le", "la", "et", "des", "de", "du"}


def fold(text: str) -> str:
    """``text`` without accents (Beyoğlu -> Beyoglu)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(FOLD))
    return decomposed.encode("ascii", "ignore").decode()


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by single hyphens, as the metadata's formats require."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")


def de(name: str) -> str:
    """French "de" before a name, elided before a vowel (d'Annecy, de Lyon)."""
    return f"d'{name}" if fold(name[:1]).lower() in "aeiouyh" else f"de {name}"


def acronym(text: str, minor: set[str]) -> str:
    """Initials of the significant words (African Network for Digital Cities -> ANDC)."""
    words = re.split(r"[\s\-']+", text)
    return "".join(fold(w[0]).upper() for w in words if w and w.lower() not in minor)


def title_case(theme: str) -> str:
    """An English theme as a title (the digital divide -> Digital Divide)."""
    words = theme.removeprefix("the ").split()
    return " ".join(w if w.isupper() or w in MINOR_WORDS else w.capitalize() for w in words)


def count_triples(table: str, row: Row) -> int:
    """The distinct triples the table's mapping makes from ``row``."""
    weights = {**VALUE_TRIPLES["*"], **VALUE_TRIPLES.get(table, {})}
    total = ROW_TRIPLES.get(table, 0)
    for column, cell in row.items():
        values = cell if isinstance(cell, list) else [cell] if cell else []
        weight = weights.get(column, 1)
        if column == "kind":
            weight = KIND_TRIPLES.get((table, str(cell)), weight)
        total += weight * len(values)
    return total


def read_schemas(data_dir: Path) -> dict[str, dict[str, str | None]]:
    """Columns (in order) and their separators of every table described in ``data_dir``."""
    schemas = {}
    for path in sorted(data_dir.glob(f"*{METADATA}")):
        columns = json.loads(path.read_text("utf-8"))["tableSchema"]["columns"]
        schemas[path.name.removesuffix(METADATA)] = {c["name"]: c.get("separator") for c in columns}
    return schemas


@dataclass(frozen=True)
class Org:
    """An organization rows refer to: its key and short names (acronym, else label)."""

    key: str
    en: str
    fr: str
    city: str = ""
    founded: int = 1990


class World:
    """The generated rows, their triple count, and the entities later rows draw on."""

    def __init__(self, rng: random.Random, target: int, schemas: dict[str, dict[str, str | None]]):
        self.rng = rng
        self.target = target
        self.schemas = schemas
        self.rows: dict[str, list[Row]] = {name: [] for name in schemas}
        self.triples = 0
        self.used: dict[str, set[str]] = defaultdict(set)
        self.qids = 0
        self.home = ""
        self.sources: list[str] = []
        self.countries: list[Row] = []
        self.roles: dict[str, Row] = {}
        self.networks: list[Org] = []
        self.ios: list[Org] = []
        self.companies: list[Org] = []
        self.governments: list[Org] = []
        self.publishers: list[Org] = []
        self.associations: dict[str, Org] = {}
        self.sites: dict[str, str] = {}
        self.staff: dict[str, list[str]] = defaultdict(list)
        self.people: list[str] = []
        self.events: list[str] = []
        self.agreements: list[str] = []
        self.initiatives: list[str] = []
        self.parts: set[tuple[str, str, str]] = set()

    # --- helpers -----------------------------------------------------------------------------

    def add(self, table: str, **cells: Cell) -> None:
        """Append a row and count its triples."""
        self.rows[table].append(cells)
        self.triples += count_triples(table, cells)

    def slug(self, kind: str, text: str) -> str:
        """A key for ``text`` not yet used by an entity of ``kind``."""
        base = slugify(text)
        key, n = base, 1
        while key in self.used[kind]:
            n += 1
            key = f"{base}-{n}"
        self.used[kind].add(key)
        return key

    def cite(self, extra: float = 0.25) -> list[str]:
        """The current home source, sometimes with a second source."""
        cited = [self.home]
        if self.rng.random() < extra:
            other = self.rng.choice(self.sources)
            if other != self.home:
                cited.append(other)
        return cited

    def day(self, year: int) -> datetime.date:
        """A day of ``year``."""
        return datetime.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def when(self, year: int) -> str:
        """A date of ``year`` written as YYYY, YYYY-MM or YYYY-MM-DD."""
        text = self.day(year).isoformat()
        return text[: self.rng.choice((4, 7, 10, 10))]

    def labels(self, en: str, fr: str, one_language: float = 0.1) -> dict[str, str]:
        """Both labels, or (sometimes) only the English or only the French one; never none."""
        draw = self.rng.random()
        if draw < one_language / 2 and en:
            return {"label_en": en, "label_fr": ""}
        if draw < one_language and fr:
            return {"label_en": "", "label_fr": fr}
        return {"label_en": en, "label_fr": fr}

    def themes(self) -> list[tuple[str, str, str]]:
        """One to three themes of THEMES."""
        return self.rng.sample(THEMES, self.rng.randint(1, 3))

    def link(self, entity: str, label: str, description: str, share: float) -> None:
        """A Wikidata row for ``entity``: an item for ``share`` of them, else sometimes none."""
        draw = self.rng.random()
        if draw < share:
            self.qids += 1
            qid = f"Q{FIRST_QID + self.qids}"
            checked = CONFIRMED - datetime.timedelta(days=self.rng.randint(0, 300))
            self.add(
                "wikidata",
                entity=entity,
                qid=qid,
                wikidata_label=label,
                wikidata_description=description,
                method="item page shows the id with a matching label and description",
                confirmed=checked.isoformat(),
                evidence=f"https://www.wikidata.org/wiki/{qid}",
            )
        elif draw < share + 0.05:
            self.add(
                "wikidata",
                entity=entity,
                method="searched by label and country; no item matches",
                confirmed=CONFIRMED.isoformat(),
            )

    # --- people, posts, memberships -----------------------------------------------------------

    def person(self, org: Org, role: str, start: int, qualifier: tuple[str, str] = ("", "")) -> str:
        """A new person holding ``role`` in ``org`` since ``start``; returns their key."""
        rng = self.rng
        given = " ".join(rng.sample(GIVEN_NAMES, 2 if rng.random() < 0.2 else 1))
        family = " ".join(rng.sample(FAMILY_NAMES, 2 if rng.random() < 0.15 else 1))
        name = f"{given} {family}"
        key = self.slug("person", name)
        alt = [fold(name)] if fold(name) != name and rng.random() < 0.5 else []
        title = self.roles[role]
        self.add(
            "people",
            id=key,
            name=name,
            given_name=given,
            family_name=family,
            alt_names=alt,
            note_en=f"{title['label_en']}, {org.en}.",
            note_fr=f"{title['label_fr']}, {org.fr}." if rng.random() < 0.7 else "",
            sources=self.cite(),
        )
        self.people.append(key)
        self.post(key, org, role, start, qualifier)
        self.link(f"person/{key}", name, f"{title['label_en'].lower()} of {org.en}", 0.15)
        if rng.random() < 0.02:
            self.replacement("person", f"{family} {given}", key)
        return key

    def post(
        self, person: str, org: Org, role: str, start: int, qualifier: tuple[str, str] = ("", "")
    ) -> None:
        """``person`` holds ``role`` in ``org`` from ``start``, maybe until a later year."""
        rng = self.rng
        end = min(2025, start + rng.randint(1, 6)) if rng.random() < 0.25 else 0
        self.add(
            "posts",
            id=self.slug("post", f"{person} {role} {org.key}"),
            person=person,
            organization=org.key,
            role=role,
            qualifier_en=qualifier[0],
            qualifier_fr=qualifier[1],
            as_of=self.day(rng.randint(start, end or 2025)).isoformat()
            if rng.random() < 0.6
            else "",
            start=self.when(start) if rng.random() < 0.7 else "",
            end=self.when(end) if end else "",
            sources=self.cite(),
        )
        self.staff[org.key].append(person)

    def membership(self, member: Org, org: Org, role: str = "member") -> None:
        """``member`` belongs to ``org`` since a year after both were founded, maybe no more."""
        rng = self.rng
        start = rng.randint(max(org.founded, member.founded), 2024)
        end = min(2025, start + rng.randint(1, 8)) if rng.random() < 0.08 else 0
        self.add(
            "memberships",
            id=self.slug("membership", f"{org.key} member {member.key}"),
            member=member.key,
            organization=org.key,
            role=role if rng.random() < 0.9 else "",
            as_of=self.when(rng.randint(start, end or 2025)) if rng.random() < 0.6 else "",
            start=self.when(start) if rng.random() < 0.5 else "",
            end=self.when(end) if end else "",
            sources=self.cite(),
        )

    def replacement(self, kind: str, old_name: str, new: str) -> None:
        """``new`` replaces an entity merged into it, named ``old_name`` in one source."""
        old = slugify(old_name)
        if old in self.used[kind]:
            return
        self.used[kind].add(old)
        self.add(
            "replacements",
            type=kind,
            old=old,
            new=new,
            note_en="Duplicate record under another spelling; merged.",
            sources=self.cite(0),
        )

    # --- places and organizations --------------------------------------------------------------

    def city(self, country: Row) -> tuple[str, str, str]:
        """A new city of ``country``; returns its key and English and French names."""
        rng = self.rng
        name = rng.choice(CITY_STARTS) + rng.choice(CITY_MIDDLES) + rng.choice(CITY_ENDS)
        en = fr = name
        if rng.random() < 0.1:
            prefix_en, prefix_fr = rng.choice(CITY_PREFIXES)
            en, fr = prefix_en + name, prefix_fr + name
        alt_en: list[str] = []
        if fold(en) != en:
            if rng.random() < 0.4:
                en = fold(en)
            else:
                alt_en = [fold(en)]
        key = self.slug("city", en)
        country_en = country["label_en"] or country["label_fr"]
        country_fr = country["label_fr"] or country["label_en"]
        self.add(
            "cities",
            id=key,
            **self.labels(en, fr, 0.06),
            alt_labels_en=alt_en,
            country=country["id"],
            note_en=f"City in {country_en}.",
            note_fr=f"Ville ({country_fr})." if rng.random() < 0.7 else "",
            sources=self.cite(),
        )
        self.link(f"city/{key}", en, f"city in {country_en}", 0.5)
        return key, en, fr

    def organization(
        self, kind: str, en: str, fr: str, short: tuple[str, str] = ("", ""), **cells: Cell
    ) -> Org:
        """A new organization; ``short`` are its acronyms, which also make its key."""
        key = str(cells.pop("id", "")) or self.slug("organization", short[0] or en)
        founded = str(cells.get("founded", ""))
        self.add(
            "organizations",
            id=key,
            kind=kind,
            **self.labels(en, fr, 0.06),
            alt_labels_en=[short[0]] if short[0] else [],
            alt_labels_fr=[short[1]] if short[1] else [],
            **cells,
            sources=self.cite(0.4),
        )
        city = str(cells.get("based_in", ""))
        return Org(key, short[0] or en, short[1] or fr or en, city, int(founded[:4] or 1990))

    def site(
        self, org: Org, kind: str, city: str, en: str, fr: str, region: tuple[str, ...] = ()
    ) -> str:
        """A seat or office of ``org``; ``region`` is a row of REGIONS for a regional office."""
        key = self.slug("site", en)
        self.add(
            "sites",
            id=key,
            kind=kind,
            **self.labels(en, fr, 0.04),
            organization=org.key,
            city=city,
            region_en=region[0] if region else "",
            region_fr=region[2] if region else "",
            sources=self.cite(),
        )
        return key

    def international_organization(self, frame: Frame, field: tuple[str, str]) -> None:
        """An intergovernmental organization with its headquarters, units and officials."""
        rng = self.rng
        en = f"International {field[0]} {frame[0]}"
        fr = f"{frame[1]} {'internationale' if frame[2] else 'international'} {field[1]}"
        short = (acronym(en, MINOR_WORDS), acronym(fr, FRENCH_MINOR))
        city, city_en, city_fr = self.city(rng.choice(self.countries))
        year = rng.randint(1945, 2010)
        io = self.organization(
            "international-organization",
            en,
            fr,
            short,
            based_in=city,
            founded=str(year),
            note_en=f"Intergovernmental organization for {field[0].lower()}, based in {city_en}.",
            note_fr=f"Organisation intergouvernementale {field[1]}, établie à {city_fr}.",
        )
        self.ios.append(io)
        self.publishers.append(io)
        self.link(f"organization/{io.key}", en, "international organization", 0.8)
        self.site(
            io,
            "headquarters",
            city,
            f"{short[0]} Headquarters, {city_en}",
            f"Siège {de(short[1])}, {city_fr}",
        )
        self.person(io, "secretary-general", rng.randint(2012, 2024))
        for role in rng.sample(["under-secretary-general", "special-envoy", "director"], 2):
            self.person(io, role, rng.randint(2010, 2024))
        for unit_en, unit_fr in rng.sample(IO_UNITS, rng.randint(1, 3)):
            unit = self.organization(
                "organizational-unit",
                f"{short[0]} {unit_en}",
                f"{unit_fr} ({short[1]})",
                parent=io.key,
                note_en=f"Unit of the {en}.",
            )
            role = rng.choice(["assistant-secretary-general", "chief", "director"])
            self.person(unit, role, rng.randint(2012, 2024))
            if rng.random() < 0.5:
                self.person(unit, "senior-programme-management-officer", rng.randint(2015, 2024))

    def network(self, area: tuple[str, str, str], frame: Frame, aim: tuple[str, str]) -> None:
        """A city network with its secretariat, offices, officials and general assemblies."""
        rng = self.rng
        en = f"{area[0]} {frame[0]} for {aim[0]}"
        fr = f"{frame[1]} {area[2] if frame[2] else area[1]} pour {aim[1]}"
        short = (acronym(en, MINOR_WORDS), acronym(fr, FRENCH_MINOR))
        city, city_en, city_fr = self.city(rng.choice(self.countries))
        year = rng.randint(1985, 2019)
        renamed = rng.random() < 0.15
        key = self.slug("organization", short[0])
        network = self.organization(
            "city-network",
            en,
            fr,
            short,
            id=key,
            based_in=city,
            founded=self.when(year),
            founding_member_count=str(rng.randint(5, 120)) if rng.random() < 0.3 else "",
            former_names_en=[f"{area[0]} {frame[0]} of E-Cities"] if renamed else [],
            former_names_fr=[f"{frame[1]} {area[2] if frame[2] else area[1]} des cybervilles"]
            if renamed
            else [],
            renamed=str(year + 5) if renamed else "",
            renamed_at=f"{key}-general-assembly-{year + 5}" if renamed else "",
            note_en=f"Network of local governments working on {aim[0].lower()}.",
            note_fr=f"Réseau de gouvernements locaux qui travaille pour {aim[1]}.",
        )
        self.networks.append(network)
        self.publishers.append(network)
        self.link(f"organization/{network.key}", en, "city network", 0.6)
        secretariat = self.organization(
            "organizational-unit",
            f"{short[0]} Secretariat",
            f"Secrétariat {de(short[1])}",
            parent=network.key,
            based_in=city,
            note_en=f"Permanent secretariat of the {en}.",
        )
        seat = self.site(
            network,
            "secretariat-seat",
            city,
            f"{short[0]} Secretariat, {city_en}",
            f"Secrétariat {de(short[1])}, {city_fr}",
        )
        self.sites[network.key] = seat
        for region in rng.sample(REGIONS, rng.randint(0, 3)):
            office, _, _ = self.city(rng.choice(self.countries))
            self.site(
                network,
                "regional-office",
                office,
                f"{short[0]} Regional Office {region[1]}",
                f"Bureau régional {de(short[1])} {region[3]}",
                region,
            )
        self.person(secretariat, "secretary-general", rng.randint(year, 2024))
        self.person(network, "president", rng.randint(year, 2024))
        for region in rng.sample(REGIONS, rng.randint(1, 4)):
            self.person(network, "vice-president", rng.randint(year, 2024), (region[1], region[3]))
        if rng.random() < 0.5:
            self.person(network, "treasurer", rng.randint(year, 2024))
        if rng.random() < 0.3 and self.ios:
            self.membership(network, rng.choice(self.ios))
        assemblies = [year + 5] if renamed else []
        assemblies += rng.sample(range(year, 2025), min(2, 2025 - year))
        for number, held in enumerate(sorted(set(assemblies)), start=1):
            self.assembly(network, number, held)

    def assembly(self, network: Org, number: int, year: int) -> None:
        """The ``number``th general assembly of ``network``, with its sessions."""
        city, _, _ = self.city(self.rng.choice(self.countries))
        ordinal_en = {1: "1st", 2: "2nd", 3: "3rd"}.get(number, f"{number}th")
        ordinal_fr = "1re" if number == 1 else f"{number}e"
        en = f"{ordinal_en} {network.en} General Assembly"
        fr = f"{ordinal_fr} Assemblée générale {de(network.fr)}"
        key = self.slug("event", f"{network.key} general assembly {year}")
        day = self.day(year)
        self.event(key, "statutory-meeting", en, fr, *self.span(day), organizer=network, city=city)
        self.sessions(key, day, city, self.rng.randint(2, 4))

    def company(self, country: Row) -> None:
        """A technology company, often a sector member of an international organization."""
        rng = self.rng
        name = rng.choice(CITY_STARTS) + rng.choice(CITY_MIDDLES)
        name = f"{fold(name).capitalize()} {rng.choice(COMPANY_ENDS)}"
        city, _, _ = self.city(country)
        company = self.organization(
            "company",
            name,
            name if rng.random() < 0.3 else "",
            country=country["id"],
            based_in=city,
            founded=str(rng.randint(1990, 2022)),
            note_en="Technology company working with city governments.",
        )
        self.companies.append(company)
        self.link(f"organization/{company.key}", name, "technology company", 0.3)
        if self.ios and rng.random() < 0.6:
            self.membership(company, rng.choice(self.ios), "sector-member")

    def association(self, country: Row) -> None:
        """The national association of the local governments of ``country``."""
        country_en = country["label_en"] or country["label_fr"]
        country_fr = country["label_fr"] or country["label_en"]
        association = self.organization(
            "local-government-association",
            f"Association of Local Authorities of {country_en}",
            f"Association des collectivités locales ({country_fr})",
            country=country["id"],
            founded=self.when(self.rng.randint(1950, 2010)),
            note_en=f"National association of the local governments of {country_en}.",
        )
        self.associations[country["id"]] = association
        self.publishers.append(association)

    def ngo(self, theme: tuple[str, str, str]) -> None:
        """A foundation working on ``theme``."""
        city, _, _ = self.city(self.rng.choice(self.countries))
        ngo = self.organization(
            "nongovernmental-organization",
            f"Foundation for {title_case(theme[0])}",
            f"Fondation pour {theme[1]}",
            based_in=city,
            note_en=f"Non-profit organization working on {theme[0]}.",
        )
        self.publishers.append(ngo)

    # --- events, agreements, initiatives --------------------------------------------------------

    def span(self, day: datetime.date) -> tuple[str, str]:
        """Start and end of an event beginning on ``day``: a day or days, or only a month."""
        draw = self.rng.random()
        if draw < 0.15:
            return day.isoformat()[:7], ""
        end = day + datetime.timedelta(days=self.rng.randint(0, 3))
        return day.isoformat(), end.isoformat() if draw < 0.7 else ""

    def event(
        self,
        key: str,
        kind: str,
        en: str,
        fr: str,
        start: str,
        end: str = "",
        organizer: Org | None = None,
        **cells: Cell,
    ) -> None:
        """An event (``key`` already reserved) with its organizer and topics."""
        rng = self.rng
        year = start[:4]
        topics = [t[2] for t in self.themes()] if kind != "session" else []
        self.add(
            "events",
            id=key,
            kind=kind,
            **self.labels(en, fr),
            start=start,
            end=end,
            attendance=str(rng.randint(30, 5000)) if rng.random() < 0.3 else "",
            country_count=str(rng.randint(3, 120)) if rng.random() < 0.15 else "",
            topics=topics,
            note_en=f"{en}, {year}." if rng.random() < 0.8 else "",
            note_fr=f"{fr}, {year}." if rng.random() < 0.5 else "",
            **cells,
            sources=self.cite(),
        )
        self.events.append(key)
        if organizer is not None:
            self.take_part(key, "organizer", organization=organizer.key)
        if kind != "session":
            self.link(f"event/{key}", en, f"{kind.replace('-', ' ')} held in {year}", 0.05)

    def sessions(self, parent: str, day: datetime.date, city: str, count: int) -> None:
        """Sessions of ``parent`` on ``day``, each with speakers and a moderator."""
        rng = self.rng
        for number, theme in enumerate(rng.sample(THEMES, count), start=1):
            key = self.slug("event", f"{parent} session {number}")
            start = day.isoformat()
            if rng.random() < 0.5:
                start += f"T{8 + number:02d}:{rng.choice((0, 30)):02d}:00+0{rng.randint(0, 9)}:00"
            title_en = theme[0][0].upper() + theme[0][1:]
            self.event(
                key,
                "session",
                f"Session {number}: {title_en}",
                f"Session {number} : {theme[1]}",
                start,
                city=city,
                parent=parent,
            )
            for person in rng.sample(self.people, min(len(self.people), rng.randint(2, 4))):
                self.take_part(key, "speaker", person=person)
            self.take_part(key, "moderator", person=rng.choice(self.people))

    def take_part(self, event: str, role: str, person: str = "", organization: str = "") -> None:
        """A person or an organization plays ``role`` in ``event`` (once)."""
        if (event, role, person + organization) in self.parts:
            return
        self.parts.add((event, role, person + organization))
        self.add(
            "event_participants",
            event=event,
            role=role,
            person=person,
            organization=organization,
            sources=self.cite(0.1),
        )

    def local_event(self, gov: Org, city: str, city_fr: str, mayor: str, network: Org) -> None:
        """An event in or about the city, often with sessions and other cities taking part."""
        rng = self.rng
        theme_en, theme_fr, _ = rng.choice(THEMES)
        year = rng.randint(2015, 2025)
        acr, place = network.en, gov.city
        templates = {
            "forum": (
                f"{city} Forum on {theme_en} {year}",
                f"Forum {de(city_fr)} sur {theme_fr} {year}",
            ),
            "conference": (
                f"{acr} Conference on {theme_en} {year}",
                f"Conférence {de(network.fr)} sur {theme_fr} {year}",
            ),
            "webinar": (f"{acr} webinar: {theme_en}", f"Webinaire {de(network.fr)} : {theme_fr}"),
            "meeting": (
                f"Meeting of {city} officials with {acr}",
                f"Réunion des responsables {de(city_fr)} avec {network.fr}",
            ),
            "visit": (
                f"{city} delegation visit to the {acr} Secretariat",
                f"Visite d'une délégation {de(city_fr)} au secrétariat {de(network.fr)}",
            ),
            "consultation": (
                f"Consultation on {theme_en} in {city}",
                f"Consultation sur {theme_fr} à {city_fr}",
            ),
            "summit": (f"{city} Mayors' Summit {year}", f"Sommet des maires {de(city_fr)} {year}"),
            "ceremony": (
                f"{acr} award ceremony {year}",
                f"Cérémonie de remise des prix {de(network.fr)} {year}",
            ),
            "event-series": (f"{city} Digital Talks", f"Rencontres numériques {de(city_fr)}"),
        }
        kind = rng.choice(list(templates))
        en, fr = templates[kind]
        key = self.slug("event", f"{city} {kind} {year}")
        day = self.day(year)
        where: dict[str, Cell] = {"city": place}
        if kind == "webinar":
            where = {"online": "true"}
        elif kind == "visit":
            where = {"city": network.city, "site": self.sites.get(network.key, "")}
        if rng.random() < 0.08 and self.events:
            where["in_conjunction_with"] = rng.choice(self.events)
        organizer = gov if kind == "summit" else network
        self.event(key, kind, en, fr, *self.span(day), organizer=organizer, **where)
        if kind != "webinar":
            self.take_part(key, "host", organization=gov.key)
        self.take_part(key, "opened-by", person=mayor)
        for other in rng.sample(self.governments, min(len(self.governments), rng.randint(0, 5))):
            self.take_part(key, "participant", organization=other.key)
        if rng.random() < 0.1 and self.companies:
            self.take_part(key, "invited-by", organization=rng.choice(self.companies).key)
        if kind in ("forum", "conference", "summit"):
            self.sessions(key, day, place, rng.randint(2, 4))
        else:
            self.take_part(key, "speaker", person=rng.choice(self.people))
            self.take_part(key, "moderator", person=rng.choice(self.people))
        if kind in ("summit", "conference", "forum") and rng.random() < 0.2:
            self.outcome(key, city, city_fr, day)

    def outcome(self, event: str, city: str, city_fr: str, day: datetime.date) -> None:
        """A compact adopted at, or a communiqué resulting from, ``event``."""
        rng = self.rng
        theme_en, theme_fr, topic = rng.choice(THEMES)
        if rng.random() < 0.6:
            kind, link = "compact", {"adopted": day.isoformat()[:7], "adopted_at": event}
            en, fr = f"{city} Compact on {theme_en}", f"Pacte {de(city_fr)} sur {theme_fr}"
        else:
            kind, link = "communique", {"result_of": event}
            en = f"Joint Communiqué on {theme_en}, {city} {day.year}"
            fr = f"Communiqué conjoint sur {theme_fr}, {city_fr} {day.year}"
        if rng.random() < 0.1 and self.agreements:
            link["annex_to"] = rng.choice(self.agreements)
        self.agreement(kind, en, fr, [topic], **link)

    def agreement(self, kind: str, en: str, fr: str, topics: list[str], **cells: Cell) -> str:
        """A new agreement; returns its key."""
        key = self.slug("agreement", en)
        self.add(
            "agreements",
            id=key,
            kind=kind,
            **self.labels(en, fr, 0.06),
            **cells,
            topics=topics,
            note_en=f"{en}." if self.rng.random() < 0.7 else "",
            sources=self.cite(),
        )
        self.agreements.append(key)
        self.link(f"agreement/{key}", en, kind.replace("-", " "), 0.05)
        return key

    def memorandum(self, gov: Org, mayor: str) -> None:
        """A memorandum of understanding of ``gov`` with a partner, signed for both."""
        rng = self.rng
        pools = [p for p in (self.networks, self.ios, self.companies, self.governments) if p]
        partner = rng.choice(rng.choice(pools))
        if partner == gov:
            return
        themes = self.themes()
        year = rng.randint(2012, 2025)
        key = self.agreement(
            "memorandum-of-understanding",
            f"Memorandum of Understanding between {gov.en} and {partner.en} ({year})",
            f"Protocole d'accord entre {gov.fr} et {partner.fr} ({year})",
            [t[2] for t in themes],
            signed=self.when(year),
            alt_labels_en=[f"{gov.en}–{partner.en} MoU {year}"] if rng.random() < 0.3 else [],
        )
        for org, person in ((gov, mayor), (partner, self.representative(partner))):
            self.add(
                "agreement_parties",
                agreement=key,
                party=org.key,
                role="signatory" if rng.random() < 0.9 else "",
                represented_by=person,
                sources=self.cite(),
            )

    def representative(self, org: Org) -> str:
        """Someone holding a post in ``org``, mostly, to sign for it; else nobody named."""
        staff = self.staff.get(org.key)
        return self.rng.choice(staff) if staff and self.rng.random() < 0.8 else ""

    def initiative(self, gov: Org, city: str, city_fr: str, network: Org) -> None:
        """An initiative, programme, prize, alliance, study or agenda of the city or network."""
        rng = self.rng
        theme_en, theme_fr, _ = rng.choice(THEMES)
        title = title_case(theme_en)
        year = rng.randint(2010, 2025)
        region = rng.choice(REGIONS)
        kind = rng.choice(["initiative", "programme", "prize", "alliance", "study", "agenda"])
        en, fr = {
            "initiative": (
                f"{city} {title} Initiative",
                f"Initiative {de(city_fr)} pour {theme_fr}",
            ),
            "programme": (
                f"{network.en} Programme on {theme_en}",
                f"Programme {de(network.fr)} sur {theme_fr}",
            ),
            "prize": (f"{network.en} Award for {title}", f"Prix {de(network.fr)} pour {theme_fr}"),
            "alliance": (
                f"Mayors' Alliance for {title} {region[1]}",
                f"Alliance des maires pour {theme_fr} {region[3]}",
            ),
            "study": (
                f"Study on {theme_en} {region[1].replace('for', 'in', 1)}",
                f"Étude sur {theme_fr} : {region[2]}",
            ),
            "agenda": (f"{city} Digital Agenda {year}", f"Agenda numérique {de(city_fr)} {year}"),
        }[kind]
        cells: dict[str, Cell] = {}
        if kind == "study":
            cells["authors"] = [network.key] + ([gov.key] if rng.random() < 0.3 else [])
            cells["published"] = self.when(year)
        else:
            cells["launched"] = self.when(year) if rng.random() < 0.7 else ""
            cells["launched_by"] = [gov.key if kind in ("initiative", "agenda") else network.key]
            cells["led_by"] = [network.key] if kind in ("prize", "programme") else []
            others = rng.sample(self.governments, min(len(self.governments), rng.randint(0, 4)))
            cells["participants"] = [o.key for o in others if o != gov]
        if rng.random() < 0.3 and self.events:
            cells["presented_at"] = rng.choice(self.events)
            cells["presented_by"] = rng.choice(self.people)
        if rng.random() < 0.15 and self.initiatives:
            cells["part_of"] = rng.choice(self.initiatives)
        key = self.slug("initiative", en)
        self.add(
            "initiatives",
            id=key,
            kind=kind,
            **self.labels(en, fr),
            **cells,
            topics=[t[2] for t in self.themes()],
            note_en=f"{en}." if rng.random() < 0.7 else "",
            sources=self.cite(),
        )
        self.initiatives.append(key)
        self.link(f"initiative/{key}", en, kind, 0.05)

    # --- the world ----------------------------------------------------------------------------

    def fixed_part(self) -> None:
        """Sources, countries, roles and the organizations cities deal with, sized by target."""
        rng, target = self.rng, self.target
        kinds = {"news-article": "news", "session-summary": "summary", "agenda": "agenda"}
        drafts = []
        for number in range(1, max(5, target // TRIPLES_PER_SOURCE) + 1):
            kind = rng.choices(list(kinds), weights=(6, 3, 1))[0]
            year = rng.randint(2015, 2025)
            drafts.append((f"{kinds[kind]}-{year}-{number:05d}", kind, year))
        self.sources = [key for key, _, _ in drafts]
        self.home = self.sources[0]
        for row in self.real_rows("roles"):
            row["sources"] = rng.sample(self.sources, rng.randint(1, 3))
            self.add("roles", **row)
            self.roles[str(row["id"])] = row
        for row in self.real_rows("countries"):
            row["sources"] = rng.sample(self.sources, rng.randint(1, 3))
            self.add("countries", **row)
            self.countries.append(row)
            self.link(f"country/{row['id']}", str(row["label_en"]), "country", 1.0)
        combos = [(f, d) for f in IO_FRAMES for d in IO_FIELDS]
        for frame, field in rng.sample(combos, min(len(combos), max(3, target // 40_000))):
            self.home = rng.choice(self.sources)
            self.international_organization(frame, field)
        combos = [(a, f, m) for a in AREAS for f in NETWORK_FRAMES for m in NETWORK_AIMS]
        for area, frame, aim in rng.sample(combos, min(len(combos), max(3, target // 20_000))):
            self.home = rng.choice(self.sources)
            self.network(area, frame, aim)
        for country in self.countries:
            self.home = rng.choice(self.sources)
            self.association(country)
        for _ in range(max(2, target // 50_000)):
            self.home = rng.choice(self.sources)
            self.company(rng.choice(self.countries))
        for theme in rng.sample(THEMES, min(len(THEMES), max(2, target // 100_000))):
            self.home = rng.choice(self.sources)
            self.ngo(theme)
        for key, kind, year in drafts:
            self.source(key, kind, year)

    def real_rows(self, table: str) -> list[Row]:
        """The rows of the repository's own ``table``, multi-valued cells split."""
        separators = self.schemas[table]
        with (ROOT / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
        return [
            {
                c: [v for v in text.split(separators[c]) if v] if separators[c] else text
                for c, text in row.items()
            }
            for row in rows
        ]

    def source(self, key: str, kind: str, year: int) -> None:
        """A source document published by one of the organizations."""
        rng = self.rng
        publisher = rng.choice(self.publishers)
        theme_en, theme_fr, _ = rng.choice(THEMES)
        language = rng.choices(["fr", "en", "fr-CA"], weights=(10, 9, 1))[0]
        if language == "en":
            title = f"{publisher.en} advances cooperation on {theme_en}"
        else:
            title = f"{publisher.fr} fait progresser la coopération sur {theme_fr}"
        if kind == "session-summary":
            title = (
                f"Cities discuss {theme_en} ({publisher.en} session)"
                if language == "en"
                else f"Les villes débattent : {theme_fr} (session {de(publisher.fr)})"
            )
        self.add(
            "sources",
            id=key,
            kind=kind,
            title=title,
            language=language,
            publisher=publisher.key,
            issued=self.day(year).isoformat() if rng.random() < 0.8 else "",
            url=f"https://www.{publisher.key}.org/{language[:2]}/news/{slugify(title)}"
            if rng.random() < 0.85
            else "",
            seed_file=f"{key}_{rng.getrandbits(64):016x}.txt" if rng.random() < 0.7 else "",
            note_en=f"Document by {publisher.en} on {theme_en}.",
            note_fr=f"Document {de(publisher.fr)} sur {theme_fr}." if rng.random() < 0.6 else "",
        )

    def cluster(self) -> None:
        """A city, its government, office, people, memberships, events, agreements, initiatives."""
        rng = self.rng
        self.home = rng.choice(self.sources)
        country = rng.choice(self.countries)
        city, city_en, city_fr = self.city(country)
        form_en, form_fr = rng.choice(GOVERNMENT_FORMS)
        gov = self.organization(
            "local-government",
            form_en.format(city_en),
            form_fr.format(de(city_fr)),
            governs=city,
            based_in=city,
            country=str(country["id"]),
            founded=str(rng.randint(1800, 2000)) if rng.random() < 0.2 else "",
            note_en=f"Local government of {city_en}.",
            note_fr=f"Gouvernement local {de(city_fr)}." if rng.random() < 0.7 else "",
        )
        self.link(f"organization/{gov.key}", gov.en, f"local government of {city_en}", 0.2)
        mayor = self.person(gov, "mayor", rng.randint(2010, 2024))
        for role in rng.sample(
            ["deputy-mayor", "deputy-mayor", "councillor", "councillor"], rng.randint(0, 3)
        ):
            self.person(gov, role, rng.randint(2010, 2024))
        if rng.random() < 0.5:
            office_en, office_fr = rng.choice(OFFICE_FORMS)
            office = self.organization(
                "organizational-unit",
                office_en.format(city_en),
                office_fr.format(de(city_fr)),
                parent=gov.key,
                based_in=city,
            )
            self.person(office, rng.choice(["director", "chief", "lead"]), rng.randint(2015, 2024))
        networks = rng.sample(self.networks, min(len(self.networks), rng.randint(1, 3)))
        for network in networks:
            self.membership(gov, network)
        if rng.random() < 0.7:
            self.membership(gov, self.associations[str(country["id"])])
        if rng.random() < 0.1:
            role = rng.choice(["vice-president", "executive-committee-member"])
            self.post(mayor, networks[0], role, rng.randint(2015, 2024))
        self.governments.append(gov)
        if rng.random() < 0.5:
            self.local_event(gov, city_en, city_fr, mayor, networks[0])
        if rng.random() < 0.2:
            self.memorandum(gov, mayor)
        if rng.random() < 0.2:
            self.initiative(gov, city_en, city_fr, networks[0])

    def write(self, data_dir: Path) -> None:
        """Write every table, in the column order of its metadata."""
        for name, columns in self.schemas.items():
            with (data_dir / f"{name}.csv").open("w", encoding="utf-8", newline="") as file:
                writer = csv.writer(file, lineterminator="\n")
                writer.writerow(columns)
                for row in self.rows[name]:
                    if unknown := row.keys() - columns.keys():
                        raise KeyError(f"{name}.csv has no columns {sorted(unknown)}")
                    writer.writerow(
                        [_cell(row.get(column, ""), sep) for column, sep in columns.items()]
                    )


def _cell(value: Cell, separator: str | None) -> str:
    """A cell as written: several values joined by the column's separator."""
    if isinstance(value, list):
        if separator is None:
            raise ValueError(f"several values {value} in a single-valued column")
        return separator.join(value)
    return value


def generate(out: Path, triples: int, seed: int = 1) -> None:
    """Write a complete project of about ``triples`` triples into ``out`` (new or empty)."""
    make_project(out, triples, seed)


def make_project(out: Path, triples: int, seed: int) -> World:
    """``generate``, returning the world it wrote."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} exists and is not empty")
    data = out / "data"
    data.mkdir(parents=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, out / name)
        else:
            shutil.copy(source, out / name)
    for metadata in sorted((ROOT / "data").glob(f"*{METADATA}")):
        shutil.copy(metadata, data / metadata.name)
    world = World(random.Random(seed), triples, read_schemas(data))
    world.fixed_part()
    while world.triples < triples:
        world.cluster()
    world.write(data)
    return world


def main() -> None:
    """Command line: generate, then print a one-line summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help="target number of triples")
    parser.add_argument("--out", type=Path, required=True, help="project folder to create")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args()
    started = time.perf_counter()
    world = make_project(args.out, args.triples, args.seed)
    rows = sum(len(r) for r in world.rows.values())
    print(
        f"{args.out}: {rows} rows in {len(world.rows)} tables, {world.triples} triples "
        f"expected (target {args.triples}), {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
