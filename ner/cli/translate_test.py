"""``ner translate-test``: tag target-language sentences by translating them into the model's language."""

from __future__ import annotations

import click

from augment.core.cli import format_option
from augment.core.options import click_options, options_from_click
from ner.translate_test import TranslateTestOptions


@click.command(name="translate-test", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("model", metavar="MODEL_DIR")
@click.argument("infile", metavar="TARGET_FILE")
@click.argument("outfile", metavar="OUT")
@click_options(TranslateTestOptions)
@format_option("--format", help="Input format (default: from extension/content).")
@format_option("--out-format", help="Output format (default: from OUT's extension).")
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
    options = options_from_click(TranslateTestOptions, kwargs)
    sentences = read_corpus(infile, format=format, repair=True)[: options.limit]
    tagged = run(model, sentences, options, work_path=translations_path(outfile))
    write_corpus(tagged, outfile, format=out_format)
    n = sum(len(s.spans) for s in tagged)
    click.echo(f"tagged {len(tagged)} sentences ({n} entities) by translate-test -> {outfile}", err=True)
    if all(s.tags is not None for s in sentences) and any(s.spans for s in sentences):
        from ner.ensemble import score_against

        scores = score_against(sentences, tagged, infile)
        click.echo(f"entity F1 against TARGET_FILE's tags: {scores['f1']:.4f} "
                   f"(P {scores['precision']:.4f}, R {scores['recall']:.4f})", err=True)
