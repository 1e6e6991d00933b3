"""How an entity page groups its facts: sections, the relations in them, and their en/fr names.

A relation is a property read from the entity (``OUT``) or towards it (``IN``); a property and
its inverse (``org:hasSubOrganization`` / ``org:subOrganizationOf``) share a name, so a fact
stated both ways is shown once. Properties not listed here land in "Other facts".
"""

from __future__ import annotations

from publisher.web.terms import expand

OUT, IN = False, True

SECTIONS: dict[str, tuple[str, str]] = {
    "names": ("Names", "Noms"),
    "about": ("Description", "Description"),
    "role": ("Post, membership or party", "Poste, adhésion ou partie"),
    "dates": ("Dates and figures", "Dates et chiffres"),
    "structure": ("Structure", "Structure"),
    "places": ("Places, seat and offices", "Lieux, siège et bureaux"),
    "people": (
        "Organizers, speakers and participants",
        "Organisateurs, intervenants, participants",
    ),
    "events": ("Events", "Événements"),
    "agreements": ("Agreements", "Accords"),
    "initiatives": ("Initiatives, studies and agendas", "Initiatives, études et agendas"),
    "topics": ("Topics", "Thèmes"),
    "documents": ("Documents", "Documents"),
    "links": ("Elsewhere", "Ailleurs"),
    "other": ("Other facts", "Autres faits"),
}
# Sections whose literals are shown in every language (names are facts in each language).
ALL_LANGUAGES = frozenset({"names"})
# The n-ary tables (posts, memberships, parties) come right after this section.
TABLES_AFTER = "places"

_RELATIONS: list[tuple[str, tuple[tuple[str, bool], ...], str, str]] = [
    ("names", (("rdfs:label", OUT), ("skos:prefLabel", OUT), ("foaf:name", OUT)), "Name", "Nom"),
    ("names", (("skos:altLabel", OUT),), "Also called", "Autres noms"),
    ("names", (("lgdg:formerName", OUT),), "Former name", "Ancien nom"),
    ("names", (("schema:givenName", OUT),), "Given name", "Prénom"),
    ("names", (("schema:familyName", OUT),), "Family name", "Nom de famille"),
    ("names", (("dcterms:title", OUT),), "Title", "Titre"),
    ("names", (("dcterms:identifier", OUT),), "Identifier", "Identifiant"),
    ("about", (("schema:description", OUT),), "Description", "Description"),
    ("about", (("skos:definition", OUT),), "Definition", "Définition"),
    ("about", (("rdfs:comment", OUT),), "Comment", "Commentaire"),
    ("about", (("skos:inScheme", OUT), ("skos:topConceptOf", OUT)), "In scheme", "Schéma"),
    ("about", (("skos:broader", OUT), ("skos:narrower", IN)), "Broader", "Plus général"),
    ("about", (("skos:narrower", OUT), ("skos:broader", IN)), "Narrower", "Plus précis"),
    ("about", (("skos:related", OUT), ("skos:related", IN)), "Related", "Voir aussi"),
    ("about", (("skos:inScheme", IN), ("skos:hasTopConcept", OUT)), "Concepts", "Concepts"),
    ("role", (("org:heldBy", OUT), ("org:holds", IN)), "Held by", "Occupé par"),
    ("role", (("org:postIn", OUT), ("org:hasPost", IN)), "In", "Dans"),
    ("role", (("org:member", OUT),), "Member", "Membre"),
    ("role", (("org:organization", OUT),), "Member of", "Membre de"),
    ("role", (("lgdg:partyAgent", OUT),), "Party", "Partie"),
    ("role", (("lgdg:agreement", OUT), ("lgdg:hasParty", IN)), "Agreement", "Accord"),
    ("role", (("org:role", OUT),), "Role", "Rôle"),
    ("role", (("lgdg:roleQualifier", OUT),), "Detail", "Précision"),
    ("role", (("lgdg:representedBy", OUT),), "Represented by", "Représentée par"),
    ("dates", (("schema:startDate", OUT),), "Start", "Début"),
    ("dates", (("schema:endDate", OUT),), "End", "Fin"),
    ("dates", (("lgdg:asOf", OUT),), "As of", "À la date du"),
    ("dates", (("schema:foundingDate", OUT),), "Founded", "Fondation"),
    ("dates", (("lgdg:foundingMemberCount", OUT),), "Founding members", "Membres fondateurs"),
    ("dates", (("lgdg:renamedOn", OUT),), "Renamed", "Changement de nom"),
    ("dates", (("lgdg:renamedAt", OUT),), "Renamed at", "Renommée lors de"),
    ("dates", (("lgdg:dateSigned", OUT),), "Signed", "Signature"),
    ("dates", (("lgdg:dateAdopted", OUT),), "Adopted", "Adoption"),
    ("dates", (("lgdg:launchDate", OUT),), "Launched", "Lancement"),
    ("dates", (("dcterms:issued", OUT),), "Published", "Publication"),
    ("dates", (("lgdg:reportedAttendance", OUT),), "Reported attendance", "Participants annoncés"),
    ("dates", (("lgdg:reportedCountryCount", OUT),), "Countries represented", "Pays représentés"),
    ("dates", (("schema:eventAttendanceMode", OUT),), "Attendance mode", "Mode de participation"),
    (
        "structure",
        (("org:subOrganizationOf", OUT), ("org:hasSubOrganization", IN)),
        "Part of",
        "Fait partie de",
    ),
    (
        "structure",
        (("org:hasSubOrganization", OUT), ("org:subOrganizationOf", IN)),
        "Sub-organizations",
        "Sous-organisations",
    ),
    ("places", (("lgdg:basedIn", OUT),), "Based in", "Basée à"),
    ("places", (("lgdg:governs", OUT),), "Governs", "Gouverne"),
    ("places", (("lgdg:governs", IN),), "Governed by", "Gouvernée par"),
    ("places", (("lgdg:country", OUT),), "Country", "Pays"),
    ("places", (("schema:location", OUT),), "Place", "Lieu"),
    ("places", (("schema:containedInPlace", OUT),), "Located in", "Situé dans"),
    ("places", (("org:hasSite", OUT), ("org:siteOf", IN)), "Seat and offices", "Siège et bureaux"),
    ("places", (("org:siteOf", OUT), ("org:hasSite", IN)), "Office of", "Bureau de"),
    ("places", (("lgdg:servesRegion", OUT),), "Region served", "Région desservie"),
    ("places", (("schema:containedInPlace", IN),), "Places here", "Lieux situés ici"),
    ("places", (("lgdg:basedIn", IN),), "Organizations based here", "Organisations basées ici"),
    ("places", (("lgdg:country", IN),), "Organizations of this country", "Organisations du pays"),
    ("people", (("schema:organizer", OUT),), "Organizers", "Organisateurs"),
    ("people", (("lgdg:host", OUT),), "Hosts", "Hôtes"),
    ("people", (("lgdg:convenedBy", OUT),), "Convened by", "Convoqué par"),
    ("people", (("lgdg:openedBy", OUT),), "Opened by", "Ouvert par"),
    ("people", (("lgdg:invitedBy", OUT),), "At the invitation of", "À l'invitation de"),
    ("people", (("lgdg:speaker", OUT),), "Speakers", "Intervenants"),
    ("people", (("lgdg:moderator", OUT),), "Moderators", "Modérateurs"),
    ("people", (("schema:attendee", OUT),), "Participants", "Participants"),
    ("events", (("schema:superEvent", OUT), ("schema:subEvent", IN)), "Part of", "Fait partie de"),
    (
        "events",
        (("schema:subEvent", OUT), ("schema:superEvent", IN)),
        "Sub-events",
        "Sous-événements",
    ),
    ("events", (("lgdg:inConjunctionWith", OUT),), "Held alongside", "Organisé en marge de"),
    ("events", (("lgdg:inConjunctionWith", IN),), "Events alongside", "Événements en marge"),
    ("events", (("schema:location", IN),), "Events held here", "Événements tenus ici"),
    ("events", (("schema:organizer", IN),), "Events organized", "Événements organisés"),
    ("events", (("lgdg:host", IN),), "Events hosted", "Événements accueillis"),
    ("events", (("lgdg:convenedBy", IN),), "Events convened", "Événements convoqués"),
    ("events", (("lgdg:openedBy", IN),), "Events opened", "Événements ouverts"),
    ("events", (("lgdg:invitedBy", IN),), "Events held at its invitation", "Invitations lancées"),
    ("events", (("lgdg:speaker", IN),), "Events where this person spoke", "A pris la parole à"),
    ("events", (("lgdg:moderator", IN),), "Events moderated", "Événements modérés"),
    ("events", (("schema:attendee", IN),), "Took part in", "A participé à"),
    ("events", (("lgdg:renamedAt", IN),), "Organizations renamed here", "Organisations renommées"),
    ("agreements", (("lgdg:adoptedAt", OUT),), "Adopted at", "Adopté lors de"),
    ("agreements", (("lgdg:adoptedAt", IN),), "Agreements adopted here", "Accords adoptés ici"),
    ("agreements", (("prov:wasGeneratedBy", OUT),), "Result of", "Issu de"),
    ("agreements", (("prov:wasGeneratedBy", IN),), "Results", "Résultats"),
    ("agreements", (("lgdg:annexTo", OUT),), "Annex to", "Annexe de"),
    ("agreements", (("lgdg:annexTo", IN),), "Annexes", "Annexes"),
    ("initiatives", (("lgdg:launchedBy", OUT),), "Launched by", "Lancée par"),
    ("initiatives", (("lgdg:ledBy", OUT),), "Led by", "Dirigée par"),
    ("initiatives", (("dcterms:creator", OUT),), "Authors", "Auteurs"),
    ("initiatives", (("lgdg:participant", OUT),), "Participants", "Participants"),
    ("initiatives", (("lgdg:presentedAt", OUT),), "Presented at", "Présentée lors de"),
    ("initiatives", (("lgdg:presentedBy", OUT),), "Presented by", "Présentée par"),
    ("initiatives", (("dcterms:isPartOf", OUT),), "Part of", "Fait partie de"),
    ("initiatives", (("dcterms:isPartOf", IN),), "Parts", "Composantes"),
    ("initiatives", (("lgdg:launchedBy", IN),), "Launched", "A lancé"),
    ("initiatives", (("lgdg:ledBy", IN),), "Leads", "Dirige"),
    ("initiatives", (("dcterms:creator", IN),), "Author of", "Auteur de"),
    ("initiatives", (("lgdg:participant", IN),), "Takes part in", "Participe à"),
    ("initiatives", (("lgdg:presentedAt", IN),), "Presented here", "Présentées ici"),
    ("initiatives", (("lgdg:presentedBy", IN),), "Presented", "A présenté"),
    ("topics", (("schema:about", OUT),), "Topics", "Thèmes"),
    ("topics", (("schema:about", IN),), "Subject of", "Sujet de"),
    ("documents", (("dcterms:publisher", OUT),), "Publisher", "Éditeur"),
    ("documents", (("dcterms:language", OUT),), "Language", "Langue"),
    ("documents", (("schema:url", OUT),), "Public page", "Page publique"),
    ("documents", (("dcterms:license", OUT),), "Licence", "Licence"),
    ("documents", (("dcterms:publisher", IN),), "Documents published", "Documents publiés"),
    ("documents", (("prov:wasDerivedFrom", IN),), "Facts taken from it", "Faits qui en sont tirés"),
    ("links", (("owl:sameAs", OUT), ("owl:sameAs", IN)), "Same as", "Identique à"),
    ("links", (("rdfs:seeAlso", OUT),), "See also", "Voir aussi"),
]


class Relation:
    """A named relation: its section, its position, and its en/fr names."""

    def __init__(self, section: str, order: int, en: str, fr: str) -> None:
        self.section, self.order, self.en, self.fr = section, order, en, fr

    def name(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


RELATIONS: dict[tuple[str, bool], Relation] = {}
for _order, (_section, _props, _en, _fr) in enumerate(_RELATIONS):
    _relation = Relation(_section, _order, _en, _fr)
    for _prop, _direction in _props:
        RELATIONS[(expand(_prop), _direction)] = _relation

# Shown elsewhere on the page: types in the heading, sources in their own section.
HIDDEN = frozenset({(expand("rdf:type"), OUT), (expand("rdf:type"), IN)})
HIDDEN |= {(expand("prov:wasDerivedFrom"), OUT)}

TABLES: dict[tuple[str, str], tuple[str, str]] = {
    ("org:Post", "org:heldBy"): ("Posts held", "Postes occupés"),
    ("org:Post", "org:postIn"): ("Posts: who holds which role", "Postes : qui occupe quel rôle"),
    ("org:Post", "org:role"): ("Posts with this role", "Postes ayant ce rôle"),
    ("org:Membership", "org:member"): ("Memberships", "Adhésions"),
    ("org:Membership", "org:organization"): ("Members", "Membres"),
    ("org:Membership", "org:role"): ("Memberships with this role", "Adhésions avec ce rôle"),
    ("lgdg:AgreementParty", "lgdg:agreement"): ("Parties", "Parties"),
    ("lgdg:AgreementParty", "lgdg:partyAgent"): ("Agreements", "Accords"),
    ("lgdg:AgreementParty", "lgdg:representedBy"): (
        "Agreements where this person represented a party",
        "Accords où cette personne représentait une partie",
    ),
    ("lgdg:AgreementParty", "org:role"): ("Parties with this role", "Parties ayant ce rôle"),
}

# Reused classes the ontology graph does not label.
CLASSES: dict[str, tuple[str, str]] = {
    expand("org:Organization"): ("Organization", "Organisation"),
    expand("org:OrganizationalUnit"): ("Organizational unit", "Unité organisationnelle"),
    expand("schema:Person"): ("Person", "Personne"),
    expand("schema:Event"): ("Event", "Événement"),
    expand("schema:City"): ("City", "Ville"),
    expand("schema:Country"): ("Country", "Pays"),
    expand("schema:Corporation"): ("Company", "Entreprise"),
    expand("schema:NewsArticle"): ("News article", "Article d'actualité"),
    expand("schema:Report"): ("Report", "Rapport"),
    expand("schema:CreativeWork"): ("Document", "Document"),
    expand("org:Site"): ("Site", "Site"),
    expand("org:Post"): ("Post", "Poste"),
    expand("org:Membership"): ("Membership", "Adhésion"),
    expand("org:Role"): ("Role", "Rôle"),
    expand("skos:Concept"): ("Concept", "Concept"),
    expand("skos:ConceptScheme"): ("Concept scheme", "Schéma de concepts"),
    expand("foaf:Document"): ("Document", "Document"),
}
