"""Presets: one TOML file per scheme of the source document, with named parameters.

The source's plans leave many numbers blank (``x``/``xx``) for each organisation to fill
in, and others (weights, caps, bands) an organisation may reasonably change. A preset
declares those as ``[params.NAME]`` tables with a default, a description and where the
number comes from; the scheme body refers to them as ``"$NAME"``. ``scheme_overrides``
then replace parameters by name, or whole top-level sections (``grades``, ``quotas``,
``combination`` ...) when a change is structural.
"""
import tomllib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .errors import SchemeError, join
from .reader import to_decimal
from .scheme import parse_scheme

PRESET_DIR = Path(__file__).resolve().parent / "presets"

# Top-level sections an override may replace wholesale.
SECTIONS = ("name", "cycle", "categories", "components", "appraisal", "combination", "total",
            "vetoes", "grades", "stars", "quotas", "actions", "checks", "review", "no_commendation", "awards",
            "exclusion", "english")


def preset_keys():
    return sorted(p.stem for p in PRESET_DIR.glob("*.toml"))


@lru_cache(maxsize=None)
def _load_text(key):
    path = PRESET_DIR / f"{key}.toml"
    if not path.is_file():
        raise SchemeError("scheme", f"未知方案预设 {key!r}，可选：{', '.join(preset_keys())} (unknown preset)")
    return path.read_text(encoding="utf-8")


def preset_document(key):
    """The preset as written (parameters unresolved), for display and documentation."""
    data = tomllib.loads(_load_text(key), parse_float=Decimal)
    if data.get("key") != key:
        raise SchemeError("key", f"预设文件 {key}.toml 的 key 为 {data.get('key')!r} (key does not match file name)")
    return data


def _same_kind(default, value, path):
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise SchemeError(path, "应为 true/false (expected a boolean)")
        return value
    if isinstance(default, (int, Decimal)):
        return to_decimal(value, path)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise SchemeError(path, "应为文本 (expected a string)")
        return value
    return value


def _substitute(node, params, path):
    if isinstance(node, str) and node.startswith("$"):
        name = node[1:]
        if name not in params:
            raise SchemeError(path, f"引用了未定义的参数 {node} (unknown parameter)")
        return params[name]
    if isinstance(node, dict):
        return {k: _substitute(v, params, join(path, k)) for k, v in node.items()}
    if isinstance(node, list):
        return [_substitute(v, params, join(path, i)) for i, v in enumerate(node)]
    return node


def resolve(document, overrides=None, path="scheme_overrides"):
    """Apply parameter values and section overrides; return a plain scheme mapping."""
    declared = document.get("params", {}) or {}
    params = {}
    for name, spec in declared.items():
        if not isinstance(spec, dict) or "default" not in spec:
            raise SchemeError(join("params", name), "参数须写成 {default = ..., description = ...} (bad parameter)")
        params[name] = spec["default"]
    body = {k: v for k, v in document.items() if k != "params"}
    overrides = overrides or {}
    if not isinstance(overrides, dict):
        raise SchemeError(path, "应为对象 (expected an object)")
    for key, value in overrides.items():
        if key in params:
            params[key] = _same_kind(params[key], value, join(path, key))
        elif key in SECTIONS:
            body[key] = value
        else:
            known = ", ".join(sorted(params)) or "（无）"
            raise SchemeError(join(path, key),
                              f"未知参数 {key!r}；可用参数：{known}；或整节替换：{', '.join(SECTIONS)} "
                              f"(unknown parameter or section)")
    resolved = _substitute(body, params, "")
    resolved["params"] = params
    return resolved


def load_preset(key, overrides=None):
    """Validated :class:`~scoring_engine.scheme.Scheme` for preset ``key`` with ``overrides`` applied."""
    return parse_scheme(resolve(preset_document(key), overrides))


def load_scheme(spec, overrides=None):
    """A preset key, or an inline scheme mapping (which may also declare params)."""
    if isinstance(spec, str):
        return load_preset(spec, overrides)
    if isinstance(spec, dict):
        return parse_scheme(resolve(spec, overrides), path="")
    raise SchemeError("scheme", "应为方案预设名或方案对象 (expected a preset key or a scheme object)")
