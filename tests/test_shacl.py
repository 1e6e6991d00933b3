"""lodpub's SHACL engine finds what pySHACL, a reference implementation, finds."""

from __future__ import annotations

import random

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib

from publisher.errors import ShapesError
from publisher.ontology import read_ontology
from publisher.rdfio import graph_to_triples, read_nquads_gz
from publisher.shacl.literals import well_formed
from publisher.shapes import read_report, read_shapes, validate_dataset
from tests.conftest import ROOT, Project

XSD = "http://www.w3.org/2001/XMLSchema#"
WRONG_VALUES = (
    ox.Literal("2021-02-30", datatype=ox.NamedNode(XSD + "date")),
    ox.Literal("17 November 2021"),
    ox.Literal("Stadt", language="de"),
    ox.Literal("-5", datatype=ox.NamedNode(XSD + "integer")),
    ox.NamedNode("https://w3id.org/lgdg/id/city/nowhere"),
    ox.NamedNode("https://w3id.org/lgdg/id/Not_A_Slug"),
)


def found(violations, messages: bool = True) -> set[tuple[str | None, ...]]:
    """The results in terms both engines share (their default messages differ, and pySHACL's
    report names every blank node and path that is not a predicate "(complex path)")."""

    def plain(text: str | None) -> str | None:
        if text is not None and text.startswith(("(", "_:")):
            return "(complex path)"
        return text

    return {
        (v.focus_node, plain(v.path), v.message if messages else "", v.severity, plain(v.value))
        for v in violations
    }


def reference(triples: list[ox.Triple], shapes: rdflib.Graph, ontology: rdflib.Graph):
    """What pySHACL reports for the same data."""
    data = rdflib.Graph()
    data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    data += ontology
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False)
    return read_report(report, {})


def broken(triples: list[ox.Triple], seed: int) -> list[ox.Triple]:
    """The dataset with some triples dropped, some values replaced by wrong ones, some
    links pointed elsewhere and some labels doubled."""
    rng = random.Random(seed)
    subjects = [t.subject for t in triples]
    result = []
    for triple in triples:
        draw = rng.random()
        if draw < 0.03:
            continue
        if draw < 0.05:
            obj = rng.choice(WRONG_VALUES)
            triple = ox.Triple(triple.subject, triple.predicate, obj)
        elif draw < 0.06 and isinstance(triple.object, ox.NamedNode):
            triple = ox.Triple(triple.subject, triple.predicate, rng.choice(subjects))
        elif draw < 0.07:
            label = ox.Literal("x", language="en")
            result.append(ox.Triple(triple.subject, triple.predicate, label))
        result.append(triple)
    return list(dict.fromkeys(result))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_broken_releases_get_the_reports_pyshacl_gives(built: Project, seed: int) -> None:
    dump = built.current / "dumps" / f"{built.settings.dump_name}.nq.gz"
    triples = sorted({q.triple for q in read_nquads_gz(dump)}, key=str)
    data = broken(triples, seed)
    shapes, ontology = read_shapes(ROOT / "shapes"), read_ontology(ROOT / "ontology")

    ours = validate_dataset(data, shapes, ontology)

    assert len(ours.violations) > 50  # the breakage is seen …
    assert found(ours.violations + ours.warnings) == found(reference(data, shapes, ontology))


SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# Constraint components and paths that lodpub's own shapes do not use, each with data that
# breaks them; the two engines must agree on every result.
CASES = {
    "closed": """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ;
            sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ;
            sh:property [ sh:path ex:name ] .
        ex:a a ex:C ; ex:name "a" ; ex:age 3 .
    """,
    "equals, disjoint, less than": """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:equals ex:q ] ;
            sh:property [ sh:path ex:p ; sh:disjoint ex:r ] ;
            sh:property [ sh:path ex:start ; sh:lessThan ex:end ] ;
            sh:property [ sh:path ex:start ; sh:lessThanOrEquals ex:end ] .
        ex:a a ex:C ; ex:p 1, 2 ; ex:q 2, 3 ; ex:r 1 ;
            ex:start "2020-01-02"^^xsd:date ; ex:end "2020-01-02"^^xsd:date, "x" .
    """,
    "xone, not, lengths, ranges": """
        ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:v ;
            sh:property [ sh:path ex:v ;
                sh:xone ( [ sh:datatype xsd:integer ] [ sh:minInclusive 10 ] ) ;
                sh:not [ sh:hasValue 12 ] ;
                sh:maxExclusive 100 ; sh:minExclusive 0 ] ;
            sh:property [ sh:path ex:code ; sh:minLength 2 ; sh:maxLength 3 ;
                sh:pattern "^A" ; sh:flags "i" ] .
        ex:a ex:v 5, 12, 20.5, 200, -1, "text" ; ex:code "a", "abcd", "Ab", _:b .
    """,
    "paths": """
        ex:S a sh:NodeShape ; sh:targetNode ex:a ;
            sh:property [ sh:path ( ex:p ex:q ) ; sh:maxCount 1 ] ;
            sh:property [ sh:path [ sh:alternativePath ( ex:p ex:q ) ] ; sh:minCount 5 ] ;
            sh:property [ sh:path [ sh:oneOrMorePath ex:p ] ; sh:class ex:Node ] ;
            sh:property [ sh:path [ sh:zeroOrMorePath [ sh:inversePath ex:p ] ] ;
                sh:nodeKind sh:IRI ] ;
            sh:property [ sh:path [ sh:zeroOrOnePath ex:q ] ; sh:maxCount 1 ] .
        ex:a ex:p ex:b , ex:c ; ex:q ex:d .
        ex:b ex:q ex:e ; ex:p ex:a . ex:c ex:q ex:f . ex:b a ex:Node .
        _:x ex:p ex:a .
    """,
    "qualified shapes, disjoint": """
        ex:S a sh:NodeShape ; sh:targetClass ex:Hand ;
            sh:property [ sh:path ex:digit ; sh:qualifiedValueShapesDisjoint true ;
                sh:qualifiedValueShape [ sh:class ex:Thumb ] ; sh:qualifiedMinCount 1 ;
                sh:qualifiedMaxCount 1 ] ;
            sh:property [ sh:path ex:digit ; sh:qualifiedValueShapesDisjoint true ;
                sh:qualifiedValueShape [ sh:class ex:Finger ] ; sh:qualifiedMinCount 4 ] .
        ex:h a ex:Hand ; ex:digit ex:t, ex:f1, ex:f2, ex:f3, ex:f4 .
        ex:t a ex:Thumb, ex:Finger . ex:f1 a ex:Finger . ex:f2 a ex:Finger .
        ex:f3 a ex:Finger . ex:f4 a ex:Thumb .
    """,
    "severities, deactivated, languages": """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:severity sh:Warning ;
            sh:property [ sh:path ex:label ; sh:uniqueLang true ; sh:languageIn ( "en" "fr" ) ] ;
            sh:property [ sh:path ex:label ; sh:minCount 9 ; sh:deactivated true ] ;
            sh:property [ sh:path ex:label ; sh:severity sh:Info ; sh:in ( "a"@en "b"@fr ) ] .
        ex:a a ex:C ; ex:label "a"@en, "b"@en, "c"@en-GB, "d"@de, "e" .
    """,
}


@pytest.mark.parametrize(
    ("lexical", "datatype", "valid"),
    [
        ("2020-02-29", "date", True),
        ("2021-02-29", "date", False),
        ("2021-11-17T10:00:00+01:00", "dateTime", True),
        ("2021-11-17T25:00:00", "dateTime", False),
        ("2021-13", "gYearMonth", False),
        ("0000", "gYear", True),
        ("12", "byte", True),
        ("300", "byte", False),
        ("١٢", "integer", False),  # Arabic-Indic digits are not XSD digits
        ("-5", "nonNegativeInteger", False),
        ("1.5e3", "double", True),
        ("1.5e3", "decimal", False),
        ("none", "boolean", False),
    ],
)
def test_literals_are_checked_against_the_xsd_lexical_spaces(
    lexical: str, datatype: str, valid: bool
) -> None:
    literal = ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))
    assert well_formed(literal) is valid


@pytest.mark.parametrize("case", CASES)
def test_core_components_beyond_our_shapes_agree_with_pyshacl(case: str) -> None:
    graph = rdflib.Graph().parse(data=SHAPES + CASES[case], format="turtle")
    ours = validate_dataset(graph_to_triples(graph), graph, rdflib.Graph())
    _, report, _ = pyshacl.validate(graph, shacl_graph=graph, inference="none", advanced=False)
    theirs = read_report(report, {})

    assert ours.violations + ours.warnings, "every case breaks its shapes"
    assert found(ours.violations + ours.warnings, False) == found(theirs, False)


def test_a_shape_that_needs_itself_for_the_same_node_is_refused_with_its_name() -> None:
    graph = rdflib.Graph().parse(
        data=SHAPES
        + """
        ex:Knower a sh:NodeShape ; sh:targetNode ex:a ;
            sh:property [ sh:path ex:knows ; sh:node ex:Knower ] .
        ex:a ex:knows ex:b . ex:b ex:knows ex:a .
        """,
        format="turtle",
    )
    with pytest.raises(ShapesError, match="ex:Knower|example.org/Knower"):
        validate_dataset(graph_to_triples(graph), graph, rdflib.Graph())


def test_shacl_sparql_shapes_are_run_by_pyshacl() -> None:
    graph = rdflib.Graph().parse(
        data=SHAPES
        + """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:sparql [ sh:message "has a value of ex:p" ;
                sh:select "SELECT $this WHERE { $this <http://example.org/p> ?any }" ] .
        ex:a a ex:C ; ex:p 1 .
        ex:b a ex:C .
        """,
        format="turtle",
    )
    report = validate_dataset(graph_to_triples(graph), graph, rdflib.Graph())
    assert [(v.focus_node, v.message) for v in report.violations] == [
        ("http://example.org/a", "has a value of ex:p")
    ]
    assert report.focus_nodes == 2


@pytest.mark.parametrize(
    ("shape", "reason"),
    [
        ('sh:path ex:p ; sh:minCount "two"', "[ sh:path <http://example.org/p> ]: sh:minCount"),
        ('sh:path ex:p ; sh:pattern "("', "bad sh:pattern"),
        ("sh:path ex:p ; sh:nodeKind sh:Thing", "is not a SHACL node kind"),
        ("sh:path [ sh:alternativePath ( ex:p ) ]", "at least two members"),
    ],
)
def test_a_malformed_shape_stops_before_anything_is_built(
    project: Project, shape: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = project.current
    (project.root / "shapes" / "broken.ttl").write_text(
        SHAPES + f"ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ {shape} ] .\n"
    )
    code, output = project.build(capsys)
    assert code == 2
    assert any(reason in problem["reason"] for problem in output["problems"]), output
    assert project.current == before
