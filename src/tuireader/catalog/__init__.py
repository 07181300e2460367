"""What the library's index holds, kept apart from any search engine.

``store.py`` keeps the file states (the manifest and its journal) and the update lock;
``sync.py`` brings a search backend in line with the library folder: scan, compare with the
manifest, parse, extract entities, and hand the documents to the backend.  Neither imports a
search engine: the backend is given to them (see ``search/backend.py``).
"""
