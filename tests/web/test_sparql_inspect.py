"""publisher.sparql finds a query's form, and every SERVICE call Oxigraph would make."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from publisher.sparql import (
    QuerySyntaxError,
    ServiceRefusedError,
    SparqlRequestError,
    UpdateRefusedError,
    explain_failure,
    inspect_query,
    read_tokens,
)
from tests.web.test_sparql import Listener

WIKIDATA = "https://query.wikidata.org/sparql"
BASE = "https://w3id.org/lgdg/sparql"


def inspect(text: str) -> object:
    return inspect_query(text, (WIKIDATA,), BASE)


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("select*where{?s ?p ?o}", "SELECT"),
        ("PREFIX ex: <http://e/> BASE <http://b/> ASK { ex:a ?p <rel> }", "ASK"),
        ("# a comment\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://example.org/>", "DESCRIBE"),
        ("SELECT * FROM <http://g/> WHERE { ?s ?p ?o }", "SELECT"),
        ("SELECT * FROM NAMED <http://g/> { GRAPH ?g { ?s ?p ?o } }", "SELECT"),
        ("SELECT ?from WHERE { ?from ?p 'FROM' }", "SELECT"),
    ],
)
def test_query_form_is_read(text, form):
    assert inspect(text).form == form


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <a> <b> <c> }",
        "PREFIX ex: <http://e/> DELETE WHERE { ?s ?p ?o }",
        "WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "clear all",
        "DROP GRAPH <http://g/>",
        "LOAD <http://example.org/data.ttl>",
    ],
)
def test_updates_are_refused(text):
    with pytest.raises(UpdateRefusedError) as refused:
        inspect(text)
    assert refused.value.status == 403
    assert ("LOAD is refused" in str(refused.value)) == text.startswith("LOAD")


@pytest.mark.parametrize(
    "text", ["", "   # only a comment", "FOO BAR", "PREFIX ex: <http://e/>", "ASKSERVICE<x>{}"]
)
def test_text_that_is_no_query_is_a_syntax_error(text):
    with pytest.raises(QuerySyntaxError):
        inspect(text)


def test_undeclared_prefix_is_named_with_its_position():
    with pytest.raises(QuerySyntaxError, match=r"ex: is not declared \(line 2, column 6"):
        inspect("SELECT * WHERE {\n  ?s ex:p ?o }")
    assert inspect("SELECT * WHERE { ?s ?p _:b . ?s ?q '''ex:x''' }").form == "SELECT"


def test_tokens_keep_strings_iris_and_comments_whole():
    kinds = [t.kind for t in read_tokens("SELECT ?x { <a#b> ex:p 'it''s' # SERVICE <x>\n}")]
    assert kinds == ["word", "var", "other", "iri", "pname", "string", "string", "other"]


ALLOWED = [
    f"SELECT * WHERE {{ SERVICE <{WIKIDATA}> {{ ?s ?p ?o }} }}",
    f"PREFIX wd: <{WIKIDATA.removesuffix('sparql')}> SELECT * {{ SERVICE SILENT wd:sparql {{}} }}",
    f"BASE <{WIKIDATA}> SELECT * WHERE {{ SERVICE <sparql> {{ }} }}",
    f"SELECT * WHERE {{ <http://x/#a> <p> ?o SERVICE <{WIKIDATA}> {{ }} }}",
    "SELECT * WHERE { ?s ?p 'SERVICE <http://elsewhere/>' } # SERVICE <http://elsewhere/>",
    "PREFIX service: <http://e/> SELECT * WHERE { GRAPH service:g { ?s service:p ?o } }",
]


@pytest.mark.parametrize("text", ALLOWED)
def test_allow_listed_or_absent_services_pass(text):
    info = inspect(text)
    assert set(info.services) <= {WIKIDATA}


# Every way found to make Oxigraph call an endpoint; {u} is the endpoint, {b} its folder.
CALLS = [
    "SELECT * WHERE {{ SERVICE <{u}> {{ }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{u}> {{ }} }}",
    "SELECT*WHERE{{SERVICE<{u}>{{}}}}",
    "select * where {{ service silent<{u}>{{}} }}",
    "SELECT * WHERE {{ SERVICESILENT <{u}> {{ }} }}",
    "SELECT * WHERE {{ SERVICE\t<{u}> {{ }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER(true)SERVICE<{u}>{{}} }}",
    "SELECT * WHERE {{ OPTIONAL{{}}SERVICE<{u}> {{ }} }}",
    "SELECT * WHERE {{ BIND(1 AS ?x)SERVICE<{u}> {{ }} }}",
    "SELECT * WHERE {{ ?s ?p 1.SERVICE<{u}> {{ }} }}",
    "SELECT * WHERE {{ ?s ?p 12SERVICE <{u}> {{ }} }}",
    "SELECT * WHERE {{ ?s ?p 1e1SERVICE<{u}> {{ }} }}",
    "SELECT * WHERE {{ ?s ?p true SERVICE<{u}> {{ }} }}",
    "SELECT * WHERE {{ ?s ?p 'a'@en SERVICE<{u}> {{ }} }}",
    "PREFIX : <{b}> SELECT * WHERE {{ SERVICE:sparql {{ }} }}",
    "PREFIX : <{b}> SELECT * WHERE {{ SERVICESILENT:sparql {{ }} }}",
    "PREFIX f: <{b}> SELECT * WHERE {{ SERVICEf:sparql {{ }} }}",
    "PREFIX f: <{b}> SELECT * WHERE {{ SERVICE f:sparql {{ }} }}",
    "PREFIX f: <{b}> SELECT * WHERE {{ SERVICE f:spa\\-rql {{ }} }}",
    "BASE <{b}> SELECT * WHERE {{ SERVICE <sparql> {{ }} }}",
    "SELECT * WHERE {{ SERVICE <{e}> {{ }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{u}> {{ }} }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{u}> {{ }} }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "DESCRIBE ?s WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
]


@pytest.fixture(scope="module")
def spy() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


@pytest.mark.parametrize("template", CALLS)
def test_every_service_call_oxigraph_would_make_is_refused(spy, template):
    base = spy.url.removesuffix("sparql")
    escaped = spy.url.replace("h", "\\u0068", 1)
    text = template.format(u=spy.url, b=base, e=escaped)
    with pytest.raises((ServiceRefusedError, QuerySyntaxError)) as refused:
        inspect_query(text, (WIKIDATA,), BASE)
    assert refused.value.status in (400, 403)
    # The check is at least as strict as the engine: Oxigraph itself does call this endpoint.
    before = len(spy.calls)
    result = ox.Store().query(text)
    rows = [] if isinstance(result, ox.QueryBoolean) else list(result)
    del result, rows  # pyoxigraph results must be dropped on the thread that made them
    assert len(spy.calls) > before


def test_refusal_names_the_endpoint_and_the_allow_list():
    with pytest.raises(ServiceRefusedError) as refused:
        inspect("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { } }")
    assert "<http://127.0.0.1:9/sparql>" in str(refused.value)
    assert WIKIDATA in str(refused.value)
    for variable in (
        "SELECT * WHERE { SERVICE ?e { } }",
        "SELECT * { VALUES ?e { <x> } SERVICE ?e {} }",
    ):
        with pytest.raises(ServiceRefusedError, match=r"SERVICE \?e"):
            inspect(variable)


def test_store_syntax_errors_are_pointed_at():
    query = "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTR(?o)\n}"
    message = explain_failure("error at 5:11: expected OPTIONAL", query, 2)
    assert message.startswith("syntax error at line 3, column 3")
    assert message.endswith("  FILTR(?o)\n  ^")
    valid = "SELECT * WHERE { ?s ?p ?o }"
    assert explain_failure("some evaluation error", valid, 2) == "some evaluation error"
    remote = explain_failure("SP030: SPARQL compiler, line 3: syntax error at 'FILTR'", query)
    assert remote.startswith("syntax error at line 3, column 3")


def test_every_refusal_carries_a_status():
    for error in (QuerySyntaxError, UpdateRefusedError, ServiceRefusedError):
        assert issubclass(error, SparqlRequestError)
        assert error("x").status in (400, 403)
