"""Call events in: Twilio's status callback and any dialer signing Standard Webhooks.

`signatures` checks who sent a request, `services` writes each call once (logging it
through `activities.services.activity_log`, or keeping it unmatched), `selectors` reads
them for the admins' pages and API.
"""
