"""Retention runs by itself on consoles and analytics nodes, and survives a failing pass."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from console.config.site import StorageSettings
from console.retention.schedule import RetentionScheduler, folder_bytes
from console.store.local import LocalStore
from tests.conftest import load_demo_site
from tests.core.test_store_retention import NOW, confirm_centrally, saved


def site_with(retention_days: int, budget_gb: float = 50.0):  # type: ignore[no-untyped-def]
    site = load_demo_site()
    storage = StorageSettings(retention_days=retention_days, evidence_budget_gb=budget_gb)
    return site.model_copy(update={"storage": storage})


def wait_for(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_scheduled_pass_prunes_old_synced_evidence_and_the_recordings(
    store: LocalStore, tmp_path: Path
) -> None:
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    old = saved(store, evidence, 95, b"old and synced")
    confirm_centrally(store, old)
    unsynced = saved(store, evidence, 95, b"old, never reached central")
    recordings_pruned: list[int] = []

    def prune_recordings() -> int:
        recordings_pruned.append(1)
        return 3

    scheduler = RetentionScheduler(
        site_with(retention_days=90),
        store,
        evidence,
        prune_recordings,
        interval_s=0.05,
        first_pass_delay_s=0.0,
        clock=lambda: NOW,
    )
    scheduler.start()
    try:
        wait_for(lambda: scheduler.passes >= 2)
    finally:
        scheduler.stop()
    assert not scheduler.is_alive()
    assert not Path(old.evidence[0].path).exists()
    assert Path(unsynced.evidence[0].path).exists()  # never pruned before central has it
    assert len(recordings_pruned) >= 2
    last = scheduler.last_pass
    assert last is not None and last.error == "" and last.recordings_pruned == 3


def test_over_budget_with_nothing_prunable_is_a_warning_not_a_deletion(
    store: LocalStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    kept = saved(store, evidence, 1, b"x" * 200_000)  # recent and unsynced
    scheduler = RetentionScheduler(
        site_with(retention_days=90, budget_gb=0.0001), store, evidence, clock=lambda: NOW
    )
    with caplog.at_level(logging.WARNING, logger="console.retention.schedule"):
        result = scheduler.run_once()
    assert result.over_budget and result.evidence_bytes == folder_bytes(evidence) > 0
    assert Path(kept.evidence[0].path).exists()
    assert "over the" in caplog.text and "budget" in caplog.text


def test_a_failing_pass_is_logged_and_the_next_one_runs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = LocalStore.open(tmp_path / "roadwatch.sqlite", console_id="console-1")
    store.close()  # the database went away under the scheduler
    scheduler = RetentionScheduler(
        site_with(retention_days=90),
        store,
        tmp_path / "evidence",
        interval_s=0.05,
        first_pass_delay_s=0.0,
    )
    with caplog.at_level(logging.ERROR, logger="console.retention.schedule"):
        scheduler.start()
        try:
            wait_for(lambda: scheduler.passes >= 2)
        finally:
            scheduler.stop()
    assert scheduler.last_pass is not None and scheduler.last_pass.error
    assert caplog.text.count("retention pass failed") >= 2
