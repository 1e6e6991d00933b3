"""The entity as schema.org JSON-LD, embedded in its page for search engines."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from publisher.store import Term
from publisher.web.catalog import Catalog
from publisher.web.facts import Facts
from publisher.web.terms import DERIVED_FROM, LABEL_PROPERTIES, expand

# Classes and the schema.org type they become; the first that an entity has wins.
TYPES = [
    (expand(c), t)
    for c, t in (
        ("schema:Person", "Person"),
        ("foaf:Person", "Person"),
        ("org:Organization", "Organization"),
        ("schema:Event", "Event"),
        ("schema:City", "City"),
        ("schema:Country", "Country"),
        ("org:Site", "Place"),
        ("schema:NewsArticle", "NewsArticle"),
        ("schema:Report", "Report"),
        ("lgdg:Agreement", "CreativeWork"),
        ("lgdg:DigitalGovernanceInitiative", "CreativeWork"),
        ("schema:CreativeWork", "CreativeWork"),
        ("foaf:Document", "CreativeWork"),
        ("skos:ConceptScheme", "DefinedTermSet"),
        ("skos:Concept", "DefinedTerm"),
        ("org:Post", "OrganizationRole"),
        ("org:Membership", "OrganizationRole"),
        ("lgdg:AgreementParty", "Role"),
    )
]
OUTGOING = {
    expand(p): k
    for p, k in (
        ("schema:givenName", "givenName"),
        ("schema:familyName", "familyName"),
        ("schema:startDate", "startDate"),
        ("schema:endDate", "endDate"),
        ("schema:foundingDate", "foundingDate"),
        ("schema:location", "location"),
        ("lgdg:basedIn", "location"),
        ("schema:containedInPlace", "containedInPlace"),
        ("schema:organizer", "organizer"),
        ("lgdg:host", "contributor"),
        ("lgdg:convenedBy", "contributor"),
        ("lgdg:speaker", "performer"),
        ("lgdg:moderator", "performer"),
        ("schema:attendee", "attendee"),
        ("schema:superEvent", "superEvent"),
        ("schema:subEvent", "subEvent"),
        ("org:subOrganizationOf", "parentOrganization"),
        ("org:hasSubOrganization", "subOrganization"),
        ("org:memberOf", "memberOf"),
        ("lgdg:party", "contributor"),
        ("schema:about", "about"),
        ("lgdg:dateSigned", "dateCreated"),
        ("lgdg:launchDate", "dateCreated"),
        ("lgdg:dateAdopted", "datePublished"),
        ("dcterms:issued", "datePublished"),
        ("lgdg:launchedBy", "creator"),
        ("dcterms:creator", "author"),
        ("lgdg:ledBy", "maintainer"),
        ("dcterms:publisher", "publisher"),
        ("dcterms:isPartOf", "isPartOf"),
        ("schema:url", "url"),
        ("owl:sameAs", "sameAs"),
        ("skos:inScheme", "inDefinedTermSet"),
    )
}
INCOMING = {
    expand(p): k
    for p, k in (
        ("org:subOrganizationOf", "subOrganization"),
        ("org:hasSubOrganization", "parentOrganization"),
        ("org:memberOf", "member"),
        ("schema:subEvent", "superEvent"),
        ("schema:superEvent", "subEvent"),
        ("lgdg:speaker", "performerIn"),
        ("lgdg:moderator", "performerIn"),
        ("schema:containedInPlace", "containsPlace"),
        ("schema:about", "subjectOf"),
    )
}
SINGLE = {"startDate", "endDate", "foundingDate", "dateCreated", "datePublished", "url"}
SINGLE |= {"givenName", "familyName"}
DESCRIPTION = expand("schema:description")
ALT_LABELS = {expand("skos:altLabel"), expand("lgdg:formerName")}
POST, HELD_BY, POST_IN, ROLE = (
    expand(n) for n in ("org:Post", "org:heldBy", "org:postIn", "org:role")
)


def schema_type(classes: set[str]) -> str:
    return next((name for cls, name in TYPES if cls in classes), "Thing")


class JsonLdBuilder:
    """Builds the schema.org description of one entity in one language."""

    def __init__(self, facts: Facts, catalog: Catalog, language: str) -> None:
        self.facts, self.catalog, self.language = facts, catalog, language

    def ref(self, iri: str) -> dict[str, Any]:
        kind = schema_type(self.catalog.classes(iri))
        return {"@type": kind, "@id": iri, "name": self.catalog.label(iri, self.language)}

    def term(self, term: Term) -> Any:
        if term.is_iri:
            return self.ref(term.value) if self.catalog.entries.get(term.value) else term.value
        return term.value

    def build(self) -> dict[str, Any]:
        iri = self.facts.iri
        base = self.catalog.base
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": schema_type(self.catalog.classes(iri)),
            "@id": iri,
            "name": self.catalog.label(iri, self.language),
        }
        if iri.startswith(base + "id/"):
            data["mainEntityOfPage"] = base + "doc/" + iri[len(base) + 3 :]
        names = [
            f.value.value
            for f in self.facts.facts
            if not f.inverse and (f.prop in LABEL_PROPERTIES or f.prop in ALT_LABELS)
        ]
        others = [n for n in dict.fromkeys(names) if n != data["name"]]
        if others:
            data["alternateName"] = others
        descriptions = [
            f.value for f in self.facts.facts if f.prop == DESCRIPTION and not f.inverse
        ]
        chosen = [d for d in descriptions if d.language == self.language] or descriptions
        if chosen:
            data["description"] = chosen[0].value
        for fact in sorted(self.facts.facts, key=lambda f: (f.prop, f.value.value)):
            key = (INCOMING if fact.inverse else OUTGOING).get(fact.prop)
            if key:
                self._add(data, key, self.term(fact.value))
        self._add_posts(data)
        for source in self.facts.values(DERIVED_FROM):
            known = self.catalog.sources.get(source.value)
            work = {**self.ref(source.value), "@type": "CreativeWork"}
            if known and known.url:
                work["url"] = known.url
            self._add(data, "subjectOf", work)
        return data

    def _add_posts(self, data: dict[str, Any]) -> None:
        """Posts as schema.org roles: the person is a member of the organization in a role."""
        for node in self.facts.nodes.values():
            if node.cls != POST:
                continue
            roles = [self.catalog.label(r.value, self.language) for r in node.values.get(ROLE, [])]
            this = Term("iri", self.facts.iri)
            for prop, key, other in ((HELD_BY, "memberOf", POST_IN), (POST_IN, "member", HELD_BY)):
                if this in node.values.get(prop, []):
                    for target in node.values.get(other, []):
                        role = {"@type": "OrganizationRole", key: self.term(target)}
                        if roles:
                            role["roleName"] = roles[0]
                        self._add(data, key, role)

    @staticmethod
    def _add(data: dict[str, Any], key: str, value: Any) -> None:
        if key in SINGLE:
            data.setdefault(key, value)
            return
        values = data.setdefault(key, [])
        if value not in values:
            values.append(value)


def serialize_jsonld(data: dict[str, Any]) -> Markup:
    """JSON that is safe inside <script>: ``<``, ``>`` and ``&`` become JSON escapes, so no
    data can close the element or open a comment; it stays valid JSON."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - escaped for a script element just above
