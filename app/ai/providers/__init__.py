"""AI providers behind one small interface, and the configured order they are tried in."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.ai.providers.base import Provider, ProviderRequest
from app.ai.providers.gemini import GeminiProvider
from app.ai.providers.offline import OfflineProvider
from app.ai.providers.openai_compat import OpenAICompatProvider

FACTORIES: dict[str, Callable[[Mapping[str, Any]], Provider]] = {
    "gemini": GeminiProvider.from_config,
    "openrouter": OpenAICompatProvider.openrouter,
    "openai_compatible": OpenAICompatProvider.openai_compatible,
    "offline": lambda config: OfflineProvider(),
}


def provider_names(config: Mapping[str, Any]) -> list[str]:
    """The provider order: AI_PROVIDERS when set, else the remote ones configured, then offline."""
    listed = config.get("AI_PROVIDERS", "") or ""
    if isinstance(listed, str):
        listed = listed.split(",")  # the environment gives a comma list; instance config may not
    names = [str(n).strip().lower() for n in listed if str(n).strip()]
    if names:
        unknown = [n for n in names if n not in FACTORIES]
        if unknown:
            raise ValueError(
                f"AI_PROVIDERS names unknown providers {unknown}; use {', '.join(FACTORIES)}"
            )
        return list(dict.fromkeys(names))
    names = []
    if config.get("GEMINI_API_KEY"):
        names.append("gemini")
    if config.get("OPENROUTER_API_KEY"):
        names.append("openrouter")
    if config.get("OPENAI_COMPAT_BASE_URL"):
        names.append("openai_compatible")
    return [*names, "offline"]


def build_providers(config: Mapping[str, Any]) -> list[Provider]:
    """Provider instances in the configured order."""
    return [FACTORIES[name](config) for name in provider_names(config)]


__all__ = [
    "FACTORIES",
    "GeminiProvider",
    "OfflineProvider",
    "OpenAICompatProvider",
    "Provider",
    "ProviderRequest",
    "build_providers",
    "provider_names",
]
