"""Command line: the GUI by default, subcommands for headless work.

Building the parser imports only the subcommands' argument definitions: each command imports
its engine (pyHanko, PyMuPDF, SQLAlchemy, Qt) when it runs, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from intake_desktop import __version__, audit_cli, logs, serve_cli, verify_cli


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="intake-desktop",
        description="Intake Desktop — tiếp nhận hồ sơ trực tuyến và kiểm tra chữ ký số.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--test-mode",
        nargs="?",
        const="on",
        choices=("on", "auto"),
        help="start in test mode: demo data, own database, nothing sent to a server; "
        "'auto': only when no server is configured yet (what 'make run' does)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command")
    verify_cli.add_parser(sub)
    serve_cli.add_parser(sub)
    audit_cli.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    logs.configure(args.verbose)
    if args.command is None:
        from intake_desktop.app import run_gui

        return run_gui(test_mode=args.test_mode == "on", test_mode_if_new=args.test_mode == "auto")
    try:
        return int(args.handler(args))
    except BrokenPipeError:
        # The reader went away (``| head``): the rest of the result has nowhere to go.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
