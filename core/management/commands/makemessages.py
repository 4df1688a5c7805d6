"""Django's makemessages, also finding ``_l(...)`` (the name forms give gettext_lazy
when ``_`` is plain gettext in the same module), and without fuzzy guesses: a new
msgid is left untranslated rather than given a near neighbour's translation (#15)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
