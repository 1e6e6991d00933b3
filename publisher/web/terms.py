"""The vocabulary terms the HTML pages know by name: namespaces and the n-ary node model."""

from __future__ import annotations

from typing import NamedTuple

from publisher.namespaces import PREFIXES


def expand(name: str) -> str:
    """``org:Post`` → ``http://www.w3.org/ns/org#Post``."""
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local


def compact(iri: str) -> str:
    """``http://www.w3.org/ns/org#Post`` → ``org:Post`` (the IRI itself when no prefix fits)."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


RDF_TYPE = expand("rdf:type")
LABEL_PROPERTIES = tuple(expand(p) for p in ("rdfs:label", "skos:prefLabel", "foaf:name"))
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
WIKIDATA_PAGE = "https://www.wikidata.org/wiki/"
SAME_AS = expand("owl:sameAs")
DERIVED_FROM = expand("prov:wasDerivedFrom")


class Column(NamedTuple):
    """One column of an n-ary node table: the property and the message naming it."""

    prop: str
    message: str


# n-ary nodes (who held which role, where, when) are shown as tables, not as links.
NARY: dict[str, tuple[Column, ...]] = {
    expand("org:Post"): (
        Column(expand("org:heldBy"), "col.person"),
        Column(expand("org:postIn"), "col.organization"),
        Column(expand("org:role"), "col.role"),
        Column(expand("lgdg:roleQualifier"), "col.qualifier"),
        Column(expand("lgdg:asOf"), "col.as_of"),
        Column(expand("schema:startDate"), "col.start"),
        Column(expand("schema:endDate"), "col.end"),
    ),
    expand("org:Membership"): (
        Column(expand("org:member"), "col.member"),
        Column(expand("org:organization"), "col.organization"),
        Column(expand("org:role"), "col.role"),
        Column(expand("lgdg:asOf"), "col.as_of"),
        Column(expand("schema:startDate"), "col.start"),
        Column(expand("schema:endDate"), "col.end"),
    ),
    expand("lgdg:AgreementParty"): (
        Column(expand("lgdg:agreement"), "col.agreement"),
        Column(expand("lgdg:partyAgent"), "col.party"),
        Column(expand("org:role"), "col.role"),
        Column(expand("lgdg:representedBy"), "col.represented_by"),
    ),
}

# The name of an n-ary node, which has no label: the labels of these, in this order.
NARY_NAMES: dict[str, tuple[str, ...]] = {
    expand("org:Post"): tuple(expand(p) for p in ("org:heldBy", "org:role", "org:postIn")),
    expand("org:Membership"): tuple(
        expand(p) for p in ("org:member", "org:role", "org:organization")
    ),
    expand("lgdg:AgreementParty"): tuple(
        expand(p) for p in ("lgdg:partyAgent", "org:role", "lgdg:agreement")
    ),
}

# Links between an entity and an n-ary node, or shortcuts that the node tables already show.
NARY_LINKS = frozenset(
    expand(p)
    for p in (
        "org:holds",
        "org:hasPost",
        "org:heldBy",
        "org:postIn",
        "org:memberOf",
        "org:member",
        "org:organization",
        "org:hasMembership",
        "org:role",
        "lgdg:hasParty",
        "lgdg:party",
        "lgdg:agreement",
        "lgdg:partyAgent",
        "lgdg:representedBy",
    )
)
