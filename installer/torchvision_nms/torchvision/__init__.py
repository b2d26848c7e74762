"""Stand-in for torchvision inside RoadWatch's CPU bundle: only ``ops.nms`` exists.

Ultralytics imports torchvision before inference and then calls ``torchvision.ops.nms``;
nothing else of torchvision runs when RoadWatch detects and tracks. PyPI's torchvision for
Linux is built against torch's CUDA libraries and cannot load beside torch's CPU build, so
the bundle carries this module instead. Training, export and classification need the real
torchvision (the development environment has it).
"""

from importlib.metadata import version as _version

from torchvision import ops

__version__ = _version("torchvision")
__all__ = ["ops"]
