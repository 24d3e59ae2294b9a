"""The Jingzi demo (`manage.py load_demo`): the article's figures as data (`article.py`), one generator module per app
and one loader (`loader.py`) that runs them in order: the shared model, each declared work line's demo module (its
`WorkLine.demo`, in the lines' order), then the monthly reports.

Arrows: the demo imports any app; no app imports the demo (a work line names its demo module as a string). A new work
line adds its own generator module and names it on its `WorkLine`, nothing else.
"""
