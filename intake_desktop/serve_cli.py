"""``intake-desktop serve``: the training server (máy chủ đào tạo) for a classroom.

It plays the provincial procedure system over HTTP, as ``resources/api/openapi.json`` says
(or, with ``--flavor igate``, as VNPT iGate does: ``docs/adapters/igate.md``),
with demo dossiers and classroom accounts, from its own data folder. A trainer runs it on
one laptop; trainees' apps connect to it.
"""

from __future__ import annotations

import argparse
import logging
import signal
import socket
import sys
from pathlib import Path
from types import FrameType
from typing import TextIO

from intake_desktop import paths

DEFAULT_PORT = 8750
DEFAULT_COUNT = 30
FLAVORS = ("contract", "igate")
"""What ``--flavor`` accepts: the app's own contract, or the VNPT iGate imitation."""

log = logging.getLogger(__name__)


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``serve`` subcommand."""
    p = subparsers.add_parser(
        "serve",
        help="run the training server (máy chủ đào tạo) with demo dossiers",
        description="Run the training server: the dossier contract over HTTP with DEMO "
        "dossiers and classroom accounts (giangvien and canbo01…canbo30, password "
        "matkhau123). The first start seeds the data folder (signing the demo PDFs takes a "
        "while); later starts serve it as left. Prints the accounts, then "
        "'SERVING <url>' once it accepts connections. Stop with Ctrl+C.",
        epilog="Reset: --reset restores the seeded dossiers and forgets every decision before "
        "serving; --reset-only does it and exits. While it runs, the trainer can reset with "
        "POST /api/v1/_training/reset. Trainer routes (account giangvien): "
        "GET /api/v1/_training/decisions, GET /api/v1/_training/dossiers, and with "
        "--fault-injection GET/POST/DELETE /api/v1/_training/faults.",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only; "
        "0.0.0.0 for the classroom network)",
    )
    p.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any)"
    )
    p.add_argument(
        "--data",
        "--data-dir",
        dest="data",
        type=Path,
        metavar="DIR",
        help="data folder (default: the app's data folder/server)",
    )
    p.add_argument(
        "--count",
        "--dossiers",
        dest="count",
        type=_positive,
        default=DEFAULT_COUNT,
        metavar="N",
        help=f"demo dossiers to seed (default {DEFAULT_COUNT})",
    )
    p.add_argument("--seed", type=int, default=0, metavar="S", help="demo data seed (default 0)")
    p.add_argument(
        "--decided",
        type=_not_negative,
        default=0,
        metavar="N",
        help="of the seeded dossiers, how many other officers (canbo02…canbo05) already "
        "decided, with their verdict snapshots: a history for the supervisor's audit "
        "(account giamsat); default 0",
    )
    p.add_argument(
        "--reset",
        action="store_true",
        help="restore the seeded dossiers (or seed anew if --count/--seed changed) before serving",
    )
    p.add_argument("--reset-only", action="store_true", help="reset the data folder and exit")
    p.add_argument(
        "--token-ttl",
        type=_positive,
        default=300,
        metavar="SECONDS",
        help="lifetime of a sign-in token (default 300, like VNPT iGate's)",
    )
    p.add_argument(
        "--flavor",
        choices=FLAVORS,
        default="contract",
        help="which system to play: contract (the app's own API, default) or igate (an "
        "imitation of VNPT iGate: Keycloak sign-in at /auth/realms/digo, /pa/dossier/…, "
        "/fi/file/…; see docs/adapters/igate.md)",
    )
    p.add_argument(
        "--fault-injection",
        action="store_true",
        help="let the trainer inject network faults (POST /api/v1/_training/faults)",
    )
    p.set_defaults(handler=run)


def _not_negative(text: str) -> int:
    return 0 if text.strip() == "0" else _positive(text)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {value}")
    return value


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Prepare the data folder and serve until Ctrl+C (or SIGTERM). Returns the exit code."""
    # Imported here: the GUI and the other subcommands don't need Flask or waitress.
    from intake_desktop.server.accounts import DEFAULT_PASSWORD, default_accounts
    from intake_desktop.server.app import create_app
    from intake_desktop.server.db import ServerDataError
    from intake_desktop.server.seed import prepare_data_dir
    from intake_desktop.server.serving import SERVING_PREFIX, WaitressServer, bind
    from intake_desktop.server.state import ServerConfig, server_state

    out = out or sys.stdout
    logging.getLogger("intake_desktop.server").setLevel(logging.INFO)
    data_dir: Path = args.data or paths.data_dir() / "server"
    try:
        sock = None if args.reset_only else bind(args.host, args.port)
    except OSError as error:
        print(f"error: cannot listen on {args.host}:{args.port}: {error.strerror}", file=sys.stderr)
        return 2
    server: WaitressServer | None = None
    try:
        if args.reset or args.reset_only or not (data_dir / "server.sqlite3").exists():
            print(
                f"Preparing {data_dir}: {args.count} demo dossiers (seed {args.seed})…",
                file=sys.stderr,
                flush=True,
            )
        info = prepare_data_dir(
            data_dir,
            count=args.count,
            seed=args.seed,
            reset=args.reset or args.reset_only,
            decided=args.decided,
        )
        if args.reset_only:
            print(f"Reset {data_dir}: {info.count} demo dossiers (seed {info.seed}).", file=out)
            return 0
        if (info.count, info.seed) != (args.count, args.seed):
            print(
                f"note: {data_dir} holds {info.count} dossiers of seed {info.seed}; "
                "add --reset to seed it with the values given",
                file=sys.stderr,
            )
        config = ServerConfig(
            data_dir,
            token_ttl=args.token_ttl,
            fault_injection=args.fault_injection,
            flavor=args.flavor,
        )
        app = create_app(config)
        assert sock is not None
        try:
            server = WaitressServer(app, sock)
        except BaseException:
            server_state(app).close()
            raise
    except ServerDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted; the data folder is as it was.", file=sys.stderr)
        return 130
    finally:
        if sock is not None and server is None:
            sock.close()  # otherwise the server owns it

    accounts = default_accounts()
    print("Intake Desktop — máy chủ đào tạo (training server). DEMO data only.", file=out)
    print(f"Data: {data_dir} — {info.count} demo dossiers (seed {info.seed})", file=out)
    if args.flavor == "igate":
        from intake_desktop.services.adapters.igate import DEFAULT_CLIENT_ID, DEFAULT_REALM

        print(
            f"Flavor: VNPT iGate imitation — realm {DEFAULT_REALM}, client id "
            f'{DEFAULT_CLIENT_ID} (choose "VNPT iGate" in the app).',
            file=out,
        )
    print(f"Accounts (password for all: {DEFAULT_PASSWORD}):", file=out)
    for account in accounts:
        role = "".join(f"  [{name}]" for name in account.roles[1:])
        print(f"  {account.username:<10} {account.name} — {account.unit}{role}", file=out)
    print(
        f"Tokens last {args.token_ttl} s. Fault injection: "
        f"{'on' if args.fault_injection else 'off'}.",
        file=out,
    )
    if args.host in ("0.0.0.0", "::", ""):
        addresses = _lan_addresses()
        for address in addresses:
            print(f"On the classroom network: http://{address}:{server.port}", file=out)
        if not addresses:
            print(
                f"On the classroom network: http://<this computer's address>:{server.port}",
                file=out,
            )
        print(
            "warning: reachable from the network with a well-known password: "
            "use it on a classroom network only.",
            file=out,
        )
    print("Stop with Ctrl+C.", file=out)
    print(f"{SERVING_PREFIX}{server.url}", file=out, flush=True)

    # Ctrl+C stops the server even when started from a shell that ignores SIGINT for
    # background jobs (as test runners and scripts do).
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    previous_term = signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        server.run()  # returns on Ctrl+C or SIGTERM
    finally:
        signal.signal(signal.SIGINT, previous_int)
        signal.signal(signal.SIGTERM, previous_term)
        server.stop()
    print("Training server stopped.", file=sys.stderr)
    return 0


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)  # waitress's loop stops on SystemExit as on Ctrl+C


def _lan_addresses() -> list[str]:
    """IPv4 addresses of this computer other than loopback, as its name resolves (best effort)."""
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return sorted({str(info[4][0]) for info in infos if not str(info[4][0]).startswith("127.")})
