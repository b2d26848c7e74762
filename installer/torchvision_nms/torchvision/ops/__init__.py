"""``torchvision.ops.nms`` computed by Ultralytics' TorchNMS (same results as torchvision)."""

from __future__ import annotations

import torch


def nms(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    """Indices of the boxes kept, highest score first (torchvision's contract)."""
    from ultralytics.utils.nms import TorchNMS

    return TorchNMS.nms(boxes, scores, iou_threshold)


__all__ = ["nms"]
