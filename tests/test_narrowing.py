"""Substring filters narrowed by the release's text index give the answers the store gives."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from publisher.narrowing import MAX_LOOKUPS, narrow_query
from publisher.text_index import INDEX_DIR, MAX_CANDIDATES, TextIndex, write_text_index
from publisher.workers import QueryFailedError, QueryJob, run_job
from tests.conftest import Project

PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
# HAS(?x) stands for CONTAINS(LCASE(STR(?x)), "the word"), the most common label search.
NARROWED = [
    "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(HAS(?l)) }",
    (
        'SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(CONTAINS(LCASE(?l), "{w}")) }'
        " ORDER BY ?l LIMIT 3"
    ),
    'SELECT * WHERE { ?s ?p ?o . FILTER(CONTAINS(STR(?o), "{w}")) }',
    'SELECT ?s WHERE { ?s rdfs:label $l FILTER contains(?l, "{w}") }',
    'SELECT ?s WHERE { ?s a ?t ; rdfs:label ?l , ?m FILTER(LANG(?l) = "fr" && HAS(?l)) }',
    "SELECT ?s WHERE { ?s rdfs:label ?l FILTER(CONTAINS(LCASE(STR(?l)), '''{w}''')) }",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s rdfs:label ?l FILTER(HAS(?l)) } }",
    "SELECT * WHERE { ?s rdfs:label ?l OPTIONAL { ?s skos:altLabel ?x FILTER(HAS(?x)) } }",
    "SELECT ?s WHERE { ?s rdfs:label ?l MINUS { ?s rdfs:label ?m FILTER(HAS(?m)) } }",
    "SELECT ?s WHERE { ?s rdfs:label ?l FILTER EXISTS { ?s ?p ?v FILTER(HAS(?v)) } }",
    (
        "SELECT ?s WHERE { { SELECT ?s WHERE { ?s rdfs:label ?l FILTER(HAS(?l)) }"
        " ORDER BY ?s LIMIT 5 } }"
    ),
    "SELECT ?s ?c WHERE { ?s rdfs:label ?l ; ?p ?c . FILTER(HAS(?c)) FILTER(HAS(?l)) }",
    'SELECT ?s WHERE { ?s rdfs:label ?l ; ?p "2017"^^xsd:gYear FILTER(HAS(?l)) }',
    'SELECT ?s ?o WHERE { ?s rdfs:label "WeGO"@en , ?o FILTER(HAS(?o)) }',
    "SELECT ?o WHERE { ?o a ?t . ?x ?p ?o ; rdfs:label ?l FILTER(HAS(?o)) FILTER(HAS(?l)) }",
    "SELECT ?s ?l WHERE { ?s rdfs:label ?l . ?l ?p ?o FILTER(HAS(?l)) }",
    "ASK { ?s rdfs:label ?l FILTER(HAS(?l)) }",
    "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l FILTER(HAS(?l)) }",
]
LEFT_AS_THEY_ARE = [
    "SELECT ?s WHERE { ?s a ?t OPTIONAL { ?s rdfs:label ?l } FILTER(HAS(?l)) }",
    "SELECT ?s WHERE { { ?s rdfs:label ?l } UNION { ?s skos:altLabel ?l } FILTER(HAS(?l)) }",
    "SELECT ?s WHERE { ?s rdfs:label* ?l FILTER(HAS(?l)) }",
    "SELECT ?s WHERE { ?s org:subOrganizationOf/rdfs:label ?l FILTER(HAS(?l)) }",
    'SELECT ?s WHERE { ?s rdfs:label ?l FILTER(HAS(?l) || LANG(?l) = "en") }',
    "SELECT ?s WHERE { ?s rdfs:label ?l FILTER(!HAS(?l)) }",
    'SELECT ?s WHERE { ?s rdfs:label ?l FILTER(CONTAINS(UCASE(STR(?l)), "{w}")) }',
    'SELECT ?s WHERE { ?s rdfs:label ?l FILTER(CONTAINS(LCASE(STR(?l)), "{w}"@fr)) }',
    'SELECT ?s WHERE { ?s rdfs:label ?l FILTER(CONTAINS(LCASE(STR(?l)), "\\u0076{w}")) }',
    'SELECT ?s WHERE { BIND("x {w} y" AS ?l) FILTER(CONTAINS(?l, "{w}")) }',
    'SELECT ?s WHERE { VALUES ?l { "{w}" } ?s ?p ?o FILTER(CONTAINS(?l, "{w}")) }',
]
# Words of the repository's data: in labels, notes, IRIs, dates and numbers; in none.
WORDS = ["ville", "gov", "seoul", "wego", "secr", "2017", "w3id.org/lgdg/id/ci", "e-", "zzqx"]


def written(template: str, word: str) -> str:
    """The query of a template for ``word``."""
    searched = re.sub(r"HAS\((\?\w+)\)", r'CONTAINS(LCASE(STR(\1)), "{w}")', template)
    return searched.replace("{w}", word)


def job(query: str) -> QueryJob:
    graph = query.lstrip().startswith("CONSTRUCT")
    return QueryJob(PREFIXES + query, "nt" if graph else "json", None, None, 100_000)


def answer(store: ox.Store, query: str, index: TextIndex | None) -> object:
    """The query's answer, its solutions or statements in an order of their own."""
    body = run_job(store, job(query), index).body
    if query.lstrip().startswith("CONSTRUCT"):
        return sorted(body.decode().splitlines())
    document = json.loads(body)
    if "boolean" in document:
        return document["boolean"]
    return sorted(json.dumps(row, sort_keys=True) for row in document["results"]["bindings"])


@pytest.fixture(scope="module")
def release(built: Project) -> tuple[ox.Store, TextIndex]:
    index = TextIndex.open(built.current / INDEX_DIR)
    assert index is not None, "a build writes the text index"
    return ox.Store.read_only(str(built.current / "store")), index


@pytest.mark.parametrize("word", WORDS)
@pytest.mark.parametrize("template", NARROWED)
def test_a_narrowed_query_answers_what_the_store_answers(release, template, word):
    store, index = release
    query = written(template, word)
    if index.containing(word.lower(), with_iris=True) is not None:
        assert "VALUES" in narrow_query(query, index)
    assert answer(store, query, index) == answer(store, query, None)


@pytest.mark.parametrize("template", LEFT_AS_THEY_ARE)
def test_a_filter_the_narrowing_cannot_be_sure_of_is_left_as_it_is(release, template):
    store, index = release
    query = written(template, "ville")
    assert narrow_query(query, index) == query


def test_narrowing_agrees_with_the_store_on_words_drawn_from_its_own_labels(release):
    """Substrings of the data's labels (any case, accents, punctuation) and random letters."""
    store, index = release
    labels = [
        row["l"].value
        for row in store.query(
            "SELECT DISTINCT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
        )
    ]
    rng = random.Random(5)
    words = [
        label[(i := rng.randrange(len(label))) : i + rng.randint(1, 6)]
        for label in rng.sample(labels, 60)
    ]
    words += ["".join(rng.choices("aeiounrst", k=rng.randint(2, 4))) for _ in range(40)]
    for word in words:
        query = written(NARROWED[0], word.replace("\\", "").replace('"', ""))
        assert answer(store, query, index) == answer(store, query, None), word


def test_literals_are_indexed_as_the_store_writes_them(tmp_path: Path):
    """The store keeps values, not spellings: "01" is "1", "1e0" is "1", boolean "1" is "true"."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    subject, predicate = (
        ox.NamedNode("https://example.org/s"),
        ox.NamedNode("https://example.org/p"),
    )
    literals = [
        ox.Literal("01", datatype=ox.NamedNode(xsd + "integer")),
        ox.Literal("1.50", datatype=ox.NamedNode(xsd + "decimal")),
        ox.Literal("1e0", datatype=ox.NamedNode(xsd + "double")),
        ox.Literal("1", datatype=ox.NamedNode(xsd + "boolean")),
        ox.Literal("Ligne\nSuivante", language="fr"),
    ]
    quads = [ox.Quad(subject, predicate, literal) for literal in literals]
    write_text_index(tmp_path / INDEX_DIR, quads)
    index = TextIndex.open(tmp_path / INDEX_DIR)
    assert index is not None
    store = ox.Store()
    store.extend(quads)
    for word in ("1", "01", "1.5", "50", "e0", "true", "ligne", "suivante"):
        query = f'SELECT ?o WHERE {{ ?s ?p ?o FILTER(CONTAINS(LCASE(STR(?o)), "{word}")) }}'
        assert answer(store, query, index) == answer(store, query, None), word


def test_a_word_found_in_too_many_terms_leaves_the_query_as_it_is(tmp_path: Path):
    subject, predicate = (
        ox.NamedNode("https://example.org/s"),
        ox.NamedNode("https://example.org/p"),
    )
    quads = [ox.Quad(subject, predicate, ox.Literal(f"x{n}")) for n in range(MAX_CANDIDATES + 1)]
    write_text_index(tmp_path / INDEX_DIR, quads)
    index = TextIndex.open(tmp_path / INDEX_DIR)
    assert index is not None
    assert index.containing("x", with_iris=False) is None
    assert (
        len(index.containing("x1", with_iris=False) or []) == 112
    )  # x1, x10…x19, x100…x199, x1000
    query = 'SELECT ?o WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), "x")) }'
    assert narrow_query(query, index) == query


def test_a_failing_narrowed_query_fails_as_the_query_sent(release):
    store, index = release
    query = 'SELECT ?s WHERE { ?s rdfs:label ?l FILTER(CONTAINS(LCASE(STR(?l)), "ville")) } LIMIT x'
    assert "VALUES" in narrow_query(PREFIXES + query, index)
    with pytest.raises(QueryFailedError) as unnarrowed:
        run_job(store, job(query))
    with pytest.raises(QueryFailedError) as narrowed:
        run_job(store, job(query), index)
    assert str(narrowed.value) == str(unnarrowed.value)


def test_a_query_of_many_substring_filters_is_narrowed_in_its_first_few(release):
    """Each lookup reads the whole index: a query cannot make a worker do it without end."""
    store, index = release
    branches = " UNION ".join(["{ ?s rdfs:label ?l FILTER(HAS(?l)) }"] * (MAX_LOOKUPS + 4))
    query = written(f"SELECT ?s ?l WHERE {{ {branches} }}", "ville")
    assert narrow_query(PREFIXES + query, index).count("VALUES") == MAX_LOOKUPS
    assert answer(store, query, index) == answer(store, query, None)


def test_the_object_of_a_predicate_of_literals_is_looked_up_among_literals_only(release):
    """rdfs:label has only literals: the IRIs that contain the word are no candidates."""
    store, index = release
    seoul = "<https://w3id.org/lgdg/id/city/seoul>"
    assert "http://www.w3.org/2000/01/rdf-schema#label" in index.literal_valued
    labels = written("SELECT ?s WHERE { ?s rdfs:label ?l FILTER(HAS(?l)) }", "seoul")
    anything = written("SELECT ?s WHERE { ?s ?p ?o FILTER(HAS(?o)) }", "seoul")
    assert "VALUES" in narrow_query(PREFIXES + labels, index)
    assert seoul not in narrow_query(PREFIXES + labels, index)
    assert seoul in narrow_query(PREFIXES + anything, index)
    for query in (labels, anything):
        assert answer(store, query, index) == answer(store, query, None)
