"""Word alignment of sentence pairs (eflomal, SimAlign), its records and evaluation.

Entry points: :func:`align.api.align_pairs`, :class:`augment.core.alignment.Alignment`,
:func:`align.readers.read_pairs`, :func:`align.evaluate.score`. This ``__init__`` imports nothing,
so reading pairs (``align.readers``) does not put the aligners in a stage's cache key.
"""
