"""``ner translate-test``: tag target-language sentences by translating them into the model's language."""

from __future__ import annotations

import click

from augment.core.cli import format_option
from ner.translate_test import TranslateTestOptions

_D = TranslateTestOptions()


@click.command(name="translate-test", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("model", metavar="MODEL_DIR")
@click.argument("infile", metavar="TARGET_FILE")
@click.argument("outfile", metavar="OUT")
@click.option("--src", required=True, help="Language of TARGET_FILE (e.g. yo).")
@click.option("--tgt", required=True, help="Language of MODEL_DIR's training data (e.g. en).")
@click.option("--mt", default=None, help="src -> tgt translation model, hub name or path (default: the pair's).")
@click.option("--backend", type=click.Choice(["transformers", "ctranslate2"]), default=_D.backend, show_default=True)
@click.option("--num-beams", type=int, default=_D.num_beams, show_default=True)
@click.option("--projection", type=click.Choice(["align", "markers"]), default=_D.projection, show_default=True,
              help="align: word alignment; markers: translate the tagged translation back with markers "
                   "(--back-mt) and match each marked entity in TARGET_FILE (broken markers: alignment).")
@click.option("--back-mt", default=None, help="--projection markers: the tgt -> src model, hub name or path.")
@click.option("--aligner", type=click.Choice(["eflomal", "simalign"]), default=_D.aligner, show_default=True,
              help="Word aligner that carries the tags back onto TARGET_FILE's tokens.")
@click.option("--align-model", default=None, help="simalign: encoder name or path.")
@click.option("--align-layer", type=int, default=_D.align_layer, show_default=True, help="simalign: encoder layer.")
@click.option("--extra-parallel", multiple=True, metavar="PAIRS",
              help="eflomal: more src/tgt parallel text to align with (any pair format). Repeatable.")
@format_option("--format", help="Input format (default: from extension/content).")
@format_option("--out-format", help="Output format (default: from OUT's extension).")
@click.option("--batch-size", type=int, default=_D.batch_size, show_default=True)
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default=_D.device, show_default=True)
@click.option("--seed", type=int, default=_D.seed, show_default=True)
def translate_test(model, infile, outfile, format, out_format, **kwargs):
    """Tag TARGET_FILE with MODEL_DIR through translation (translate-test) and write OUT.

    Sentences are translated src -> tgt (kept in OUT.mt.jsonl; a killed run resumes there), tagged
    by the tgt-language model, and the tags are projected back onto the original tokens through
    word alignment. Gold tags in TARGET_FILE, if any, are replaced in OUT and used to print the entity F1.

    \b
      ner translate-test en-ner/ yo_test.txt yo.tt.jsonl --src yo --tgt en --mt mt-yo-en/ \\
          --extra-parallel ../shared/data/menyo20k/train.tsv
    """
    from augment.core import read_corpus, write_corpus
    from ner.train import env_threads
    from ner.translate_test import translate_test as run
    from ner.translate_test import translations_path

    env_threads()
    kwargs["extra_parallel"] = tuple(kwargs["extra_parallel"])
    sentences = read_corpus(infile, format=format, repair=True)
    tagged = run(model, sentences, TranslateTestOptions(**kwargs), work_path=translations_path(outfile))
    write_corpus(tagged, outfile, format=out_format)
    n = sum(len(s.spans) for s in tagged)
    click.echo(f"tagged {len(tagged)} sentences ({n} entities) by translate-test -> {outfile}", err=True)
    if all(s.tags is not None for s in sentences) and any(s.spans for s in sentences):
        from ner.ensemble import score_against

        scores = score_against(sentences, tagged, infile)
        click.echo(f"entity F1 against TARGET_FILE's tags: {scores['f1']:.4f} "
                   f"(P {scores['precision']:.4f}, R {scores['recall']:.4f})", err=True)
