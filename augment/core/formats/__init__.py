"""Corpus file formats. Each module has ``read(path, lang=None) -> list[Sentence]`` and
``write(sentences, path)``; :mod:`augment.core.io` picks one by extension, content or name."""
