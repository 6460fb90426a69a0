"""Embedding models behind one small interface (base.Embedder), the text each one is given
(text.py), and the embed stage that stores article vectors in the archive (stage.py)."""
