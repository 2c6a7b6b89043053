"""`medvigil serve` and `medvigil worker`: the web processes and the task workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Annotated

import typer

from medvigil.cli.output import command_group, console, errors
from medvigil.platform.setup import setup_django

app = command_group()


@app.command()
def worker(
    queue: Annotated[
        list[str] | None,
        typer.Option("--queue", help="Queue to serve (repeat); default: all queues"),
    ] = None,
    batch: Annotated[
        bool, typer.Option("--batch", help="Run the tasks that are ready, then exit")
    ] = False,
) -> None:
    """Run background tasks: interactive work first, then scheduled portfolio work."""
    setup_django()
    from medvigil.platform.queues import QUEUES
    from medvigil.platform.workers import run_worker

    chosen = tuple(queue) if queue else QUEUES
    unknown = [name for name in chosen if name not in QUEUES]
    if unknown:
        errors.print(f"[red]Unknown queue {', '.join(unknown)}[/red]; queues: {', '.join(QUEUES)}")
        raise typer.Exit(2)
    console.print(f"Worker serving queues {', '.join(chosen)}. Ctrl-C stops it.")
    run_worker(chosen, batch=batch)


def wait_until_answering(url: str, process: subprocess.Popen[bytes], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own loopback URL)
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    return False


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    dev: Annotated[
        bool, typer.Option("--dev", help="Development server with autoreload and debug pages")
    ] = False,
    workers: Annotated[int, typer.Option(help="Web processes (production form)")] = 2,
    with_worker: Annotated[
        bool, typer.Option("--with-worker", help="Also run a task worker in this terminal")
    ] = False,
) -> None:
    """Serve the web pages and the API (gunicorn; --dev for Django's autoreloading server)."""
    setup_django()
    from medvigil.platform.selectors import unapplied_migrations

    pending = unapplied_migrations()
    if pending:
        errors.print(
            f"[red]{len(pending)} database migration(s) not applied.[/red] Run: medvigil migrate"
        )
        raise typer.Exit(1)
    environment = dict(os.environ)
    if dev:
        environment["MEDVIGIL_DEBUG"] = "1"
        command = [sys.executable, "-m", "django", "runserver", f"{host}:{port}"]
    else:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "medvigil.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            # Link tokens in paths and query values stay out of the access log.
            "--logger-class",
            "medvigil.platform.logs.RedactingGunicornLogger",
            "--graceful-timeout",
            "10",
        ]
    # Children get their own session: a Ctrl-C reaches only this process, which
    # then stops each child exactly once.
    processes = [subprocess.Popen(command, env=environment, start_new_session=True)]  # noqa: S603
    if with_worker:
        worker_command = [sys.executable, "-m", "medvigil", "worker"]
        worker = subprocess.Popen(worker_command, env=environment, start_new_session=True)  # noqa: S603
        processes.append(worker)
    signal.signal(signal.SIGTERM, lambda *_: stop(processes))
    # A shell starting us in the background may leave SIGINT ignored: Ctrl-C must still work.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}"  # noqa: S104
    try:
        if wait_until_answering(f"{address}/api/v1/health", processes[0], 60):
            console.print(
                f"medvigil is serving at [bold]{address}[/bold] (API: {address}/api/v1/docs)"
            )
            console.print("Press Ctrl-C to stop.")
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        console.print("Stopping…")
    finally:
        stop(processes)
    failed = [
        process.returncode for process in processes if process.returncode not in (0, -15, None)
    ]
    raise typer.Exit(1 if failed else 0)
