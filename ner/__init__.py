"""ner package."""
