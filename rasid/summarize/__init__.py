"""Extractive summaries: one report's key sentences, and a story's across its reports."""
from rasid.summarize.rank import DEFAULT_WEIGHTS, Weights, rank_sentences, summarize
from rasid.summarize.sentences import sentence_texts, split_sentences
from rasid.summarize.story import summarize_story

__all__ = [
    "DEFAULT_WEIGHTS",
    "Weights",
    "rank_sentences",
    "sentence_texts",
    "split_sentences",
    "summarize",
    "summarize_story",
]
