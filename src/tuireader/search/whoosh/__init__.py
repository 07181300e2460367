"""The Whoosh backend: the only code that imports Whoosh (a test checks it).

``backend.py`` implements ``search.backend.SearchBackend`` over the modules beside it: the
schema and its analysis, our posting format and block codec, the query language, its
evaluation over the postings, BM25F scoring, vocabulary expansion and highlighting.
"""
