"""Settings: ``[tool.lodpub]`` in pyproject.toml, overridden by ``LODPUB_<NAME>`` variables."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from publisher.errors import PublisherError


class Setting(NamedTuple):
    """One documented setting."""

    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("base_iri", "https://w3id.org/lgdg/", "Canonical base of every IRI the dataset mints."),
    Setting("data_dir", "data", "Folder of the CSV tables and their CSVW metadata."),
    Setting("mappings_dir", "mappings", "Folder of the SPARQL CONSTRUCT mappings, one per table."),
    Setting("ontology_dir", "ontology", "Folder of the vocabulary and concept schemes (Turtle)."),
    Setting("shapes_dir", "shapes", "Folder of the SHACL shapes (Turtle)."),
    Setting("release_dir", "build", "Folder of the versioned releases and the `current` link."),
    Setting("dataset_title", "Local and Regional Digital Governance", "Title of the dataset."),
    Setting("dump_name", "lgdg", "File name stem of the dumps."),
    Setting(
        "license",
        "https://creativecommons.org/licenses/by/4.0/",
        "IRI of the licence under which the data is published.",
    ),
    Setting("keep_releases", "5", "How many releases to keep on disk, the current one included."),
    Setting("host", "127.0.0.1", "Address `lodpub serve` listens on."),
    Setting("port", "8000", "Port `lodpub serve` listens on."),
    Setting("sparql_timeout_s", "10", "Time limit of one public SPARQL query, in seconds."),
    Setting("sparql_row_limit", "10000", "Most rows (or triples) one SPARQL answer returns."),
    Setting("max_query_bytes", "65536", "Largest SPARQL query or request body accepted, in bytes."),
    Setting(
        "query_workers",
        "2",
        "Worker processes (embedded) or store connections (remote) for public SPARQL queries.",
    ),
    Setting(
        "web_workers",
        "1",
        "Processes `lodpub serve` answers requests in; each has its own `query_workers`.",
    ),
    Setting(
        "sparql_allowed_services",
        "https://query.wikidata.org/sparql",
        "Space-separated SPARQL endpoints a query may call with SERVICE.",
    ),
    Setting(
        "wikidata_endpoint",
        "https://query.wikidata.org/sparql",
        "SPARQL endpoint `lodpub link wikidata` searches for candidate items.",
    ),
    Setting(
        "linker_user_agent",
        "lodpub/{version} (https://w3id.org/lgdg/; Wikidata linker)",
        "User-Agent the linker sends; `{version}` becomes lodpub's version.",
    ),
    Setting("linker_pause_s", "1", "Pause between two requests of the linker, in seconds."),
    Setting("linker_batch_size", "10", "Entities (or items) the linker asks about per query."),
    Setting("linker_retries", "3", "Retries of a linker request answered 429 or 5xx."),
    Setting(
        "store",
        "embedded",
        "`embedded` (pyoxigraph in the release folder) or `sparql+http://…` (a remote store's "
        "SPARQL query endpoint).",
    ),
    Setting(
        "store_update_url",
        "",
        "SPARQL Update endpoint of the remote store (default: its query endpoint).",
    ),
    Setting(
        "store_graph_store_url",
        "",
        "Graph Store HTTP Protocol endpoint of the remote store (default: none, load with "
        "INSERT DATA).",
    ),
    Setting(
        "store_auth", "basic", "HTTP authentication the remote store asks for: basic or digest."
    ),
    Setting("store_user", "", "User name for the remote store's update and graph store endpoints."),
    Setting(
        "store_password",
        "",
        "Password for the remote store; from the environment only (LODPUB_STORE_PASSWORD).",
    ),
    Setting("store_batch_triples", "50000", "Triples sent to the remote store per request."),
)
ENV_ONLY = frozenset(("store_password",))

ENV_PREFIX = "LODPUB_"
REMOTE_SCHEMES = ("sparql+http://", "sparql+https://")


@dataclass(frozen=True)
class Settings:
    """Where the project's inputs are and how a release is made."""

    root: Path
    base_iri: str
    data_dir: Path
    mappings_dir: Path
    ontology_dir: Path
    shapes_dir: Path
    release_dir: Path
    dataset_title: str
    dump_name: str
    license: str
    keep_releases: int
    host: str
    port: int
    sparql_timeout_s: float
    sparql_row_limit: int
    max_query_bytes: int
    query_workers: int
    web_workers: int
    sparql_allowed_services: tuple[str, ...]
    wikidata_endpoint: str
    linker_user_agent: str
    linker_pause_s: float
    linker_batch_size: int
    linker_retries: int
    store: str
    store_update_url: str
    store_graph_store_url: str
    store_auth: str
    store_user: str
    store_password: str
    store_batch_triples: int

    @classmethod
    def load(cls, root: Path, env: Mapping[str, str] | None = None) -> Settings:
        """Read ``root/pyproject.toml`` then apply ``LODPUB_*`` overrides from ``env``."""
        values = {s.name: s.default for s in SETTINGS}
        pyproject = root / "pyproject.toml"
        if pyproject.is_file():
            try:
                table = (
                    tomllib.loads(pyproject.read_text("utf-8")).get("tool", {}).get("lodpub", {})
                )
            except tomllib.TOMLDecodeError as exc:
                raise PublisherError(f"{pyproject}: {exc}") from exc
            unknown = set(table) - set(values)
            if unknown:
                raise PublisherError(
                    f"{pyproject}: unknown [tool.lodpub] setting(s): {sorted(unknown)}"
                )
            if secret := sorted(ENV_ONLY & set(table)):
                raise PublisherError(
                    f"{pyproject}: {', '.join(secret)} may not be written in a file; set "
                    + ", ".join(ENV_PREFIX + name.upper() for name in secret)
                    + " in the environment"
                )
            values.update({k: str(v) for k, v in table.items()})
        for name in values:
            override = (env or {}).get(ENV_PREFIX + name.upper())
            if override is not None:
                values[name] = override
        return cls.from_values(root, values)

    @classmethod
    def from_values(cls, root: Path, values: Mapping[str, str]) -> Settings:
        """Type the raw string values; folders are relative to ``root``."""
        if not values["base_iri"].endswith("/"):
            raise PublisherError(f"base_iri must end with '/': {values['base_iri']!r}")
        numbers: dict[str, float] = {}
        for name, kind, zero_allowed in (
            ("keep_releases", int, False),
            ("port", int, False),
            ("sparql_timeout_s", float, False),
            ("sparql_row_limit", int, False),
            ("max_query_bytes", int, False),
            ("query_workers", int, False),
            ("web_workers", int, False),
            ("linker_pause_s", float, True),
            ("linker_batch_size", int, False),
            ("linker_retries", int, True),
            ("store_batch_triples", int, False),
        ):
            try:
                numbers[name] = kind(values[name])
            except ValueError as exc:
                raise PublisherError(f"{name} must be a number: {values[name]!r}") from exc
            if numbers[name] < 0 or (numbers[name] == 0 and not zero_allowed):
                bound = "zero or more" if zero_allowed else "positive"
                raise PublisherError(f"{name} must be {bound}: {values[name]!r}")
        if values["store"] != "embedded" and not values["store"].startswith(REMOTE_SCHEMES):
            raise PublisherError(
                f"store must be `embedded` or a SPARQL endpoint written sparql+http://… or "
                f"sparql+https://…: {values['store']!r}"
            )
        if values["store_auth"] not in ("basic", "digest"):
            raise PublisherError(f"store_auth must be basic or digest: {values['store_auth']!r}")
        folders = {
            f.name: root / values[f.name]
            for f in dataclasses.fields(cls)
            if f.name.endswith("_dir")
        }
        return cls(
            root=root,
            base_iri=values["base_iri"],
            dataset_title=values["dataset_title"],
            dump_name=values["dump_name"],
            license=values["license"],
            keep_releases=int(numbers["keep_releases"]),
            host=values["host"],
            port=int(numbers["port"]),
            sparql_timeout_s=numbers["sparql_timeout_s"],
            sparql_row_limit=int(numbers["sparql_row_limit"]),
            max_query_bytes=int(numbers["max_query_bytes"]),
            query_workers=int(numbers["query_workers"]),
            web_workers=int(numbers["web_workers"]),
            sparql_allowed_services=tuple(values["sparql_allowed_services"].split()),
            wikidata_endpoint=values["wikidata_endpoint"],
            linker_user_agent=values["linker_user_agent"],
            linker_pause_s=numbers["linker_pause_s"],
            linker_batch_size=int(numbers["linker_batch_size"]),
            linker_retries=int(numbers["linker_retries"]),
            store=values["store"],
            store_update_url=values["store_update_url"],
            store_graph_store_url=values["store_graph_store_url"],
            store_auth=values["store_auth"],
            store_user=values["store_user"],
            store_password=values["store_password"],
            store_batch_triples=int(numbers["store_batch_triples"]),
            **folders,
        )

    def replace(self, **changes: object) -> Settings:
        """A copy with some values changed (tests point folders elsewhere)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    @property
    def remote_store(self) -> str | None:
        """The query endpoint of the remote store, or None for the embedded one."""
        return None if self.store == "embedded" else self.store.removeprefix("sparql+")

    @property
    def vocabulary_iri(self) -> str:
        return f"{self.base_iri}def#"

    @property
    def dataset_iri(self) -> str:
        return f"{self.base_iri}dataset"

    def source_graph(self, slug: str) -> str:
        """IRI of the named graph holding the facts of one source document."""
        return f"{self.base_iri}graph/source/{slug}"

    def table_graph(self, table: str) -> str:
        """IRI of the named graph of a table mapped without sources (e.g. the Wikidata links)."""
        return f"{self.base_iri}graph/{table}"

    @property
    def ontology_graph(self) -> str:
        return f"{self.base_iri}graph/ontology"

    @property
    def description_graph(self) -> str:
        return f"{self.base_iri}graph/dataset"

    @property
    def tombstone_graph(self) -> str:
        return f"{self.base_iri}graph/tombstones"
