"""``ner predict``: tag a file (tagged or plain text) and write it in any format.

The tagging options are :class:`ner.options.PredictOptions`, shared with the pipeline ``predict``
stage; both call :func:`ner.predict.predict` with them.
"""

from __future__ import annotations

import click

from augment.core.cli import format_option
from augment.core.options import click_options, options_from_click
from ner.options import PredictOptions


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("model", metavar="MODEL_DIR")
@click.argument("infile", metavar="IN")
@click.argument("outfile", metavar="OUT")
@format_option("--format", help="Input format (default: from extension/content).")
@format_option("--out-format", help="Output format (default: from OUT's extension; CoNLL otherwise).")
@click_options(PredictOptions)
def predict(model, infile, outfile, format, out_format, **options):
    """Tag IN with MODEL_DIR and write OUT (IOB2 tags; existing tags in IN are replaced).

    \b
      ner predict run/ yo.txt yo.tagged.conll
      ner predict run/ yo_test.conll yo_test.pred.jsonl
    """
    from augment.core import read_corpus, write_corpus
    from ner.predict import predict as predict_sentences
    from ner.train import env_threads

    env_threads()
    opts = options_from_click(PredictOptions, options)
    sentences = read_corpus(infile, format=format, repair=True)[: opts.limit]
    tagged = predict_sentences(model, sentences, **opts.library_kwargs())
    write_corpus(tagged, outfile, format=out_format)
    n = sum(len(s.spans) for s in tagged)
    click.echo(f"tagged {len(tagged)} sentences ({n} entities) -> {outfile}", err=True)
