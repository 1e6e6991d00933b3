"""The ``lodpub`` command line: the only place that prints and chooses exit codes."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

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
    serve = commands.add_parser(
        "serve", help="serve the current release over HTTP (builds one first if there is none)"
    )
    serve.add_argument("--host", help="address to listen on (setting `host`)")
    serve.add_argument("--port", type=int, help="port to listen on (setting `port`)")
    return parser


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from publisher.release import current_release
    from publisher.web.app import create_app

    if current_release(settings.release_dir) is None:
        print("no release yet: building one first", file=sys.stderr)
        run_build(settings, Progress())
    host = args.host or settings.host
    port = args.port or settings.port
    print(f"serving {settings.dataset_title} on http://{host}:{port}/", file=sys.stderr)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
    return EXIT_OK


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
        return _build(settings, args)
    except PublisherError as error:
        print(f"lodpub: {error}", file=sys.stderr)
        return EXIT_INPUT
    except Exception:
        traceback.print_exc()
        print("lodpub: internal error; please report it with the trace above", file=sys.stderr)
        return EXIT_INTERNAL
