from pathlib import Path

import pytest

from app.ingest.decode import decode_bytes
from app.ingest.language import (MIN_LETTERS, SAMPLE_CHARS, _has_letters, _identifier, detect_language,
                                 detect_languages)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.mark.parametrize(("text", "expected"), [
    ("Moroccan and Spanish police dismantled a cell suspected of recruiting fighters for "
     "the Islamic State group, the interior ministry said on Tuesday.", "en"),
    ("La police marocaine a démantelé mardi une cellule soupçonnée de préparer des attentats, "
     "a indiqué le ministère de l’Intérieur dans un communiqué.", "fr"),
    ("La Guardia Civil y la policía marroquí detuvieron a tres presuntos yihadistas en una "
     "operación conjunta en Ceuta y Tetuán.", "es"),
    ("Die Bundespolizei hat gemeinsam mit marokkanischen Behörden drei Verdächtige "
     "festgenommen, teilte das Innenministerium mit.", "de"),
    ("أعلنت المديرية العامة لمراقبة التراب الوطني عن تفكيك خلية إرهابية في مدينة طنجة", "ar"),
])
def test_detect_language_of_news_sentences(text, expected):
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "DGST", "Maroc 2024", "12 34 56 78 ... !!!"])
def test_detect_language_returns_none_for_too_short_text(text):
    assert detect_language(text) is None


def test_detect_language_only_answers_with_restricted_languages():
    # Short Latin-looking text would be classified as Latin or Occitan by the full model.
    assert detect_language("Terrorismus et securitas in Europa cooperatio") in {
        "en", "fr", "es", "de", "it", "pt", "nl", "ar", "ru", "pl", "sv", "da", "tr"}


def test_detect_language_of_seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (shared folder not mounted)")
    found = {p.name[:3]: detect_language(decode_bytes(p.read_bytes())) for p in SEEDS.glob("*.txt")}
    assert found == {"000": "en", "001": "en", "002": "en", "003": "en", "004": "fr"}


def _library(text: str) -> str | None:
    """What py3langid itself says, one text at a time (the reference for the batched walk)."""
    sample = text[:SAMPLE_CHARS]
    return _identifier().classify(sample)[0] if _has_letters(sample, MIN_LETTERS) else None


MIXED = [
    "", "DGST", "MOROCCAN POLICE ARREST FIVE SUSPECTS IN TETOUAN, SAYS THE INTERIOR MINISTRY",
    "Le Bureau central d'investigations judiciaires a démantelé une cellule à Tanger. " * 8,
    "Spanish police took part in the operation, the statement added.",
    "Полиция Марокко задержала пятерых подозреваемых в подготовке терактов в Тетуане.",
    "أعلنت المديرية العامة لمراقبة التراب الوطني عن تفكيك خلية إرهابية في مدينة طنجة",
    "La Guardia Civil y la policía marroquí detuvieron a tres presuntos yihadistas.",
    "x" * 5 + " 12 34 " + "Interpol Europol " * 3,
]


def test_a_batch_gives_what_the_library_gives_text_by_text():
    assert detect_languages(MIXED) == [_library(text) for text in MIXED]
    assert [detect_language(text) for text in MIXED] == [_library(text) for text in MIXED]


def test_batches_agree_with_the_library_on_every_sample_and_fixture_article():
    from app.ingest.record import ArticleRecord
    from app.ingest.sources import iter_records

    folders = [str(ROOT / "app" / "samples"), str(ROOT / "tests" / "fixtures")]
    if SEEDS.is_dir():
        folders.append(str(SEEDS))
    texts = [f"{r.title}\n{r.body}" for r in iter_records(folders) if isinstance(r, ArticleRecord)]
    assert len(texts) > 20
    assert detect_languages(texts) == [_library(text) for text in texts]
