"""Names that an index written before ``search/whoosh/`` existed (#13) pickled in its table of
contents: Whoosh unpickles its schema by module path.  Kept so that such an index opens as it
is instead of being rebuilt; nothing imports this module.  Remove it with the next schema bump."""

from .whoosh.analysis import FastCharacters, FoldingFilter

__all__ = ["FastCharacters", "FoldingFilter"]
