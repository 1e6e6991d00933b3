"""Search an endpoint for items that may be the entities without a confirmed link.

The entities, their names and countries come from the project's tables (no release needed):
they are what maintainers edit, and the links they confirm go back into the same folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from publisher import __version__
from publisher.config import Settings
from publisher.errors import Problem, ReviewError
from publisher.linking.client import SparqlClient
from publisher.linking.entities import Entity, Link, confirmed_links, read_entities
from publisher.linking.queries import (
    Hit,
    Item,
    candidates_query,
    details_query,
    read_hits,
    read_items,
)
from publisher.linking.review import read_review, write_review
from publisher.linking.scoring import Candidate, score
from publisher.progress import Progress
from publisher.sources import read_tables

MAX_CANDIDATES = 5  # the best-scored items kept per entity
T = TypeVar("T")


@dataclass(frozen=True)
class Proposal:
    """What a search found and wrote."""

    review_path: Path
    searched: int  # entities looked up
    found: int  # entities with at least one candidate
    candidates: int
    requests: int


def user_agent(settings: Settings) -> str:
    """The linker's User-Agent, with lodpub's version filled in."""
    return settings.linker_user_agent.replace("{version}", __version__)


def propose(
    settings: Settings,
    review_path: Path,
    endpoint: str | None = None,
    limit: int | None = None,
    progress: Progress | None = None,
) -> Proposal:
    """Search candidates for (at most ``limit``) unlinked entities; write them for review."""
    progress = progress or Progress(enabled=False)
    with progress.stage("read the tables"):
        tables = read_tables(settings.data_dir)
        links = confirmed_links(tables)
        _refuse_unmerged(review_path, links)
        unlinked = [e for e in read_entities(tables, links) if e.key not in links]
        entities = unlinked[:limit]
        progress.note(f"{len(entities)} of {len(unlinked)} unlinked entities to search")
    client = SparqlClient(
        endpoint or settings.wikidata_endpoint,
        user_agent(settings),
        settings.linker_pause_s,
        settings.linker_retries,
    )
    with progress.stage(f"search {client.endpoint}"):
        candidates = search(client, entities, settings.linker_batch_size)
        progress.note(f"{len(candidates)} candidates, {client.requests} requests")
    with progress.stage("write the review file"):
        write_review(review_path, candidates)
    return Proposal(
        review_path=review_path,
        searched=len(entities),
        found=len({c.entity for c in candidates}),
        candidates=len(candidates),
        requests=client.requests,
    )


def search(client: SparqlClient, entities: Sequence[Entity], batch_size: int) -> list[Candidate]:
    """The best candidates of each entity, scored, in the entities' order."""
    hits: dict[tuple[str, str], list[Hit]] = {}
    for batch in _batches(entities, batch_size):
        for hit in read_hits(client.select(candidates_query(batch)), batch):
            hits.setdefault((hit.entity, hit.item), []).append(hit)
    items: dict[str, Item] = {}
    for iris in _batches(sorted({iri for _, iri in hits}), batch_size):
        read_items(client.select(details_query(iris)), items)
    by_key = {entity.key: entity for entity in entities}
    scored: dict[str, list[Candidate]] = {}
    for (key, iri), found in hits.items():
        candidate = score(by_key[key], items.get(iri, Item(iri)), found)
        scored.setdefault(key, []).append(candidate)
    ranked = []
    for entity in entities:
        best = sorted(scored.get(entity.key, []), key=lambda c: (-c.score, len(c.qid), c.qid))
        ranked.extend(best[:MAX_CANDIDATES])
    return ranked


def _refuse_unmerged(review_path: Path, links: dict[str, Link]) -> None:
    """Refuse to overwrite a review file whose accepted rows are not merged yet."""
    if not review_path.exists():
        return
    problems = []
    for row in read_review(review_path):
        link = links.get(row.get("entity"))
        if row.accepted and (link is None or link.qid != row.get("qid")):
            reason = (
                "accepted but not merged: merge this file (lodpub link wikidata --merge FILE) "
                "or choose another --review file"
            )
            problems.append(Problem(row.location, reason))
    if problems:
        raise ReviewError(problems)


def _batches(values: Sequence[T], size: int) -> list[Sequence[T]]:
    return [values[i : i + size] for i in range(0, len(values), size)]
