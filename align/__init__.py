"""Word alignment of sentence pairs (eflomal, SimAlign), its records and evaluation.

Entry points: :func:`align.api.align_pairs`, :class:`augment.core.alignment.Alignment`,
:func:`align.readers.read_pairs`, :func:`align.evaluate.score`.
"""


def align_pairs(*args, **kwargs):
    """See :func:`align.api.align_pairs` (imported lazily to keep ``import align`` cheap)."""
    from align.api import align_pairs as _align_pairs

    return _align_pairs(*args, **kwargs)
