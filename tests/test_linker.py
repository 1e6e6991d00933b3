"""`lodpub link wikidata`: candidates from a Wikidata-shaped endpoint, review, merge.

The endpoint is lodpub's own /sparql (real uvicorn on 127.0.0.1, default query limits) over a
small graph shaped like Wikidata (wd:/wdt: IRIs, rdfs:label and skos:altLabel in en/fr,
schema:description, P31, P279, P17). The project is a temporary one: the real CSVW metadata of
every table, a few rows, and a links table (`wikidata.csv`) in the documented format.
A small listener in front of the endpoint answers 429/503 to test the back-off.
"""

from __future__ import annotations

import csv
import datetime
import http.server
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from publisher import __version__
from publisher.cli import main
from publisher.config import Settings
from publisher.sources import read_tables
from tests.conftest import ROOT
from tests.web.conftest import serving_fixture

WIKIDATA = """
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .

wd:Q29 rdfs:label "Spain"@en, "Espagne"@fr ; schema:description "country in Europe"@en ;
  wdt:P31 wd:Q3624078 ; wdt:P17 wd:Q29 .
wd:Q736 rdfs:label "Ecuador"@en, "Équateur"@fr ; wdt:P31 wd:Q3624078 ; wdt:P17 wd:Q736 .
wd:Q515 rdfs:label "city"@en .
wd:Q90010 rdfs:label "city of Ecuador"@en ; wdt:P279 wd:Q515 .
wd:Q90001 rdfs:label "Cuenca"@en, "Cuenca"@fr ; schema:description "city in Spain"@en ;
  wdt:P31 wd:Q515 ; wdt:P17 wd:Q29 .
wd:Q90002 rdfs:label "Cuenca"@en ; schema:description "city in Ecuador"@en ;
  schema:description "ville d'Équateur"@fr ; wdt:P31 wd:Q90010 ; wdt:P17 wd:Q736 .
wd:Q90003 rdfs:label "World e-Governments Organization"@en ;
  rdfs:label "Organisation mondiale des gouvernements électroniques"@fr ;
  schema:description "association of cities"@en ; wdt:P31 wd:Q43229 ; wdt:P17 wd:Q884 .
wd:Q884 rdfs:label "South Korea"@en .
wd:Q90004 rdfs:label "WeGO"@en ; schema:description "rock band"@en ; wdt:P31 wd:Q215380 .
wd:P31 rdfs:label "Cuenca"@en .
"""
PERSON = """
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
wd:Q90005 rdfs:label {label} ; wdt:P31 wd:Q5 .
"""
ROWS: dict[str, list[dict[str, str]]] = {
    "sources": [{"id": "fixture", "kind": "news-article", "language": "en"}],
    "countries": [
        {"id": "spain", "label_en": "Spain", "label_fr": "Espagne", "sources": "fixture"},
        {"id": "ecuador", "label_en": "Ecuador", "label_fr": "Équateur", "sources": "fixture"},
        {"id": "south-korea", "label_en": "South Korea", "sources": "fixture"},
    ],
    "cities": [
        {"id": "cuenca", "label_en": "Cuenca", "country": "spain", "sources": "fixture"},
        {"id": "seoul", "label_en": "Seoul", "country": "south-korea", "sources": "fixture"},
    ],
    "organizations": [
        {
            "id": "wego",
            "kind": "city-network",
            "label_en": "World Smart Sustainable Cities Organization",
            "alt_labels_en": "WeGO",
            "former_names_en": "World e-Governments Organization",
            "based_in": "seoul",
            "sources": "fixture",
        }
    ],
    "people": [{"id": "armand-beouinde", "name": "Armand Béouindé", "sources": "fixture"}],
    "wikidata": [
        {
            "entity": "country/ecuador",
            "qid": "Q736",
            "status": "linked",
            "wikidata_label": "Ecuador",
            "method": "checked by hand",
            "confirmed": "2026-01-02",
            "evidence": "https://www.wikidata.org/wiki/Q736",
        },
        {
            "entity": "city/seoul",
            "status": "no-item",
            "method": "fixture: no item",
            "confirmed": "2026-01-02",
        },
    ],
}
LINK_COLUMNS = (
    "entity",
    "qid",
    "status",
    "wikidata_label",
    "wikidata_description",
    "method",
    "confirmed",
    "evidence",
)
LINKS_METADATA = {
    "@context": "http://www.w3.org/ns/csvw",
    "url": "wikidata.csv",
    "tableSchema": {
        "columns": [
            {"name": "entity", "required": True},
            {"name": "qid", "datatype": {"base": "string", "format": "^Q[1-9][0-9]*$"}},
            {"name": "status", "required": True},
            {"name": "wikidata_label"},
            {"name": "wikidata_description"},
            {"name": "method", "required": True},
            {"name": "confirmed", "datatype": "date", "required": True},
            {"name": "evidence", "datatype": "anyURI"},
        ],
        "primaryKey": "entity",
    },
}
AGENT = f"lodpub/{__version__} (https://w3id.org/lgdg/; Wikidata linker)"


def write_table(data: Path, name: str, rows: list[dict[str, str]]) -> None:
    metadata = json.loads((data / f"{name}.csv-metadata.json").read_text("utf-8"))
    columns = [column["name"] for column in metadata["tableSchema"]["columns"]]
    with (data / f"{name}.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def configure(root: Path, **settings: object) -> None:
    lines = [f'{name} = "{value}"' for name, value in {"linker_pause_s": 0, **settings}.items()]
    (root / "pyproject.toml").write_text("[tool.lodpub]\n" + "\n".join(lines) + "\n")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def mark(review: Path, accepted: dict[tuple[str, str], str]) -> None:
    """Mark rows of the review file as a maintainer would, by (entity, qid)."""
    rows = read_csv(review)
    for row in rows:
        row["accepted"] = accepted.get((row["entity"], row["qid"]), "")
    with review.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the real tables' metadata, a few rows and no pause between requests."""
    root = tmp_path / "project"
    data = root / "data"
    data.mkdir(parents=True)
    for metadata in (ROOT / "data").glob("*.csv-metadata.json"):
        shutil.copy(metadata, data)
    (data / "wikidata.csv-metadata.json").write_text(json.dumps(LINKS_METADATA))
    for metadata in data.glob("*.csv-metadata.json"):
        name = metadata.name.removesuffix(".csv-metadata.json")
        write_table(data, name, ROWS.get(name, []))
    configure(root, linker_batch_size=2)
    return root


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings.load(ROOT, {})
    graph = WIKIDATA + PERSON.format(label='"Armand Béouindé"@fr')
    with serving_fixture(tmp_path_factory.mktemp("wikidata"), graph, settings) as base:
        yield base + "/sparql"


def link(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--project", str(root), "link", "wikidata", *args])
    out, err = capsys.readouterr()
    return code, out, err


def search(root: Path, endpoint: str, capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    """Run the search; return the review rows by (entity, qid)."""
    code, out, err = link(root, capsys, "--endpoint", endpoint, *args)
    assert code == 0, err
    assert "review/wikidata-candidates.csv" in out
    rows = read_csv(root / "review" / "wikidata-candidates.csv")
    assert all(row["accepted"] == "" for row in rows)
    return {(row["entity"], row["qid"]): row for row in rows}


def test_the_city_in_the_right_country_scores_higher(project, endpoint, capsys):
    rows = search(project, endpoint, capsys)
    spain, ecuador = rows["city/cuenca", "Q90001"], rows["city/cuenca", "Q90002"]
    assert int(spain["score"]) == 100 and int(ecuador["score"]) < int(spain["score"])
    assert "country Spain (Q29) is the entity's (Spain)" in spain["reasons"]
    assert "country Ecuador (Q736) is not the entity's (Spain)" in ecuador["reasons"]
    assert "instance of city (Q515)" in spain["reasons"]
    assert "instance of a subclass of city (Q515)" in ecuador["reasons"]
    assert (spain["label"], spain["description"]) == ("Cuenca", "city in Spain")
    entities = [entity for entity, _ in rows]
    assert entities.index("city/cuenca") < entities.index("country/spain")
    order = [qid for entity, qid in rows if entity == "city/cuenca"]
    assert order == ["Q90001", "Q90002"]


def test_confirmed_entities_are_not_searched_and_properties_are_not_items(
    project, endpoint, capsys
):
    rows = search(project, endpoint, capsys)
    searched = {entity for entity, _ in rows}
    assert "country/ecuador" not in searched and "city/seoul" not in searched
    assert all(qid.startswith("Q") for _, qid in rows)
    assert rows["country/spain", "Q29"]["reasons"].startswith(
        'its label is the entity\'s label "Spain"'
    )


def test_a_renamed_organization_is_found_by_its_former_name(project, endpoint, capsys):
    rows = search(project, endpoint, capsys)
    renamed = rows["organization/wego", "Q90003"]
    former = 'its label is the entity\'s former name "World e-Governments Organization"'
    assert former in renamed["reasons"]
    assert "instance of organization (Q43229)" in renamed["reasons"]
    assert "country South Korea (Q884) is the entity's (South Korea)" in renamed["reasons"]
    band = rows["organization/wego", "Q90004"]
    assert "instance of no class expected for type organization" in band["reasons"]
    assert int(band["score"]) < int(renamed["score"])


@pytest.mark.parametrize(
    "label", ['"Armand Béouindé"@fr', '"Armand Beouinde"@en', '"armand béouindé"@mul']
)
def test_an_accented_name_is_found_with_or_without_accents(project, capsys, tmp_path, label):
    settings = Settings.load(ROOT, {})
    with serving_fixture(tmp_path / "person", PERSON.format(label=label), settings) as base:
        rows = search(project, base + "/sparql", capsys)
    found = rows["person/armand-beouinde", "Q90005"]
    assert "instance of human (Q5)" in found["reasons"]
    exact = label.startswith('"Armand Béouindé"')
    assert ("ignoring case and accents" in found["reasons"]) is not exact
    assert int(found["score"]) == (70 if exact else 65)


def test_limit_bounds_the_search(project, endpoint, capsys):
    rows = search(project, endpoint, capsys, "--limit", "1")
    assert {entity for entity, _ in rows} == {"organization/wego"}


def test_accepted_rows_are_merged_into_the_links(project, endpoint, capsys):
    search(project, endpoint, capsys)
    review = project / "review" / "wikidata-candidates.csv"
    mark(review, {("city/cuenca", "Q90001"): "yes", ("person/armand-beouinde", "Q90005"): "X"})
    code, out, err = link(project, capsys, "--merge", str(review))
    assert code == 0, err
    assert "2 link(s) added to data/wikidata.csv, 0 already there" in out
    links = {row["entity"]: row for row in read_csv(project / "data" / "wikidata.csv")}
    today = datetime.date.today().isoformat()
    assert links["city/cuenca"] == {
        "entity": "city/cuenca",
        "qid": "Q90001",
        "status": "linked",
        "wikidata_label": "Cuenca",
        "wikidata_description": "city in Spain",
        "method": "linker candidate accepted by a maintainer, score 100",
        "confirmed": today,
        "evidence": "http://www.wikidata.org/entity/Q90001",
    }
    assert links["person/armand-beouinde"]["qid"] == "Q90005"
    assert list(links) == ["country/ecuador", "city/seoul", "city/cuenca", "person/armand-beouinde"]
    assert len(read_tables(project / "data")["wikidata"].rows) == 4
    # Merging again changes nothing; searching again skips the linked entities.
    before = (project / "data" / "wikidata.csv").read_bytes()
    code, out, _ = link(project, capsys, "--merge", str(review))
    assert code == 0 and "0 link(s) added to data/wikidata.csv, 2 already there" in out
    assert (project / "data" / "wikidata.csv").read_bytes() == before
    rows = search(project, endpoint, capsys)
    assert not {"city/cuenca", "person/armand-beouinde"} & {entity for entity, _ in rows}


def test_conflicting_rows_are_refused_and_the_links_are_untouched(project, endpoint, capsys):
    search(project, endpoint, capsys)
    review = project / "review" / "wikidata-candidates.csv"
    lines = {(row["entity"], row["qid"]): n for n, row in enumerate(read_csv(review), start=2)}
    mark(
        review,
        {
            ("city/cuenca", "Q90001"): "yes",
            ("city/cuenca", "Q90002"): "true",
            ("organization/wego", "Q90003"): "maybe",
        },
    )
    links = project / "data" / "wikidata.csv"
    before = links.read_bytes()
    code, out, err = link(project, capsys, "--merge", str(review))
    assert (code, out) == (2, "")
    assert (
        f"review/wikidata-candidates.csv:{lines['organization/wego', 'Q90003']}: "
        "accepted is 'maybe': write yes, x or true, or leave it empty"
    ) in err
    assert links.read_bytes() == before

    mark(review, {("city/cuenca", "Q90001"): "yes", ("city/cuenca", "Q90002"): "true"})
    code, _, err = link(project, capsys, "--merge", str(review))
    first = lines["city/cuenca", "Q90001"]
    assert code == 2
    assert (
        f"review/wikidata-candidates.csv:{lines['city/cuenca', 'Q90002']}: city/cuenca is "
        f"accepted more than once (first at review/wikidata-candidates.csv:{first})"
    ) in err
    assert links.read_bytes() == before

    rows = read_csv(review)
    rows[0].update(entity="city/cuenca", qid="Q736", accepted="yes")
    rows[1].update(entity="country/ecuador", qid="Q29", accepted="yes")
    rows[2].update(entity="city/atlantis", qid="Q1", accepted="yes")
    with review.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows[:3])
    code, _, err = link(project, capsys, "--merge", str(review))
    assert code == 2
    assert err.splitlines() == [
        "lodpub link: review/wikidata-candidates.csv:2: Q736 is already the item of "
        "country/ecuador (data/wikidata.csv:2)",
        "review/wikidata-candidates.csv:3: country/ecuador is already linked to Q736 "
        "(data/wikidata.csv:2)",
        "review/wikidata-candidates.csv:4: 'city/atlantis' is not an entity of this project",
    ]
    assert links.read_bytes() == before


def test_a_review_with_unmerged_accepted_rows_is_not_overwritten(project, endpoint, capsys):
    search(project, endpoint, capsys)
    review = project / "review" / "wikidata-candidates.csv"
    mark(review, {("city/cuenca", "Q90001"): "yes"})
    before = review.read_bytes()
    code, _, err = link(project, capsys, "--endpoint", endpoint)
    assert code == 2 and "accepted but not merged" in err
    assert review.read_bytes() == before
    other = project / "elsewhere.csv"
    code, _, err = link(project, capsys, "--endpoint", endpoint, "--review", str(other))
    assert code == 0, err
    assert other.is_file()


class Listener(http.server.ThreadingHTTPServer):
    """A loopback endpoint that first answers with ``refusals``, then forwards to ``upstream``."""

    def __init__(self, upstream: str, refusals: list[tuple[int, str]]) -> None:
        super().__init__(("127.0.0.1", 0), Forward)
        self.upstream = upstream
        self.refusals = refusals
        self.seen: list[tuple[float, str]] = []  # when each request came, and its User-Agent

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sparql"


class Forward(http.server.BaseHTTPRequestHandler):
    server: Listener

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.seen.append((time.monotonic(), self.headers["User-Agent"]))
        if self.server.refusals:
            status, retry_after = self.server.refusals.pop(0)
            self.send_response(status)
            self.send_header("Retry-After", retry_after)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        headers = {name: self.headers[name] for name in ("Content-Type", "Accept")}
        answer = httpx.post(self.server.upstream, content=body, headers=headers, timeout=30)
        self.send_response(answer.status_code)
        self.send_header("Content-Type", answer.headers["content-type"])
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    def log_message(self, *args: object) -> None:
        """Quiet."""


@contextmanager
def listening(upstream: str, refusals: list[tuple[int, str]]) -> Iterator[Listener]:
    listener = Listener(upstream, refusals)
    thread = threading.Thread(target=listener.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield listener
    finally:
        listener.shutdown()
        thread.join(timeout=10)
        listener.server_close()


def test_429_is_retried_after_the_time_it_asks_with_a_pause_between_requests(
    project, endpoint, capsys
):
    configure(project, linker_pause_s=0.2, linker_batch_size=2)
    with listening(endpoint, [(429, "1")]) as listener:
        rows = search(project, listener.url, capsys)
    assert ("city/cuenca", "Q90001") in rows
    times = [when for when, _ in listener.seen]
    assert {agent for _, agent in listener.seen} == {AGENT}
    assert len(times) == 8  # the refused one, 3 batches of 5 entities, 4 batches of 7 items
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert gaps[0] >= 1.0, gaps
    assert min(gaps) >= 0.2, gaps


def test_an_endpoint_that_keeps_failing_ends_the_run_clearly(project, endpoint, capsys):
    configure(project, linker_retries=2)
    with listening(endpoint, [(503, "0")] * 5) as listener:
        code, _, err = link(project, capsys, "--endpoint", listener.url)
    assert code == 2
    assert f"{listener.url} answered 503 to 3 request(s) in a row; try again later" in err
    assert len(listener.seen) == 3
    assert not (project / "review").exists()


def test_an_unreachable_endpoint_is_a_one_line_error(project, capsys):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, out, err = link(project, capsys, "--endpoint", f"http://127.0.0.1:{port}/sparql")
    assert code == 2 and out == ""
    message = [line for line in err.splitlines() if line.startswith("lodpub link:")]
    assert len(message) == 1 and f"cannot reach http://127.0.0.1:{port}/sparql" in message[0]
    assert "offline?" in message[0]


def test_linker_settings_allow_no_pause_but_not_a_negative_one(tmp_path):
    configure(tmp_path, linker_pause_s=0, linker_retries=0)
    settings = Settings.load(tmp_path, {})
    assert (settings.linker_pause_s, settings.linker_retries) == (0, 0)
    configure(tmp_path, linker_pause_s=-1)
    with pytest.raises(Exception, match="linker_pause_s must be zero or more"):
        Settings.load(tmp_path, {})


def test_the_merge_writes_the_columns_the_links_table_has(project, endpoint, capsys):
    data = project / "data"
    metadata = json.loads((data / "wikidata.csv-metadata.json").read_text("utf-8"))
    columns = metadata["tableSchema"]["columns"]
    metadata["tableSchema"]["columns"] = [c for c in columns if c["name"] != "status"]
    (data / "wikidata.csv-metadata.json").write_text(json.dumps(metadata))
    without_status = {k: v for k, v in ROWS["wikidata"][0].items() if k != "status"}
    write_table(data, "wikidata", [without_status])
    search(project, endpoint, capsys)
    review = project / "review" / "wikidata-candidates.csv"
    mark(review, {("city/cuenca", "Q90001"): "yes"})
    code, _, err = link(project, capsys, "--merge", str(review))
    assert code == 0, err
    links = read_csv(data / "wikidata.csv")
    assert [link["entity"] for link in links] == ["country/ecuador", "city/cuenca"]
    assert "status" not in links[1] and links[1]["qid"] == "Q90001"
    assert len(read_tables(data)["wikidata"].rows) == 2
