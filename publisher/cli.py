"""The ``lodpub`` command line: the only place that prints and chooses exit codes."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from publisher import __version__
from publisher.build import run_build
from publisher.config import SETTINGS, Settings
from publisher.errors import ConformanceError, InputError, PublisherError
from publisher.progress import Progress

EXIT_OK, EXIT_NONCONFORMANT, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lodpub", description="Publish CSV facts as validated, versioned Linked Open Data."
    )
    parser.add_argument("--version", action="version", version=f"lodpub {__version__}")
    parser.add_argument(
        "--project", type=Path, default=Path.cwd(), help="project folder (default: here)"
    )
    parser.add_argument(
        "--help-settings", action="store_true", help="list the settings and their defaults"
    )
    commands = parser.add_subparsers(dest="command")
    build = commands.add_parser("build", help="check, map and validate data/, then write a release")
    build.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    build.add_argument(
        "--json", action="store_true", help="print the result (or the errors) as JSON on stdout"
    )
    build.add_argument(
        "--push", action="store_true", help="then load the release into the remote store (`store`)"
    )
    push = commands.add_parser(
        "push", help="load a release into the remote store (setting `store`) and switch to it"
    )
    push.add_argument("--release", metavar="VERSION", help="release to push (default: current)")
    serve = commands.add_parser(
        "serve", help="serve the current release over HTTP (builds one first if there is none)"
    )
    serve.add_argument("--host", help="address to listen on (setting `host`)")
    serve.add_argument("--port", type=int, help="port to listen on (setting `port`)")
    serve.add_argument(
        "--workers", type=int, help="processes answering requests (setting `web_workers`)"
    )
    link = commands.add_parser("link", help="propose links to other datasets, merge reviewed ones")
    targets = link.add_subparsers(dest="target", required=True)
    wikidata = targets.add_parser(
        "wikidata", help="write Wikidata candidates for unlinked entities, or merge accepted ones"
    )
    wikidata.add_argument(
        "--review",
        type=Path,
        metavar="FILE",
        help="review file to write (default review/wikidata-candidates.csv)",
    )
    wikidata.add_argument(
        "--endpoint", metavar="URL", help="SPARQL endpoint (setting `wikidata_endpoint`)"
    )
    wikidata.add_argument(
        "--limit", type=int, metavar="N", help="search at most N unlinked entities"
    )
    wikidata.add_argument(
        "--merge", type=Path, metavar="FILE", help="merge FILE's accepted rows into the links"
    )
    export = commands.add_parser("export", help="write the current release's facts for others")
    formats = export.add_subparsers(dest="format", required=True)
    quickstatements = formats.add_parser(
        "quickstatements", help="facts of linked entities that fit Wikidata, for an editor"
    )
    quickstatements.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE (default: stdout)"
    )
    return parser


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from publisher.release import current_release
    from publisher.web.app import PROJECT_VARIABLE, create_app

    store = None
    if settings.remote_store:
        from publisher.remote.store import RemoteStore

        store = RemoteStore(settings)  # fails here, not inside the server, without a release
    elif current_release(settings.release_dir) is None:
        print("no release yet: building one first", file=sys.stderr)
        run_build(settings, Progress())
    host = args.host or settings.host
    port = args.port or settings.port
    source = settings.remote_store or _shown(settings.release_dir, settings.root)
    if args.workers is not None and args.workers < 1:
        raise PublisherError(f"--workers must be positive: {args.workers}")
    workers = args.workers or settings.web_workers
    print(f"serving {source} on http://{host}:{port}/ ({workers} worker(s))", file=sys.stderr)
    if workers == 1:
        uvicorn.run(create_app(settings, store), host=host, port=port, log_level="warning")
        return EXIT_OK
    os.environ[PROJECT_VARIABLE] = str(settings.root)  # the workers' processes read it
    uvicorn.run(
        "publisher.web.app:app_for_project",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
    )
    return EXIT_OK


def _push(settings: Settings, version: str | None, progress: Progress, out: TextIO) -> int:
    from publisher.release import RELEASES, Release, current_release
    from publisher.remote.push import push_release

    if not settings.remote_store:
        print(
            "lodpub push: set `store` to a remote SPARQL store (sparql+http://…)", file=sys.stderr
        )
        return EXIT_INPUT
    release = current_release(settings.release_dir)
    if version:
        path = settings.release_dir / RELEASES / version
        release = Release(path, version) if path.is_dir() else None
    if release is None:
        print(f"lodpub push: no release {version or 'yet'}: run `lodpub build`", file=sys.stderr)
        return EXIT_INPUT
    try:
        result = push_release(settings, release, progress)
    except PublisherError as error:
        print(f"lodpub push: {error}", file=sys.stderr)
        print("readers still see the release the store served before", file=sys.stderr)
        return EXIT_INPUT
    if result.unchanged:
        print(f"{settings.remote_store} already serves release {result.version}", file=out)
    else:
        print(
            f"{settings.remote_store} now serves release {result.version} "
            f"({result.graphs} graphs, {result.triples} triples, {result.seconds:.1f} s; "
            f"before: {result.previous or 'none'})",
            file=out,
        )
    return EXIT_OK


def _link(settings: Settings, args: argparse.Namespace) -> int:
    from publisher.linking.merge import merge_review
    from publisher.linking.propose import propose
    from publisher.linking.review import DEFAULT_PATH

    if args.merge and (args.review or args.endpoint or args.limit is not None):
        print("lodpub link: --merge takes no --review, --endpoint or --limit", file=sys.stderr)
        return EXIT_INPUT
    if args.limit is not None and args.limit < 1:
        print("lodpub link: --limit must be positive", file=sys.stderr)
        return EXIT_INPUT
    try:
        if args.merge:
            merged = merge_review(settings, args.merge.resolve(), datetime.date.today())
            links = _shown(merged.links_path, settings.root)
            print(f"{len(merged.added)} link(s) added to {links}, {merged.unchanged} already there")
            return EXIT_OK
        review = (args.review or settings.root / DEFAULT_PATH).resolve()
        found = propose(settings, review, args.endpoint, args.limit, Progress())
    except PublisherError as error:
        if isinstance(error, InputError):
            error = error.relative_to(settings.root)
        print(f"lodpub link: {error}", file=sys.stderr)
        return EXIT_INPUT
    shown = _shown(review, settings.root)
    print(
        f"{found.candidates} candidate(s) for {found.found} of {found.searched} entities in "
        f"{shown}: mark the right ones accepted (yes), then run "
        f"lodpub link wikidata --merge {shown}"
    )
    return EXIT_OK


def _export(settings: Settings, args: argparse.Namespace) -> int:
    from publisher.quickstatements import statements, write_lines
    from publisher.release import current_release
    from publisher.store import EmbeddedStore

    release = current_release(settings.release_dir)
    if release is None:
        print(
            f"lodpub export: no release in {settings.release_dir}: run `lodpub build` first",
            file=sys.stderr,
        )
        return EXIT_INPUT
    store = EmbeddedStore(release.path, workers=1)
    try:
        found = statements(store, settings)
    finally:
        store.close()
    if args.output:
        args.output.write_text(write_lines(found), "utf-8")
        print(f"{len(found)} statement(s) written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(write_lines(found))
    return EXIT_OK


def _shown(path: Path, root: Path) -> Path:
    return path.relative_to(root) if path.is_relative_to(root) else path


def _error_json(error: PublisherError) -> dict[str, object]:
    if isinstance(error, ConformanceError):
        return {
            "error": "nonconformant",
            "violations": [
                {
                    "focus_node": v.focus_node,
                    "path": v.path,
                    "message": v.message,
                    "value": v.value,
                    "row": str(v.row) if v.row else None,
                }
                for v in error.violations
            ],
        }
    if isinstance(error, InputError):
        return {
            "error": type(error).__name__,
            "problems": [
                {
                    "path": p.location.path,
                    "row": p.location.row,
                    "column": p.location.column,
                    "reason": p.reason,
                }
                for p in error.problems
            ],
        }
    return {"error": type(error).__name__, "message": str(error)}


def _build(settings: Settings, args: argparse.Namespace) -> int:
    progress = Progress(enabled=not (args.quiet or args.json))
    try:
        result = run_build(settings, progress)
    except PublisherError as error:
        if isinstance(error, InputError | ConformanceError):
            error = error.relative_to(settings.root)
        if args.json:
            print(json.dumps(_error_json(error), indent=2))
        else:
            print(f"lodpub build: {error}", file=sys.stderr)
            print("nothing was published; the previous release is unchanged", file=sys.stderr)
        return EXIT_NONCONFORMANT if isinstance(error, ConformanceError) else EXIT_INPUT
    if args.json:
        print(json.dumps(result.summary(), indent=2))
    elif not args.quiet:
        print(f"release {result.release.version}: {result.triples} triples, 0 violations")
    if args.push:
        return _push(
            settings, result.release.version, progress, sys.stderr if args.json else sys.stdout
        )
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    if args.help_settings:
        for setting in SETTINGS:
            print(f"{setting.name} (default {setting.default!r}): {setting.help}")
        return EXIT_OK
    if args.command is None:
        _parser().print_help()
        return EXIT_INPUT
    try:
        settings = Settings.load(args.project.resolve(), os.environ)
        if args.command == "serve":
            return _serve(settings, args)
        if args.command == "link":
            return _link(settings, args)
        if args.command == "export":
            return _export(settings, args)
        if args.command == "push":
            return _push(settings, args.release, Progress(), sys.stdout)
        return _build(settings, args)
    except PublisherError as error:
        print(f"lodpub: {error}", file=sys.stderr)
        return EXIT_INPUT
    except Exception:
        traceback.print_exc()
        print("lodpub: internal error; please report it with the trace above", file=sys.stderr)
        return EXIT_INTERNAL
