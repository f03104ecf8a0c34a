"""``pipelines tiny-models``: build the tiny local models the offline demo uses, print their paths.

Random-init, built in seconds from the data beside the repository, nothing downloaded: they make
every command runnable offline (the README's tour). They do not translate or tag well; for real
work pass hub models instead (the names each one stands in for are printed beside it).
"""

from __future__ import annotations

from pathlib import Path

import click

#: name -> (what it is, the hub model it stands in for)
MODELS = {
    "marian-en-yo": ("random Marian en->yo, vocabulary from MENYO-20k", "Helsinki-NLP/opus-mt-en-yo"),
    "marian-yo-en": ("random Marian yo->en, vocabulary from MENYO-20k", "Helsinki-NLP/opus-mt-yo-en"),
    "bert": ("random BERT, 2 layers, WordPiece from CoNLL-2003 + MasakhaNER yor + MENYO-20k",
             "bert-base-multilingual-cased"),
}
DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@click.command("tiny-models")
@click.argument("out_dir", metavar="DIR", type=click.Path(file_okay=False))
@click.option("--data", type=click.Path(file_okay=False), default=str(DEFAULT_DATA), show_default=True,
              help="The data folder (CoNLL-2003, MasakhaNER 1.0, MENYO-20k) the vocabularies are trained on.")
@click.option("--sentences", type=int, default=2000, show_default=True,
              help="Sentences (pairs) of each file the vocabularies are trained on.")
@click.option("--seed", type=int, default=0, show_default=True, help="Initialisation seed.")
def tiny_models(out_dir: str, data: str, sentences: int, seed: int) -> None:
    """Build tiny local models in DIR (once; a rerun keeps them) and print their paths.

    \b
      DIR/marian-en-yo   random Marian en->yo   (stands in for Helsinki-NLP/opus-mt-en-yo)
      DIR/marian-yo-en   random Marian yo->en   (stands in for Helsinki-NLP/opus-mt-yo-en)
      DIR/bert           random 2-layer BERT    (stands in for bert-base-multilingual-cased)

    Offline, about 10 CPU-seconds. They exist so every command runs without a download (the
    README's tour, tests); their translations are subword soup and their F1 is a smoke check.
    """
    from augment.core.errors import ConfigError
    from augment.core.fileio import atomic_path

    root = Path(data)
    files = {"menyo": root / "menyo20k" / "train.tsv", "conll": root / "conll2003_en" / "eng.train",
             "yor": root / "masakhaner1" / "yor" / "train.txt"}
    for path in files.values():
        if not path.is_file():
            raise ConfigError(f"no {path}: pass --data, the folder holding conll2003_en/, masakhaner1/ and "
                              "menyo20k/ (docs/data.md)")
    out = Path(out_dir)
    builders = {"marian-en-yo": lambda d: _marian(files["menyo"], d, sentences, seed, reverse=False),
                "marian-yo-en": lambda d: _marian(files["menyo"], d, sentences, seed, reverse=True),
                "bert": lambda d: _bert(files, d, sentences, seed)}
    for name, build in builders.items():
        target = out / name
        if not (target / "config.json").is_file():
            with atomic_path(target) as tmp:
                build(tmp)
        what, hub = MODELS[name]
        click.echo(f"{target}\t{what} (instead of {hub})")


def _marian(tsv: Path, out: Path, sentences: int, seed: int, reverse: bool) -> None:
    from augment.translate.tiny_models import build_tiny_marian
    from pipelines.stages._text import read_tsv_pairs

    pairs = read_tsv_pairs(tsv)[:sentences]
    src, tgt = [s for s, _ in pairs], [t for _, t in pairs]
    build_tiny_marian(*((tgt, src) if reverse else (src, tgt)), out, vocab_size=1000, max_length=48, seed=seed)


def _bert(files: dict[str, Path], out: Path, sentences: int, seed: int) -> None:
    from ner.tiny_encoder import build_tiny_bert
    from pipelines.stages._text import iter_texts

    texts = [t for key in ("conll", "yor", "menyo") for t in iter_texts(files[key], sentences)]
    build_tiny_bert(texts, out, vocab_size=3000, seed=seed)
