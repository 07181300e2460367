"""The codec's name that an index written before ``search/whoosh/`` existed (#13) pickled in
its table of contents (see ``analysis.py`` beside it).  Remove it with the next schema bump."""

from .whoosh.codec import ArrayBlockCodec

__all__ = ["ArrayBlockCodec"]
