"""Pages for people: entity pages, home, search, lists, 410, escaping, no external resources."""

from __future__ import annotations

import csv
import json
import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from publisher.cli import main
from publisher.config import Settings
from publisher.text import fold
from publisher.web.app import create_app
from publisher.web.i18n import format_date
from tests.conftest import ROOT, Project, copy_inputs
from tests.csvedit import delete_rows, set_cell
from tests.web.conftest import running, serving_fixture

BASE = "https://w3id.org/lgdg/"
HTML = {"Accept": "text/html"}
MARKUP = "<script>alert(1)</script>"


class Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))

    def all(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        return [
            a
            for t, a in self.found
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in wanted.items())
        ]


def page(client: httpx.Client, path: str, **headers: str) -> httpx.Response:
    response = client.get(path, headers={**HTML, **headers})
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    return response


def h1(text: str) -> str:
    found = re.search(r"<h1>(.*?)</h1>", text, re.S)
    assert found, "no <h1>"
    return found.group(1).strip()


def jsonld_of(text: str) -> dict[str, object]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert found, "no JSON-LD script"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def rows_of(table: str) -> list[dict[str, str]]:
    with (ROOT / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


# --- entity pages ---------------------------------------------------------------------------


def test_entity_page_groups_facts_by_meaning(client):
    text = page(client, "/doc/organization/uclg").text
    assert h1(text) == "United Cities and Local Governments"
    for heading in ("Names", "Structure", "Posts: who holds which role", "Events", "Sources"):
        assert f"<h2>{heading}</h2>" in text, heading
    assert "Sub-organizations" in text and "Events organized" in text
    assert '<span class="type">City network</span>' in text
    # a post: who, which role, as of when, with its source
    row = re.search(r"<tr><td><a href=\"/doc/person/parks-tau\">.*?</tr>", text, re.S)
    assert row and "/doc/role/president" in row.group(0) and "7 December 2017" in row.group(0)
    assert "#source-" in row.group(0)


def test_person_and_event_pages_show_posts_and_roles(client):
    person = page(client, "/doc/person/emilia-saiz").text
    assert "<h2>Posts held</h2>" in person and "Events where this person spoke" in person
    assert 'href="/doc/organization/uclg"' in person
    event = page(client, "/doc/event/uclg-world-council-2017").text
    for name in ("Start", "Place", "Organizers", "Hosts", "Opened by", "Sub-events"):
        assert f"<dt>{name}</dt>" in event, name
    agreement = page(client, "/doc/agreement/gch-itu-mou-2024").text
    assert "<h2>Parties</h2>" in agreement and "Represented by" in agreement
    assert 'href="/doc/person/doreen-bogdan-martin"' in agreement
    assert "12 December 2024" in agreement and 'href="/doc/topic/ai-governance"' in agreement


def test_incoming_links_are_grouped(client):
    wego = page(client, "/doc/organization/wego").text
    assert "<h2>Members</h2>" in wego and 'href="/doc/organization/city-of-seoul"' in wego
    assert "<h2>Memberships</h2>" in wego and 'href="/doc/organization/itu-t"' in wego
    seoul = page(client, "/doc/city/seoul").text
    assert "Organizations based here" in seoul and 'href="/doc/organization/wego"' in seoul


def test_accept_language_gives_french_and_lang_overrides_it(client):
    french = page(client, "/doc/organization/uclg", **{"Accept-Language": "fr-CH, en;q=0.5"})
    assert h1(french.text) == "Cités et Gouvernements Locaux Unis"
    assert '<html lang="fr">' in french.text and "<h2>Noms</h2>" in french.text
    assert french.headers["content-language"] == "fr"
    english = page(client, "/doc/organization/uclg?lang=en", **{"Accept-Language": "fr"})
    assert h1(english.text) == "United Cities and Local Governments"
    with httpx.Client(base_url=client.base_url, cookies={"lang": "fr"}) as remembering:
        by_cookie = remembering.get("/doc/organization/uclg", headers=HTML)
    assert h1(by_cookie.text) == "Cités et Gouvernements Locaux Unis"


def test_labels_fall_back_to_the_other_language(client):
    source = next(r for r in rows_of("sources") if r["id"] == "gch-itu-mou-2024")
    text = page(client, "/doc/source/gch-itu-mou-2024", **{"Accept-Language": "en"}).text
    assert h1(text) == source["title"].replace("'", "&#39;")  # only a French title exists


def test_every_page_has_a_language_switcher(client):
    for path in ("/", "/doc/organization/wego", "/search?q=wego", "/list/city", "/def", "/dumps/"):
        tags = Tags(page(client, path).text)
        switch = tags.all("a", hreflang="fr")
        assert switch and "lang=fr" in switch[0]["href"], path
    chosen = client.get("/?lang=fr", headers=HTML)
    assert chosen.cookies.get("lang") == "fr"
    assert "lang=en" in Tags(chosen.text).all("a", hreflang="en")[0]["href"]
    search = Tags(page(client, "/search?q=seoul&lang=en").text).all("a", hreflang="fr")[0]
    assert search["href"] == "/search?q=seoul&lang=fr"


def test_links_to_the_dataset_are_relative(client):
    for host in (None, "mirror.example.org"):
        headers = {"Host": host} if host else {}
        text = page(client, "/doc/organization/wego", **headers).text
        hrefs = [a["href"] for a in Tags(text).all("a")]
        assert not [h for h in hrefs if h.startswith(BASE)], "absolute link into the dataset"
        assert "/doc/city/seoul" in hrefs and "/doc/organization/wego-secretariat" in hrefs


def test_rdf_forms_are_linked_and_announced_in_head(client):
    text = page(client, "/doc/organization/wego").text
    alternates = {a["type"]: a["href"] for a in Tags(text).all("link", rel="alternate")}
    assert alternates == {
        "text/turtle": "/doc/organization/wego.ttl",
        "application/ld+json": "/doc/organization/wego.jsonld",
        "application/rdf+xml": "/doc/organization/wego.rdf",
        "application/n-triples": "/doc/organization/wego.nt",
    }
    for media_type, href in alternates.items():
        response = client.get(href)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media_type)
        assert f'href="{href}"' in text  # also a visible link


def test_json_ld_names_the_entity_with_schema_org(client):
    data = jsonld_of(page(client, "/doc/organization/uclg").text)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Organization"
    assert data["@id"] == BASE + "id/organization/uclg"
    assert data["name"] == "United Cities and Local Governments"
    assert {"UCLG", "CGLU", "Cités et Gouvernements Locaux Unis"} <= set(data["alternateName"])
    assert any(
        s["@id"].endswith("/organization/uclg-world-council") for s in data["subOrganization"]
    )
    assert all("url" in s or "name" in s for s in data["subjectOf"])
    event = jsonld_of(page(client, "/doc/event/uclg-world-council-2017").text)
    assert event["@type"] == "Event" and event["startDate"] == "2017-12-06"
    assert event["location"][0]["name"] == "Hangzhou"
    assert event["organizer"][0]["@id"] == BASE + "id/organization/uclg"
    person = jsonld_of(page(client, "/doc/person/emilia-saiz").text)
    assert person["@type"] == "Person" and person["performerIn"]
    assert {r["roleName"] for r in person["memberOf"]} >= {"Secretary-General"}


def test_sources_are_shown_with_their_public_url(client):
    source = next(r for r in rows_of("sources") if r["id"] == "wego-un-partnership-2025")
    text = page(client, "/doc/organization/wego").text
    sources = text.split('<section id="sources"', 1)[1]
    assert f'href="{source["url"]}"' in sources
    assert 'href="/doc/source/wego-un-partnership-2025"' in sources
    assert 'id="source-1"' in sources and 'href="#source-1"' in text


def test_wikidata_link_is_shown_where_there_is_one(tmp_path):
    trig = f"""
    @prefix owl: <http://www.w3.org/2002/07/owl#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    <{BASE}graph/source/s> {{
      <{BASE}id/city/geneva> a <https://schema.org/City> ; rdfs:label "Geneva"@en ;
          owl:sameAs <http://www.wikidata.org/entity/Q71> .
    }}"""
    with serving_fixture(tmp_path, trig, Settings.load(ROOT, {})) as base:
        text = httpx.get(base + "/doc/city/geneva", headers=HTML).text
    assert 'href="https://www.wikidata.org/wiki/Q71"' in text
    assert jsonld_of(text)["sameAs"] == ["http://www.wikidata.org/entity/Q71"]


# --- home, search and lists -----------------------------------------------------------------


def test_home_page_counts_each_type(client):
    text = page(client, "/").text
    for kind, table in (("organization", "organizations"), ("person", "people")):
        count = len(rows_of(table))
        assert re.search(rf'href="/list/{kind}">[^<]+</a> <span class="count">{count}<', text)
    assert "/dumps/" in text and 'href="/dataset"' in text
    examples = [a["href"] for a in Tags(text).all("a") if a["href"].startswith("/sparql?query=")]
    assert len(examples) >= 2
    french = page(client, "/", **{"Accept-Language": "fr"}).text
    assert "Organisations" in french and "Ce jeu de données" in french


def test_pages_answer_head(client):
    for path in ("/", "/search?q=wego", "/list/person"):
        response = client.head(path, headers=HTML)
        assert response.status_code == 200 and response.content == b"", path


def test_names_fold_to_plain_lower_case_words_and_dates_read_naturally():
    assert fold("Séoul") == fold("SEOUL") == fold("se\u0301oul") == "seoul"
    assert fold("Cités  et Gouvernements–Locaux") == "cites et gouvernements locaux"
    assert fold("Œuvre") == "oeuvre"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert format_date("2024-12-12", xsd + "date", "en") == "12 December 2024"
    assert format_date("2024-12-01", xsd + "date", "fr") == "1er décembre 2024"
    assert format_date("2017-12", xsd + "gYearMonth", "fr") == "décembre 2017"
    assert format_date("2010", xsd + "gYear", "en") == "2010"
    assert format_date("not a date", xsd + "string", "en") == "not a date"


@pytest.mark.parametrize("query", ["CGLU", "cglu", "UCLG", "uclg", "Cités et gouvernements"])
def test_search_finds_an_organization_by_any_of_its_names(client, query):
    found = client.get("/search", params={"q": query, "format": "json"}).json()
    assert found["results"][0]["iri"] == BASE + "id/organization/uclg"
    assert found["results"][0]["href"] == "/doc/organization/uclg"
    text = page(client, f"/search?q={query}").text
    assert 'href="/doc/organization/uclg"' in text


@pytest.mark.parametrize("query", ["Seoul", "Séoul", "seoul", "SÉOUL", "se\u0301oul"])
def test_search_ignores_case_and_accents(client, query):
    response = client.get("/search", params={"q": query}, headers={"Accept": "application/json"})
    assert response.headers["content-type"].startswith("application/json")
    iris = [r["iri"] for r in response.json()["results"]]
    assert iris[0] == BASE + "id/city/seoul"
    assert BASE + "id/organization/city-of-seoul" in iris


def test_search_without_words_or_with_too_many_is_handled(client):
    assert client.get("/search", params={"q": "", "format": "json"}).json()["results"] == []
    assert page(client, "/search").status_code == 200
    nothing = client.get("/search", params={"q": "zzzqqq", "format": "json"}).json()
    assert nothing["count"] == 0
    assert client.get("/search", params={"q": "x" * 1000}).status_code == 400
    assert client.get("/search", params={"q": "x", "format": "xml"}).status_code == 400


def test_list_pages_list_every_entity_of_a_type(client):
    text = page(client, "/list/organization").text
    hrefs = {a["href"] for a in Tags(text).all("a")}
    assert {f"/doc/organization/{r['id']}" for r in rows_of("organizations")} <= hrefs
    assert f"({len(rows_of('organizations'))})" in text
    french = page(client, "/list/city?lang=fr").text
    assert "Séoul" in french and h1(french).startswith("Villes")
    assert client.get("/list/nothing", headers=HTML).status_code == 404
    assert client.get("/list/..%2f..", headers=HTML).status_code in (400, 404)


def test_vocabulary_page_in_both_languages(client):
    english = page(client, "/def").text
    assert 'id="CityNetwork"' in english and "City network" in english
    assert 'href="/doc/topic/smart-cities"' in english
    assert "Réseau de villes" in page(client, "/def?lang=fr").text


# --- removed entities, escaping, no external resources ---------------------------------------


@pytest.fixture(scope="module")
def altered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over a copy whose second release removed a person and put markup in a label."""
    project = copy_inputs(tmp_path_factory.mktemp("altered"))
    assert main(["--project", str(project.root), "build", "--quiet"]) == 0
    data: Path = project.root / "data"
    assert delete_rows(data / "people.csv", lambda r: r["id"] == "kakim-danabaiev") == 1
    delete_rows(data / "posts.csv", lambda r: r["person"] == "kakim-danabaiev")
    delete_rows(data / "event_participants.csv", lambda r: r["person"] == "kakim-danabaiev")
    set_cell(data / "organizations.csv", "wego", "label_en", MARKUP)
    set_cell(data / "organizations.csv", "wego", "alt_labels_en", 'WeGO|"><img src=x>')
    assert main(["--project", str(project.root), "build", "--quiet"]) == 0
    with running(create_app(project.settings)) as base:
        yield base


def test_removed_entity_has_a_410_page_in_both_languages(altered):
    english = httpx.get(altered + "/doc/person/kakim-danabaiev", headers=HTML)
    assert english.status_code == 410
    assert "removed" in english.text and "Kakim Danaba" in english.text
    french = httpx.get(
        altered + "/id/person/kakim-danabaiev", headers={**HTML, "Accept-Language": "fr"}
    )
    assert french.status_code == 410 and "retirée" in french.text
    assert '<html lang="fr">' in french.text


def test_markup_in_labels_is_escaped_everywhere(altered):
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for path in (
        "/doc/organization/wego",
        "/doc/city/seoul",
        "/list/organization",
        "/search?q=alert",
        "/search?q=%3Cscript%3E",
    ):
        text = httpx.get(altered + path, headers=HTML).text
        assert escaped in text, path
        assert MARKUP not in text and "<img src=x>" not in text, path
    text = httpx.get(altered + "/doc/organization/wego", headers=HTML).text
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert script and "<" not in script.group(1)
    assert json.loads(script.group(1))["name"] == MARKUP
    found = httpx.get(altered + "/search", params={"q": "alert", "format": "json"}).json()
    assert found["results"][0]["label"] == MARKUP


def test_pages_load_nothing_from_other_hosts(client, altered):
    paths = [
        "/",
        "/doc/organization/uclg",
        "/doc/person/emilia-saiz",
        "/doc/topic/smart-cities",
        "/search?q=seoul",
        "/list/organization",
        "/def",
        "/dumps/",
        "/sparql",
        "/doc/organization/no-such-thing",
    ]
    pages = [(p, client.get(p, headers=HTML).text) for p in paths]
    pages.append(("410", httpx.get(altered + "/doc/person/kakim-danabaiev", headers=HTML).text))
    for path, text in pages:
        tags = Tags(text)
        urls = [a.get("src", "") for a in tags.all("script") + tags.all("img")]
        urls += [a.get("href", "") for a in tags.all("link")]
        foreign = [u for u in urls if urlsplit(u).scheme or urlsplit(u).netloc]
        assert not foreign, (path, foreign)
        assert tags.all("link", rel="stylesheet"), path


def test_linked_entities_show_their_wikidata_item(built: Project, client):
    with (built.root / "data" / "wikidata.csv").open(encoding="utf-8") as table:
        linked = [row for row in csv.DictReader(table) if row["qid"]]
    for row in linked:
        page = client.get(f"/doc/{row['entity']}", headers={"Accept": "text/html"})
        assert f'href="https://www.wikidata.org/wiki/{row["qid"]}"' in page.text, row["entity"]


def test_the_index_of_entities_is_read_when_the_server_starts(built: Project) -> None:
    """The first page does not wait for the labels of every entity: they are read at start,
    and the health check says when the server is ready."""
    app = create_app(built.settings)
    with running(app) as base:
        deadline = time.monotonic() + 30
        while not httpx.get(base + "/healthz").json()["ready"] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert httpx.get(base + "/healthz").json()["ready"]  # no page was asked for
        catalog = app.state.catalog[2]
        assert catalog.label(BASE + "id/organization/wego", "en") == (
            "World Smart Sustainable Cities Organization"
        )
