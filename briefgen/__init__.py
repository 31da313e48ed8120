"""briefgen: policy briefs and tailored advocacy letters from one campaign YAML file."""

from .campaigns import check
from .errors import BriefgenError, CampaignError, OptionError, RenderError, TemplateError
from .options import BuildOptions
from .pipeline import build
from .report import BuildReport
from .validate import load_campaign

__all__ = [
    "BriefgenError",
    "BuildOptions",
    "BuildReport",
    "CampaignError",
    "OptionError",
    "RenderError",
    "TemplateError",
    "build",
    "check",
    "load_campaign",
]
