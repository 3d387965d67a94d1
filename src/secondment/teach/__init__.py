"""The instructors' tools: build the student exercises, grade submissions, make class links.

Run them with `python -m secondment.teach COMMAND` (or the `secondment-teach` script); students
never need them.
"""
