"""The Jingzi demo (`manage.py load_demo`): the article's figures as data (`article.py`), one generator module per app
and one loader (`loader.py`) that runs them in an explicit order.

Arrows: the demo imports any app; no app imports the demo. A new app adds its own generator module here and its place
in `loader.LOAD_ORDER`, nothing else.
"""
