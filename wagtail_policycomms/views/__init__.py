"""Views, one module per screen, as in Wagtail's own apps.

- ``public``: what citizens reach (the comment POST steps' helpers, receipt, email
  verification) and the staff download of attachments;
- ``comments``: the moderation queue's listing, inspect, history and moderate views;
- ``groups``: duplicate and campaign groups, and actions on a whole group;
- ``answers``: official answers and themes;
- ``bulk_actions``: moderation of a selection from the queue;
- ``assignments``: the plan's assignments (listing, export, unit-scoped editing);
- ``dashboard``: the panels on Wagtail's dashboard;
- ``pages``: what the package adds to Wagtail's page editor and page listing.

Forms are in ``forms``, filters in ``filters``, permissions in ``permissions``, and
every admin URL that is not a viewset's in ``admin_urls``.
"""
