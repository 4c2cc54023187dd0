"""Tags Return Home Interview free text with exploitation indicators (CSE, CCE, TRAFFICKING) and
entities. Stands alone: no Flask, nothing from the rest of rhi_service.

    from rhi_service.analysis import tag_text
    result = tag_text("...")          # result.labels, result.indicators, result.entities
"""
from .entities import Entity
from .lexicon import CATEGORIES, CONTEXTS, Indicator, Lexicon, LexiconError, load_lexicon
from .pipeline import Mention, Tagger, TagResult, default_tagger, tag_many, tag_text

__all__ = ["CATEGORIES", "CONTEXTS", "Entity", "Indicator", "Lexicon", "LexiconError", "Mention",
           "Tagger", "TagResult", "default_tagger", "load_lexicon", "tag_many", "tag_text"]
