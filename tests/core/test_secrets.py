from __future__ import annotations

import logging
from pathlib import Path

import pytest

from console.config.secrets import (
    MissingSecretError,
    expand_env,
    has_clear_password,
    mask_url,
    redact,
)
from console.logs import setup_logging
from tests.conftest import PlantedSecrets


def test_expand_env_and_missing() -> None:
    assert expand_env("rtsp://a:${P}@h/s", {"P": "pw-123456"}) == "rtsp://a:pw-123456@h/s"
    with pytest.raises(MissingSecretError, match="NOPE"):
        expand_env("${NOPE}", {})


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("rtsp://admin:hunter22@10.0.0.5:554/s", "rtsp://admin:***@10.0.0.5:554/s"),
        ("rtsp://admin:${CAM_PW}@10.0.0.5/s", "rtsp://admin:***@10.0.0.5/s"),
        ("http://cam/mjpeg?user=a&password=x1y2z3", "http://cam/mjpeg?user=a&password=***"),
        ("sim://highway?seed=3", "sim://highway?seed=3"),
    ],
)
def test_mask_url(url: str, masked: str) -> None:
    assert mask_url(url) == masked


def test_clear_password_detection() -> None:
    assert has_clear_password("rtsp://admin:12345@h/s")
    assert not has_clear_password("rtsp://admin:${X}@h/s")
    assert not has_clear_password("rtsp://h/s")


def test_expanded_secret_never_reaches_the_log(
    tmp_path: Path, planted_secrets: PlantedSecrets
) -> None:
    secret = planted_secrets.add("Vy9-very-secret")
    url = expand_env("rtsp://op:${CAM_SECRET}@10.1.1.1/live", {"CAM_SECRET": secret})
    log_file = setup_logging(directory=tmp_path)
    logger = logging.getLogger("roadwatch.test")
    logger.info("opening %s", url)
    logger.info("token in free text: %s", secret)
    try:
        raise ConnectionError(f"cannot reach {url}")
    except ConnectionError:
        logger.exception("camera failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text()
    assert secret not in text
    assert "rtsp://op:***@10.1.1.1/live" in text
    assert redact(f"x {secret} y") == "x *** y"
