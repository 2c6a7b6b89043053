"""Run a task worker, reporting a heartbeat so others can tell it is alive.

With each heartbeat the worker also runs the registered periodic checks
(`register_periodic`), which queue scheduled work when it is due; each check
guards itself against other workers doing the same.

A worker is dead when its heartbeat is missing or stale, or when it ran on
this machine and its process no longer exists (noticed at once, without
waiting for staleness). A task still marked running on a dead worker is
*lost* (`lost_tasks`); the operations app puts it back on its queue.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from medvigil.platform.models import WorkerHeartbeat
from medvigil.platform.queues import QUEUES

logger = logging.getLogger(__name__)
PERIODIC: list[Callable[[], Any]] = []


def register_periodic(check: Callable[[], Any]) -> Callable[[], Any]:
    """Run `check` with every worker heartbeat (it decides itself whether work is due)."""
    if check not in PERIODIC:
        PERIODIC.append(check)
    return check


def run_periodic() -> None:
    for check in list(PERIODIC):
        try:
            check()
        except Exception:  # one failing check must not stop the others or the worker
            logger.exception("periodic check %s failed", getattr(check, "__name__", check))


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def record_heartbeat(worker_id: str, queues: str, started_at: datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "process_id": os.getpid(),
            "queues": queues[:255],
            "started_at": started_at,
            "last_seen_at": timezone.now(),
        },
    )


def live_workers(now: datetime | None = None) -> list[WorkerHeartbeat]:
    moment = now or timezone.now()
    threshold = moment - timedelta(seconds=settings.WORKER_STALE_AFTER_SECONDS)
    return list(WorkerHeartbeat.objects.filter(last_seen_at__gte=threshold))


def process_is_gone(hostname: str, process_id: int | None) -> bool:
    """True only when `process_id` ran on this machine and no longer exists.

    A process on another machine cannot be probed from here: False (its
    staleness decides instead).
    """
    if not process_id or hostname != socket.gethostname()[:255]:
        return False
    try:
        os.kill(process_id, 0)  # signal 0 probes for existence without sending anything
    except ProcessLookupError:
        return True
    except PermissionError:  # exists, owned by someone else
        return False
    return False


def worker_is_dead(heartbeat: WorkerHeartbeat | None, now: datetime) -> bool:
    if heartbeat is None:  # a worker deletes its row only after its last task ended
        return True
    threshold = now - timedelta(seconds=settings.WORKER_STALE_AFTER_SECONDS)
    if heartbeat.last_seen_at < threshold:
        return True
    return process_is_gone(heartbeat.hostname, heartbeat.process_id)


def lost_tasks(now: datetime | None = None) -> list[DBTaskResult]:
    """Tasks marked running whose worker (the last to claim them) is dead."""
    moment = now or timezone.now()
    running = list(DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING))
    owners = [task.worker_ids[-1] for task in running if task.worker_ids]
    heartbeats = {
        heartbeat.worker_id: heartbeat
        for heartbeat in WorkerHeartbeat.objects.filter(worker_id__in=owners)
    }
    return [
        task
        for task in running
        if worker_is_dead(heartbeats.get(task.worker_ids[-1]) if task.worker_ids else None, moment)
    ]


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str, queues: str, *, periodic: bool = True) -> None:
        super().__init__(name="medvigil-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.queues = queues
        self.periodic = periodic
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                try:
                    close_old_connections()
                    record_heartbeat(self.worker_id, self.queues, self.started_at)
                except Exception:  # a database hiccup must not kill the worker
                    logger.exception("could not record the worker heartbeat")
                if self.periodic:
                    run_periodic()
                self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS)
        finally:
            connection.close()


def run_task_here(task_id: str) -> DBTaskResult | None:
    """Run one queued task in this process, as a worker would; None when a worker took it first.

    The task was queued before it runs, and this process claims it under a
    heartbeat of its own: killed half-way, it leaves a lost task that any
    live worker puts back on its queue (`medvigil check` fails meanwhile).
    """
    row = DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.READY).first()
    if row is None:
        return None
    worker_id = new_worker_id()
    record_heartbeat(worker_id, "foreground", timezone.now())
    heartbeat = Heartbeat(worker_id, "foreground", periodic=False)
    try:
        claimed = DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.READY).update(
            status=TaskResultStatus.RUNNING,
            started_at=timezone.now(),
            worker_ids=[*row.worker_ids, worker_id],
        )
        if not claimed:  # a worker claimed it between the read and the update
            return None
        row.refresh_from_db()
        heartbeat.start()
        worker = Worker(
            queue_names=[row.queue_name],
            interval=0,
            batch=True,
            backend_name=row.backend_name,
            startup_delay=False,
            max_tasks=1,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.run_task(row)
        row.refresh_from_db()
        return row
    finally:
        if heartbeat.is_alive():
            heartbeat.stopped.set()
            heartbeat.join(timeout=5)
        WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def run_worker(
    queues: tuple[str, ...] = QUEUES, *, batch: bool = False, periodic: bool = False
) -> None:
    """Process tasks until stopped (or, with `batch`, until no task is ready).

    A long-running worker runs the periodic checks with each heartbeat; a
    batch run only when asked (`periodic`), before it drains the queue.
    """
    worker_id = new_worker_id()
    queue_list = ",".join(queues)
    record_heartbeat(worker_id, queue_list, timezone.now())
    if batch and periodic:
        run_periodic()
    # A batch run is short: its first heartbeat is enough, and no second
    # connection competes with the tasks for the database.
    heartbeat = None if batch else Heartbeat(worker_id, queue_list)
    if heartbeat:
        heartbeat.start()
    worker = Worker(
        queue_names=list(queues),
        interval=1.0,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    if not batch:
        worker.configure_signals()
    try:
        worker.run()
    finally:
        if heartbeat:
            heartbeat.stopped.set()
            heartbeat.join(timeout=5)
        WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
