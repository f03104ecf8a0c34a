"""``ner predict``: tag a file (tagged or plain text) and write it in any format."""

from __future__ import annotations

import click

from augment.core.cli import format_option


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("model", metavar="MODEL_DIR")
@click.argument("infile", metavar="IN")
@click.argument("outfile", metavar="OUT")
@format_option("--format", help="Input format (default: from extension/content).")
@format_option("--out-format", help="Output format (default: from OUT's extension; CoNLL otherwise).")
@click.option("--batch-size", type=int, default=32, show_default=True)
@click.option("--max-length", type=int, default=512, show_default=True,
              help="Subwords per sentence; words beyond it are tagged O.")
@click.option("--device", default="auto", show_default=True, help="auto, cpu or cuda.")
@click.option("--save-probs", is_flag=True,
              help="Keep each word's label probabilities (JSONL output) for `ner ensemble --method probs`.")
def predict(model, infile, outfile, format, out_format, batch_size, max_length, device, save_probs):
    """Tag IN with MODEL_DIR and write OUT (IOB2 tags; existing tags in IN are replaced).

    \b
      ner predict run/ yo.txt yo.tagged.conll
      ner predict run/ yo_test.conll yo_test.pred.jsonl
    """
    from augment.core import read_corpus, write_corpus
    from ner.predict import predict as predict_sentences
    from ner.train import env_threads

    env_threads()
    sentences = read_corpus(infile, format=format, repair=True)
    tagged = predict_sentences(model, sentences, batch_size=batch_size, max_length=max_length, device=device,
                                 save_probs=save_probs)
    write_corpus(tagged, outfile, format=out_format)
    n = sum(len(s.spans) for s in tagged)
    click.echo(f"tagged {len(tagged)} sentences ({n} entities) -> {outfile}", err=True)
