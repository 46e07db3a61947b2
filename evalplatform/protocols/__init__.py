"""Evaluation protocols (likert, ab, ggb, ...): one registry entry per protocol.

``registry.get(name)`` returns the protocol's ``ProtocolSpec``; see ``registry`` for what
a protocol owns and the README's "Adding a protocol" for how to add one. Pure: no ORM, so
campaigns, crowd and reports can all ask it. Import names from the modules.
"""
