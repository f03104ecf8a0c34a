"""Cross-lingual NER toolkit: corpus layer and data augmentation (translate, project)."""

__version__ = "0.1.0"
