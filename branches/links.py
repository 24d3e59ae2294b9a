"""Links between records of different apps, shown on each record's page. An app that turns one record into another
(a grid event into a hazard of the 六定 register) registers a source of links — `source(user, record)` →
[(label, text, url)] of the records the user may see — and every record page lists them (the generic detail page),
though branches knows nothing of the app."""

_SOURCES = []


def register_link_source(source):
    if source not in _SOURCES:
        _SOURCES.append(source)


def links_for(user, record):
    return [link for source in _SOURCES for link in source(user, record)]
