"""Where a class is graded: Dask distributed, on this machine or on a lab's cluster.

``qlab grade`` hands each submission to Dask as one task (:func:`qlab.assign.worker.grade_task`)
and collects the rows as they finish:

* by default on a :class:`distributed.LocalCluster` inside the grader's own process (one worker,
  ``jobs`` threads; each thread drives the two sandboxed processes of one submission), which
  behaves as the thread pool before it did and costs a fraction of a second to start;
* with ``--scheduler ADDRESS`` on an existing Dask cluster: a ``dask scheduler`` with ``dask
  worker`` processes on other machines, or workers that dask-jobqueue starts as Slurm or PBS jobs
  (see ``docs/grading-cluster.md``). Workers need the same Python environment as the grader (qlab
  and bubblewrap installed), nothing else: submissions and the assignment travel as data.

Dask re-runs the tasks of a worker that is lost, and each submission is one task with its own
key, so a lost worker never leaves a submission out or gives it two rows.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..errors import AssignmentError
from ..i18n import t
from ..sandbox import SandboxMode, SandboxUnavailable


@dataclass
class Cluster:
    """A connection to the Dask cluster of one grading run."""

    client: Any  # distributed.Client
    local: bool  # a cluster inside this process, started for this run

    @property
    def workers(self) -> dict[str, Any]:
        return self.client.scheduler_info().get("workers", {})


@contextmanager
def connect(scheduler: str | None, threads: int, *, lang: str | None = None) -> Iterator[Cluster]:
    """The cluster to grade on: ``scheduler``'s, or a new local one with ``threads`` threads.

    Raises :class:`~qlab.errors.AssignmentError` naming the address when the scheduler cannot be
    reached. The local cluster is closed on leaving; a remote one is only disconnected from.
    """
    from distributed import Client, LocalCluster

    if scheduler is None:
        local = LocalCluster(n_workers=1, threads_per_worker=max(1, threads), processes=False,
                             dashboard_address="127.0.0.1:0", memory_limit=0, silence_logs=logging.ERROR)
        client = Client(local, set_as_default=False)
        try:
            yield Cluster(client, local=True)
        finally:
            client.close()
            local.close()
        return
    try:
        client = Client(scheduler, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise AssignmentError(t("grade.scheduler_unreachable", lang=lang, address=scheduler,
                                reason=str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__)) from None
    try:
        yield Cluster(client, local=False)
    finally:
        client.close()


def _worker_support(mode: str) -> dict[str, Any]:
    """On a worker: what its machine enforces (run through ``Client.run`` before grading)."""
    from ..sandbox import resolve

    try:
        support = resolve(mode, stream=sys.stderr)
    except SandboxUnavailable as exc:
        return {"full": False, "sandboxed": False, "refused": str(exc)}
    return {"full": support.full, "sandboxed": support.bwrap is not None, "refused": ""}


def check_workers(cluster: Cluster, mode: SandboxMode, *, lang: str | None = None, stream: Any = None) -> bool:
    """Before a remote run: refuse (``--require-sandbox``) or warn when a worker's machine cannot
    sandbox; True when every worker can. A local cluster is this machine, checked by its session."""
    found = cluster.client.run(_worker_support, SandboxMode(mode).value)
    if not found:
        raise AssignmentError(t("grade.scheduler_no_workers", lang=lang))
    refused = sorted(addr for addr, info in found.items() if info["refused"])
    if refused:
        raise SandboxUnavailable(t("grade.workers_refuse_sandbox", lang=lang, workers=", ".join(refused),
                                   why=found[refused[0]]["refused"]))
    partial = sorted(addr for addr, info in found.items() if not info["full"])
    if partial and SandboxMode(mode) is SandboxMode.AUTO:
        print(t("grade.workers_without_sandbox", lang=lang, workers=", ".join(partial)), file=stream or sys.stderr)
    return all(info["sandboxed"] for info in found.values())


def close_run_everywhere(cluster: Cluster, run_id: str) -> None:
    """Tell every worker to end what it started for ``run_id`` (best effort: a worker may be gone)."""
    from .worker import close_run

    if cluster.local:
        close_run(run_id)
        return
    try:
        cluster.client.run(close_run, run_id, on_error="ignore")
    except (OSError, TimeoutError):  # pragma: no cover - the scheduler went away
        pass
