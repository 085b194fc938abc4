"""The Arabic language: match keys, clitics and light stems, tokens, language id, lexicon files.

What every stage knows about Arabic lives here, below the stages (as spaCy keeps its Arabic
facts in ``spacy/lang/ar``): ``normalize`` (match keys), ``morphology`` (the one clitic table and
the light stem), ``tokens`` (tokenisers with offsets), ``search`` (full-text index terms),
``language`` (language id) and ``lexicons`` (the one loader for the data files in rasid/data).
"""
