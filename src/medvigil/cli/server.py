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
    if batch:
        # A long-running worker recovers lost tasks with its heartbeats; a batch run has
        # none, so it does once before it drains the queues (a cron-driven installation).
        from medvigil.operations.recovery import recover_lost_tasks

        recovery = recover_lost_tasks()
        if recovery.requeued or recovery.failed:
            console.print(
                f"Lost tasks (their worker died): {len(recovery.requeued)} put back on "
                f"their queue, {len(recovery.failed)} failed after too many attempts."
            )
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


class WorkerKeeper:
    """The task worker of `serve --with-worker`, started again when it dies.

    Restarts wait 1, 2, 4… seconds (at most `MAXIMUM_BACKOFF_SECONDS`); a
    worker that stayed up `STEADY_SECONDS` resets the wait. Its lost task is
    put back on the queue by the new worker (see `medvigil.operations.recovery`).
    """

    MAXIMUM_BACKOFF_SECONDS = 60.0
    STEADY_SECONDS = 60.0

    def __init__(self, environment: dict[str, str]) -> None:
        self.environment = environment
        self.backoff = 1.0
        self.restart_at: float | None = None
        self.process = self.start()

    def start(self) -> subprocess.Popen[bytes]:
        self.started = time.monotonic()
        command = [sys.executable, "-m", "medvigil", "worker"]
        return subprocess.Popen(command, env=self.environment, start_new_session=True)  # noqa: S603

    def watch(self) -> None:
        """Called in the serving loop: notice a dead worker, restart it when its wait is over."""
        now = time.monotonic()
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.restart_at = None
                self.process = self.start()
            return
        code = self.process.poll()
        if code is None:
            return
        if now - self.started >= self.STEADY_SECONDS:
            self.backoff = 1.0
        errors.print(
            f"[yellow]The task worker stopped (exit {code}); "
            f"starting it again in {self.backoff:.0f} s.[/yellow]"
        )
        self.restart_at = now + self.backoff
        self.backoff = min(self.backoff * 2, self.MAXIMUM_BACKOFF_SECONDS)


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
    web = subprocess.Popen(command, env=environment, start_new_session=True)  # noqa: S603
    keeper = WorkerKeeper(environment) if with_worker else None

    def children() -> list[subprocess.Popen[bytes]]:
        return [web, keeper.process] if keeper else [web]

    stopping = False

    def stop_all(*_: object) -> None:
        nonlocal stopping
        stopping = True
        stop(children())

    signal.signal(signal.SIGTERM, stop_all)
    # A shell starting us in the background may leave SIGINT ignored: Ctrl-C must still work.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}"  # noqa: S104
    try:
        if wait_until_answering(f"{address}/api/v1/health", web, 60):
            console.print(
                f"medvigil is serving at [bold]{address}[/bold] (API: {address}/api/v1/docs)"
            )
            console.print("Press Ctrl-C to stop.")
        # The web server ends the command; a dying worker is only started again.
        while web.poll() is None and not stopping:
            if keeper:
                keeper.watch()
            time.sleep(0.5)
    except KeyboardInterrupt:
        console.print("Stopping…")
    finally:
        stop(children())
    raise typer.Exit(1 if web.returncode not in (0, -15, None) else 0)
