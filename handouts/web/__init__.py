"""The local web app (``build-handouts serve``): the whole tool from the browser.

It is a front end only: every rule, message and file format is the library's, called the same
way the command line calls it. Flask is imported only here, so ``build-handouts build`` never
pays for it.
"""
