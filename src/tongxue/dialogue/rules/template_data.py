"""Loading the sentence templates: YAML files to compiled, checked sentences.

Everything that can be wrong with a file is found here, at import, and reported with the
file and the intent: an unknown action or argument, a slot `args` refer to that no
sentence fills, an unknown expansion or list, a constant argument the action rejects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal, get_args

import yaml
from pydantic import ValidationError

from tongxue.cabin.actions import ACTIONS, CabinAction
from tongxue.cabin.status import StatusQuestion
from tongxue.dialogue.rules.template_slots import (
    TRANSFORMS,
    SlotType,
    SlotValue,
    builtin_types,
    list_type,
)
from tongxue.dialogue.rules.template_syntax import (
    Anchors,
    Node,
    SyntaxProblem,
    anchors,
    check_slots_once,
    parse_sentence,
    slots_of,
    to_regex,
)
from tongxue.dialogue.rules.types import Language, ProviderKind

COMMON_FILE = "_common.yaml"
_PROVIDERS: tuple[str, ...] = get_args(ProviderKind)
_FILE_KEYS = {"language", "expansions", "lists", "intents"}
_INTENT_KEYS = {"id", "sentences", "action", "args", "actions", "question", "provider"}
_INTENT_KEYS |= {"unsupported", "negation"}
_OUTCOME_KEYS = ("action", "actions", "question", "provider", "unsupported", "negation")
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)((?:\|[a-z0-9_]+)*)\}")


class _Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false. YAML 1.1 reads the key `on:` (a field of many
    actions) as True, and 'no'/'off' as False."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(text: str) -> Any:
    """A YAML document, read with YAML 1.2 booleans (for templates and their tests)."""
    return yaml.load(text, Loader=_Yaml12Loader)


class TemplateError(ValueError):
    """A template file that cannot be used; the message names the file and the intent."""


@dataclass(frozen=True)
class Placeholder:
    """An argument filled from a slot, through transforms ("{number|neg}")."""

    slot: str
    transforms: tuple[str, ...]


Value = SlotValue | Placeholder
Args = Mapping[str, Value]


@dataclass(frozen=True)
class ActionSpec:
    cls: type[CabinAction]
    args: Args


OutcomeKind = Literal["actions", "question", "provider", "unsupported", "negation"]


@dataclass(frozen=True)
class Outcome:
    """What an intent produces: the data for exactly one part."""

    kind: OutcomeKind
    actions: tuple[ActionSpec, ...] = ()
    fields: Args | None = None  # question: topic/subject; provider: kind/query
    what: str = ""


@dataclass(frozen=True)
class Intent:
    id: str
    file: str
    outcome: Outcome


@dataclass(frozen=True)
class Sentence:
    intent: Intent
    source: str
    regex: re.Pattern[str]
    anchors: Anchors | None
    slots: tuple[tuple[str, str, SlotType], ...]  # (regex group, slot name, type)
    order: int  # load order: the last tie-breaker, so matching is deterministic


# --- reading ----------------------------------------------------------------------------


def language_files(language: Language) -> list[tuple[str, str]]:
    """(name, text) of every YAML file of a language, `_common.yaml` first, then by name."""
    folder = resources.files("tongxue.dialogue.rules").joinpath("data", language)
    if not folder.is_dir():
        return []
    entries = [entry for entry in folder.iterdir() if entry.name.endswith(".yaml")]
    entries.sort(key=lambda entry: (entry.name != COMMON_FILE, entry.name))
    return [(f"data/{language}/{entry.name}", entry.read_text("utf-8")) for entry in entries]


def load_sentences(language: Language) -> list[Sentence]:
    return compile_files(language_files(language), language)


def compile_files(files: list[tuple[str, str]], language: Language) -> list[Sentence]:
    """Compile YAML texts (name, text) of one language; `_common.yaml` is shared."""
    documents = [(name, _read(name, text, language)) for name, text in files]
    common_expansions: dict[str, str] = {}
    common_lists: dict[str, SlotType] = {}
    for name, document in documents:
        if name.endswith("/" + COMMON_FILE) or name == COMMON_FILE:
            if document.get("intents"):
                raise TemplateError(f"{name}: the common file holds no intents")
            common_expansions.update(_expansions(name, document))
            common_lists.update(_lists(name, document))
    builtins = builtin_types(language)
    sentences: list[Sentence] = []
    seen: dict[str, str] = {}
    for name, document in documents:
        expansions = {**common_expansions, **_expansions(name, document)}
        # A file's own list wins over a shared one, and may replace a built-in for itself.
        lists = {**builtins, **common_lists, **_lists(name, document)}
        for raw in _intents(name, document):
            intent_id = raw.get("id")
            where = f"{name}: intent {intent_id!r}"
            if not isinstance(intent_id, str) or not intent_id:
                raise TemplateError(f"{where}: every intent needs a string id")
            if intent_id in seen:
                raise TemplateError(f"{where}: id already used in {seen[intent_id]}")
            seen[intent_id] = name
            try:
                sentences.extend(_intent(raw, name, expansions, lists, len(sentences)))
            except (SyntaxProblem, re.error, ValueError, TypeError) as problem:
                if isinstance(problem, TemplateError):
                    raise
                raise TemplateError(f"{where}: {problem}") from problem
    return sentences


def _read(name: str, text: str, language: Language) -> dict[str, Any]:
    try:
        document = load_yaml(text)
    except yaml.YAMLError as problem:
        raise TemplateError(f"{name}: not valid YAML: {problem}") from problem
    if not isinstance(document, dict):
        raise TemplateError(f"{name}: expected a mapping at the top")
    unknown = set(document) - _FILE_KEYS
    if unknown:
        raise TemplateError(f"{name}: unknown keys {sorted(unknown)}")
    if document.get("language") != language:
        raise TemplateError(f"{name}: language must be {language!r}")
    return document


def _expansions(name: str, document: dict[str, Any]) -> dict[str, str]:
    found = document.get("expansions") or {}
    if not isinstance(found, dict):
        raise TemplateError(f"{name}: expansions must map names to sentence text")
    for key, value in found.items():
        # YAML reads a bare on/off/yes/no key as a bool: say so, it is easy to miss.
        if not isinstance(key, str) or not isinstance(value, str):
            raise TemplateError(f"{name}: expansion {key!r}: names and text must be strings")
    return dict(found)


def _lists(name: str, document: dict[str, Any]) -> dict[str, SlotType]:
    found = document.get("lists") or {}
    if not isinstance(found, dict):
        raise TemplateError(f"{name}: lists must map list names to words")
    lists: dict[str, SlotType] = {}
    for list_name, words in found.items():
        if isinstance(words, list):
            words = {str(word): str(word) for word in words}
        if not isinstance(words, dict) or not words:
            raise TemplateError(f"{name}: list {list_name!r} must map words to values")
        for word, value in words.items():
            if not isinstance(value, str | int | float | bool) or value is None:
                raise TemplateError(f"{name}: list {list_name!r}: bad value for {word!r}")
        lists[list_name] = list_type({str(word): value for word, value in words.items()})
    return lists


def _intents(name: str, document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    intents = document.get("intents") or []
    if not isinstance(intents, list):
        raise TemplateError(f"{name}: intents must be a list")
    for raw in intents:
        if not isinstance(raw, dict):
            raise TemplateError(f"{name}: every intent must be a mapping")
        yield raw


# --- one intent -------------------------------------------------------------------------


def _intent(
    raw: dict[str, Any],
    file: str,
    expansions: Mapping[str, str],
    lists: Mapping[str, SlotType],
    order: int,
) -> list[Sentence]:
    unknown = set(raw) - _INTENT_KEYS
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    texts = raw.get("sentences")
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
        raise ValueError("sentences must be a non-empty list of strings")
    trees = [(text, parse_sentence(text, expansions)) for text in texts]
    filled: set[str] = set()
    for text, tree in trees:
        check_slots_once(tree)
        names = [slot.name for slot in slots_of(tree)]
        for slot in slots_of(tree):
            if slot.kind not in lists:
                raise ValueError(f"unknown slot list {{{slot.kind}}} in {text!r}")
        filled.update(names)
    intent = Intent(str(raw["id"]), file, _outcome(raw, filled))
    sentences = []
    for index, (text, tree) in enumerate(trees):
        sentences.append(_sentence(intent, text, tree, lists, order + index))
    return sentences


def _sentence(
    intent: Intent, text: str, tree: Node, lists: Mapping[str, SlotType], order: int
) -> Sentence:
    pattern, groups = to_regex(tree, lambda slot: lists[slot.kind].regex)
    slots = tuple((f"s{i}", slot.name, lists[slot.kind]) for i, slot in enumerate(groups))
    regex = re.compile(pattern)
    return Sentence(intent, text, regex, anchors(tree), slots, order)


def _outcome(raw: dict[str, Any], filled: set[str]) -> Outcome:
    given = [key for key in _OUTCOME_KEYS if key in raw]
    if len(given) != 1:
        raise ValueError(f"give exactly one of {', '.join(_OUTCOME_KEYS)}")
    key = given[0]
    if "args" in raw and key != "action":
        raise ValueError("args go with action")
    if key == "action":
        return Outcome("actions", (_action(raw["action"], raw.get("args") or {}, filled),))
    if key == "actions":
        items = raw["actions"]
        if not isinstance(items, list) or not items:
            raise ValueError("actions must be a non-empty list of {action, args}")
        specs = []
        for item in items:
            if not isinstance(item, dict) or set(item) - {"action", "args"}:
                raise ValueError("each of actions is {action: name, args: {...}}")
            specs.append(_action(item.get("action"), item.get("args") or {}, filled))
        return Outcome("actions", tuple(specs))
    if key == "question":
        fields = raw["question"]
        if not isinstance(fields, dict):
            raise ValueError("question must be {topic: ..., subject: ...}")
        args = _args(fields, filled)
        _check_constant(StatusQuestion, args)
        return Outcome("question", fields=args)
    if key == "provider":
        fields = raw["provider"]
        fields = {"kind": fields} if isinstance(fields, str) else fields
        if not isinstance(fields, dict) or set(fields) - {"kind", "query"}:
            raise ValueError("provider must be a kind or {kind, query}")
        if fields.get("kind") not in _PROVIDERS:
            raise ValueError(f"provider kind must be one of {', '.join(_PROVIDERS)}")
        return Outcome("provider", fields=_args(fields, filled))
    if key == "unsupported":
        if not isinstance(raw["unsupported"], str) or not raw["unsupported"]:
            raise ValueError("unsupported must name what is not supported")
        return Outcome("unsupported", what=raw["unsupported"])
    if raw["negation"] is not True:
        raise ValueError("negation must be true")
    return Outcome("negation")


def _action(name: object, raw_args: object, filled: set[str]) -> ActionSpec:
    if not isinstance(name, str) or name not in ACTIONS:
        raise ValueError(f"unknown action {name!r}")
    if not isinstance(raw_args, dict):
        raise ValueError("args must be a mapping")
    cls = ACTIONS[name]
    # An argument is named as the tool names it: a field's alias where it has one
    # (call_contact's `name`, which the class itself uses for the tool name).
    accepted = {field.alias or field_name for field_name, field in cls.model_fields.items()}
    unknown = set(raw_args) - accepted
    if unknown:
        raise ValueError(f"{name} has no argument {sorted(unknown)}")
    args = _args(raw_args, filled)
    _check_constant(cls, args)
    return ActionSpec(cls, args)


def _args(raw: dict[str, Any], filled: set[str]) -> dict[str, Value]:
    args: dict[str, Value] = {}
    for key, value in raw.items():
        if isinstance(value, str) and "{" in value:
            found = _PLACEHOLDER.fullmatch(value)
            if found is None:
                raise ValueError(f"{key}: a placeholder is a whole value like '{{slot|neg}}'")
            transforms = tuple(found[2].split("|")[1:])
            for transform in transforms:
                if transform not in TRANSFORMS:
                    raise ValueError(f"{key}: unknown transform {transform!r}")
            if found[1] not in filled:
                raise ValueError(f"{key}: no sentence fills the slot {{{found[1]}}}")
            args[str(key)] = Placeholder(found[1], transforms)
        elif value is None or isinstance(value, str | int | float | bool):
            args[str(key)] = value
        else:
            raise ValueError(f"{key}: a value must be a scalar or a placeholder")
    return args


def _check_constant(model: type[CabinAction] | type[StatusQuestion], args: Args) -> None:
    """Arguments without placeholders are known now: check them now, not on the road."""
    if any(isinstance(value, Placeholder) for value in args.values()):
        return
    try:
        model.model_validate(dict(args))
    except ValidationError as problem:
        raise ValueError(f"{model.__name__} rejects {dict(args)}: {problem}") from problem
