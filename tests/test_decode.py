import unicodedata
from pathlib import Path

import pytest

from app.ingest.decode import DecodeError, decode_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_decode_utf8_is_returned_unchanged():
    assert decode_bytes("Sécurité : l’accord\n".encode("utf-8")) == "Sécurité : l’accord\n"


def test_decode_strips_utf8_bom():
    text = decode_bytes((FIXTURES / "bom.txt").read_bytes())
    assert text.startswith("Interpol and Europol")
    assert "\ufeff" not in text


def test_decode_falls_back_to_windows_1252_for_french_text():
    data = (FIXTURES / "cp1252.txt").read_bytes()
    assert b"\x92" in data  # the curly apostrophe as Windows-1252 writes it
    text = decode_bytes(data)
    assert "Coopération sécuritaire" in text
    assert "l’échange d’informations" in text
    assert "très étroite" in text


def test_decode_falls_back_to_latin1_for_bytes_undefined_in_windows_1252():
    assert decode_bytes(b"caf\xe9 \x81") == "café \x81"


def test_decode_normalises_newlines():
    assert decode_bytes(b"a\r\nb\rc\n") == "a\nb\nc\n"
    assert "\r" not in decode_bytes((FIXTURES / "cp1252.txt").read_bytes())


def test_decode_normalises_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Sûreté générale")
    assert decode_bytes(decomposed.encode("utf-8")) == "Sûreté générale"


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_decode_rejects_empty_file(data):
    with pytest.raises(DecodeError, match="empty file"):
        decode_bytes(data)


def test_decode_rejects_empty_fixture():
    with pytest.raises(DecodeError, match="empty file"):
        decode_bytes((FIXTURES / "empty.txt").read_bytes())


def test_decode_rejects_binary_with_nul_bytes():
    with pytest.raises(DecodeError, match="binary file"):
        decode_bytes((FIXTURES / "corrupt.txt").read_bytes())


def test_decode_rejects_binary_with_many_control_characters():
    with pytest.raises(DecodeError, match="binary file"):
        decode_bytes(bytes(range(1, 9)) * 50 + b"some text")


def test_decode_accepts_a_stray_control_character_in_text():
    text = "Morocco and Spain sign a security pact. " * 20 + "\x0c"
    assert decode_bytes(text.encode()) == text


def test_decode_error_is_a_value_error_with_reason():
    with pytest.raises(ValueError) as info:
        decode_bytes(b"")
    assert info.value.reason == "empty file"
