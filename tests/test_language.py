import time
from pathlib import Path

import pytest

from app.ingest.decode import decode_bytes
from app.ingest.language import detect_language

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


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


def test_detect_language_is_fast_enough_for_100k_articles():
    text = ("Les services de renseignement marocains et espagnols ont renforcé leur coopération "
            "dans la lutte contre le terrorisme. ") * 30
    detect_language(text)  # load the model
    start = time.perf_counter()
    for _ in range(200):
        detect_language(text)
    per_call = (time.perf_counter() - start) / 200
    assert per_call < 0.002  # budget 0.2 ms; generous margin for loaded CI machines
