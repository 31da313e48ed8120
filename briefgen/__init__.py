"""briefgen: policy briefs and tailored advocacy letters from one campaign YAML file."""

from .errors import BriefgenError, CampaignError, OptionError, RenderError, TemplateError
from .pipeline import BuildReport, build, check
from .validate import load_campaign

__all__ = [
    "BriefgenError",
    "BuildReport",
    "CampaignError",
    "OptionError",
    "RenderError",
    "TemplateError",
    "build",
    "check",
    "load_campaign",
]
