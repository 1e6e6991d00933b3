"""``/reconcile``: the W3C Reconciliation Service API as OpenRefine speaks it, over real HTTP."""

from __future__ import annotations

import csv
import json
from typing import Any

import httpx
import pytest

from publisher.config import Settings
from tests.conftest import ROOT
from tests.web.conftest import serving_fixture

BASE = "https://w3id.org/lgdg/"
ORGANIZATION = "http://www.w3.org/ns/org#Organization"
CITY = "https://schema.org/City"
MARKUP = "<script>alert(1)</script>"


def reconcile(client: httpx.Client, queries: dict[str, Any], **headers: str) -> dict[str, Any]:
    """A batch sent as OpenRefine 3.x sends it: a form field holding JSON."""
    response = client.post("/reconcile", data={"queries": json.dumps(queries)}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == "*"
    return response.json()  # type: ignore[no-any-return]


def ids(result: dict[str, Any]) -> list[str]:
    return [candidate["id"] for candidate in result["result"]]


def refused(response: httpx.Response, status: int = 400) -> str:
    """The message of a JSON refusal, after checking its shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["access-control-allow-origin"] == "*"
    body = response.json()
    assert body["status"] == status
    return body["error"]  # type: ignore[no-any-return]


# --- the manifest ---------------------------------------------------------------------------


def test_manifest_describes_the_service(client, server):
    response = client.get("/reconcile")
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    manifest = response.json()
    assert manifest["versions"] == ["0.2"]
    assert manifest["name"] == "Local and Regional Digital Governance"
    assert manifest["identifierSpace"] == BASE + "id/"
    assert manifest["schemaSpace"] == "https://w3id.org/lgdg/def#"
    types = {t["id"]: t["name"] for t in manifest["defaultTypes"]}
    assert types[ORGANIZATION] == "Organization" and types[CITY] == "City"
    assert {
        "https://schema.org/Country",
        "https://schema.org/Person",
        "https://schema.org/Event",
        "https://w3id.org/lgdg/def#Agreement",
        "https://w3id.org/lgdg/def#DigitalGovernanceInitiative",
    } < set(types)
    assert all(name for name in types.values())
    assert manifest["preview"]["url"] == f"{server}/reconcile/preview?id={{{{id}}}}"
    for kind in ("entity", "type", "property"):
        part = manifest["suggest"][kind]
        assert part == {"service_url": server, "service_path": f"/reconcile/suggest/{kind}"}
    assert manifest["extend"]["propose_properties"]["service_path"] == "/reconcile/properties"
    # ids are short: the id space followed by the id is the IRI, and `view` dereferences it
    view = manifest["view"]["url"].replace("{{id}}", "organization/uclg")
    followed = client.get(view)
    assert followed.status_code == 303
    assert followed.headers["location"].endswith("/doc/organization/uclg")


def test_manifest_as_jsonp(client):
    response = client.get("/reconcile", params={"callback": "jQuery123_456"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["x-content-type-options"] == "nosniff"
    text = response.text
    assert text.startswith("/**/jQuery123_456(") and text.endswith(");")
    assert json.loads(text[len("/**/jQuery123_456(") : -2]) == client.get("/reconcile").json()


def test_preflight_allows_posting_json_from_any_origin(client):
    response = client.options(
        "/reconcile",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "Content-Type" in response.headers["access-control-allow-headers"]


# --- queries --------------------------------------------------------------------------------


def test_openrefine_batch_with_type_constraints(client):
    results = reconcile(
        client,
        {
            "q0": {"query": "UCLG", "type": ORGANIZATION, "type_strict": "should"},
            "q1": {"query": "CGLU", "type": ORGANIZATION, "type_strict": "should"},
            "q2": {"query": "Séoul", "type": CITY},
            "q3": {"query": "seoul", "type": CITY},
            "q4": {"query": "Seoul", "type": ORGANIZATION},
            "q5": {"query": "Seoul Metropolitan Government", "type": "organization", "limit": 2},
        },
    )
    assert set(results) == {"q0", "q1", "q2", "q3", "q4", "q5"}
    for key in ("q0", "q1"):
        best = results[key]["result"][0]
        assert best["id"] == "organization/uclg"
        assert best["name"] == "United Cities and Local Governments"
        assert best["match"] is True and best["score"] == 100
        assert best["type"][0] == {"id": ORGANIZATION, "name": "Organization"}
        assert "City network" in [t["name"] for t in best["type"]]
        assert best["description"]
        assert all(not c["match"] for c in results[key]["result"][1:])
    for key in ("q2", "q3"):
        best = results[key]["result"][0]
        assert (best["id"], best["match"], best["score"]) == ("city/seoul", True, 100)
        assert all(CITY in [t["id"] for t in c["type"]] for c in results[key]["result"])
    # as an organization, Seoul is its government, a candidate but not an exact name
    organizations = results["q4"]["result"]
    assert organizations[0]["id"] == "organization/city-of-seoul"
    assert organizations[0]["match"] is False and 0 < organizations[0]["score"] < 100
    assert "city/seoul" not in ids(results["q4"])
    assert len(results["q5"]["result"]) <= 2
    assert results["q5"]["result"][0]["id"] == "organization/city-of-seoul"
    assert results["q5"]["result"][0]["match"] is True


def test_without_a_type_every_kind_is_a_candidate(client):
    found = reconcile(client, {"q": {"query": "Seoul", "limit": 10}})["q"]["result"]
    assert found[0]["id"] == "city/seoul" and found[0]["match"] is True
    assert "organization/city-of-seoul" in [c["id"] for c in found]
    scores = [c["score"] for c in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)


def test_former_names_and_alternative_labels_match(client):
    results = reconcile(
        client,
        {
            "former": {"query": "World e-Governments Organization"},
            "french": {"query": "cites et gouvernements locaux unis"},
        },
    )
    assert results["former"]["result"][0]["id"] == "organization/wego"
    assert results["former"]["result"][0]["match"] is True
    assert results["french"]["result"][0]["id"] == "organization/uclg"


def test_close_names_are_candidates_but_not_matches(client):
    found = reconcile(client, {"q": {"query": "Seol", "type": CITY}})["q"]["result"]
    assert found[0]["id"] == "city/seoul"
    assert found[0]["match"] is False and found[0]["score"] < 100


def test_get_and_json_body_answer_like_the_form(client):
    queries = {"a": {"query": "UCLG", "type": ORGANIZATION}, "b": {"query": "Séoul"}}
    form = reconcile(client, queries)
    by_get = client.get("/reconcile", params={"queries": json.dumps(queries)})
    assert by_get.status_code == 200 and by_get.json() == form
    by_json = client.post("/reconcile", json=queries)
    assert by_json.status_code == 200 and by_json.json() == form
    jsonp = client.get("/reconcile", params={"queries": json.dumps(queries), "callback": "cb"})
    assert json.loads(jsonp.text.removeprefix("/**/cb(").removesuffix(");")) == form


def test_names_follow_the_language_asked(client):
    result = reconcile(client, {"q": {"query": "UCLG"}}, **{"Accept-Language": "fr"})["q"]
    best = result["result"][0]
    assert best["name"] == "Cités et Gouvernements Locaux Unis"
    assert best["type"][0]["name"] == "Organisation"


def test_country_constraint_raises_or_lowers_the_score(client):
    def best(name: str, *values: object) -> dict[str, Any]:
        query: dict[str, Any] = {"query": name, "type": ORGANIZATION}
        if values:
            query["properties"] = [{"pid": "country", "v": v} for v in values]
        return reconcile(client, {"q": query})["q"]["result"][0]  # type: ignore[no-any-return]

    plain = best("Seoul")
    korea = best("Seoul", "Corée du Sud")
    by_id = best("Seoul", {"id": "country/south-korea"})
    france = best("Seoul", "France")
    for found in (plain, korea, by_id, france):
        assert found["id"] == "organization/city-of-seoul"
    assert france["score"] < plain["score"] < korea["score"] == by_id["score"]
    # an exact name is a match only when the constraints hold
    assert best("Seoul Metropolitan Government", "south korea")["match"] is True
    wrong = best("Seoul Metropolitan Government", "France")
    assert wrong["match"] is False and wrong["score"] < 100
    # the property may be named by its IRI too
    by_iri = reconcile(
        client,
        {
            "q": {
                "query": "Seoul Metropolitan Government",
                "properties": [{"pid": "https://w3id.org/lgdg/def#country", "v": "Korea"}],
            }
        },
    )
    assert by_iri["q"]["result"][0]["match"] is True


def test_a_constraint_decides_between_close_candidates(client):
    # two councils are called "… Municipality" / "Municipality of …": the country picks one
    def first(country: str) -> str:
        query = {"query": "Municipality", "type": ORGANIZATION}
        query["properties"] = [{"pid": "country", "v": country}]  # type: ignore[assignment]
        return ids(reconcile(client, {"q": query})["q"])[0]

    assert first("Tunisia") == "organization/city-of-tunis"
    assert first("Suède") == "organization/city-of-sala"


# --- preview, suggest, extend -----------------------------------------------------------------


def test_preview_is_a_small_card(client, server):
    response = client.get("/reconcile/preview", params={"id": "city/seoul"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    text = response.text
    assert "<b>Seoul</b>" in text and "City" in text and "South Korea" in text
    assert f'href="{server}/id/city/seoul"' in text
    qid = wikidata_items()["city/seoul"]
    assert f'href="https://www.wikidata.org/wiki/{qid}"' in text
    assert "<script" not in text and "http-equiv" not in text
    refused(client.get("/reconcile/preview", params={"id": "city/atlantis"}), 404)
    refused(client.get("/reconcile/preview"), 400)


def test_preview_escapes_what_the_data_says(tmp_path):
    trig = f"""
    @prefix owl: <http://www.w3.org/2002/07/owl#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix schema: <https://schema.org/> .
    <{BASE}graph/source/s> {{
      <{BASE}id/city/x> a schema:City ; rdfs:label "{MARKUP}"@en ;
          schema:description "A \\"quoted\\" <b>bold</b> & more"@en ;
          owl:sameAs <http://www.wikidata.org/entity/Q1> .
    }}"""
    with serving_fixture(tmp_path, trig, Settings.load(ROOT, {})) as base:
        text = httpx.get(base + "/reconcile/preview", params={"id": "city/x"}).text
        found = httpx.post(
            base + "/reconcile", data={"queries": json.dumps({"q": {"query": "alert(1)"}})}
        ).json()
    assert MARKUP not in text and "<b>bold</b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in text
    assert 'href="https://www.wikidata.org/wiki/Q1"' in text
    assert found["q"]["result"][0]["name"] == MARKUP  # JSON carries it as data


def test_suggest_entities_types_and_properties(client):
    entities = client.get("/reconcile/suggest/entity", params={"prefix": "cglu"}).json()
    assert entities["result"][0]["id"] == "organization/uclg"
    assert entities["result"][0]["notable"][0] == {"id": ORGANIZATION, "name": "Organization"}
    cities = client.get("/reconcile/suggest/entity", params={"prefix": "séo", "type": CITY})
    assert ids(cities.json()) == ["city/seoul"]
    types = client.get("/reconcile/suggest/type", params={"prefix": "cit"}).json()["result"]
    assert {"id": CITY, "name": "City"} in types
    assert "https://w3id.org/lgdg/def#CityNetwork" in [t["id"] for t in types]
    properties = client.get("/reconcile/suggest/property", params={"prefix": "coun"}).json()
    assert properties["result"][0]["id"] == "country"
    jsonp = client.get("/reconcile/suggest/entity", params={"prefix": "ucl", "callback": "f"})
    assert jsonp.text.startswith("/**/f(") and "organization/uclg" in jsonp.text


def wikidata_items() -> dict[str, str]:
    with (ROOT / "data" / "wikidata.csv").open(encoding="utf-8", newline="") as stream:
        return {row["entity"]: row["qid"] for row in csv.DictReader(stream) if row["qid"]}


def test_extension_brings_wikidata_items_and_countries(client):
    proposed = client.get("/reconcile/properties", params={"type": CITY}).json()
    assert proposed["type"] == CITY
    assert proposed["properties"][0]["id"] == "wikidata"
    asked = {
        "ids": ["city/seoul", "organization/city-of-seoul", "city/atlantis"],
        "properties": [{"id": "wikidata"}, {"id": "country"}],
    }
    response = client.post("/reconcile", data={"extend": json.dumps(asked)})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert [m["id"] for m in answer["meta"]] == ["wikidata", "country"]
    seoul = answer["rows"]["city/seoul"]
    assert seoul["wikidata"] == [{"str": wikidata_items()["city/seoul"]}]
    south_korea = {"id": "country/south-korea", "name": "South Korea"}
    assert seoul["country"] == [south_korea]
    assert answer["rows"]["organization/city-of-seoul"]["country"] == [south_korea]
    assert answer["rows"]["city/atlantis"] == {"wikidata": [], "country": []}


# --- hostile and broken requests ------------------------------------------------------------


@pytest.mark.parametrize(
    ("queries", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('"UCLG"', "JSON object"),
        ('{"q": "UCLG"}', "queries.q: a query must be a JSON object"),
        ('{"q": {"type": "city"}}', "queries.q.query"),
        ('{"q": {"query": 42}}', "queries.q.query"),
        ('{"q": {"query": "x", "limit": 1000}}', "queries.q.limit"),
        ('{"q": {"query": "x", "limit": 0}}', "queries.q.limit"),
        ('{"q": {"query": "x", "limit": "many"}}', "queries.q.limit"),
        ('{"q": {"query": "x", "type": [{"id": 1}]}}', "queries.q.type[0]"),
        ('{"q": {"query": "x", "properties": [1]}}', "queries.q.properties[0]"),
        ('{"q": {"query": "x", "properties": [{"pid": "nope", "v": "x"}]}}', "nope"),
        ('{"q": {"query": "x", "properties": [{"pid": "country", "v": [[1]]}]}}', ".v"),
        ('{"q": {"query": "' + "x" * 501 + '"}}', "longer than 500"),
    ],
    ids=lambda value: value[:40],
)
def test_malformed_queries_are_400(client, queries, message):
    assert message in refused(client.post("/reconcile", data={"queries": queries}))


def test_batches_are_capped(client):
    batch = {f"q{n}": {"query": "Seoul"} for n in range(100)}
    assert len(reconcile(client, batch)) == 100
    batch["q100"] = {"query": "Seoul"}
    assert "at most 100 queries" in refused(client.post("/reconcile", json=batch))


def test_other_broken_requests_are_400_with_a_reason(client):
    as_json = {"Content-Type": "application/json"}
    assert "not valid JSON" in refused(client.post("/reconcile", content=b"{", headers=as_json))
    nested = b"[" * 30_000 + b"]" * 30_000
    assert "not valid JSON" in refused(client.post("/reconcile", content=nested, headers=as_json))
    assert "UTF-8" in refused(
        client.post(
            "/reconcile",
            content=b"queries=\xff",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    )
    refused(client.post("/reconcile", content=b"{}", headers={"Content-Type": "text/plain"}), 415)
    surrogate = b'{"\\ud800": {"query": "x"}}'
    assert "surrogate" in refused(client.post("/reconcile", content=surrogate, headers=as_json))
    assert "one `queries`" in refused(client.get("/reconcile?queries={}&queries={}"))
    assert "not both" in refused(client.get("/reconcile", params={"queries": "{}", "extend": "{}"}))
    assert "callback" in refused(client.get("/reconcile", params={"callback": "alert(1)//"}))
    assert "extend.ids" in refused(client.get("/reconcile", params={"extend": '{"ids": 1}'}))
    assert "prefix" in refused(client.get("/reconcile/suggest/entity"))
    long_prefix = {"prefix": "x" * 201}
    assert "prefix" in refused(client.get("/reconcile/suggest/entity", params=long_prefix))
    bad_cursor = {"prefix": "a", "cursor": "-1"}
    assert "cursor" in refused(client.get("/reconcile/suggest/type", params=bad_cursor))
    assert "limit" in refused(client.get("/reconcile/properties", params={"limit": "1000"}))
