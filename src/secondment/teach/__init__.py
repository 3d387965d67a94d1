"""The instructors' tools: build the student exercises, grade submissions, make class links.

Run them with `python -m secondment.teach COMMAND` (or the `secondment-teach` script); students
never need them.
"""

import re

#: A check call, `check("03.2", …)`: the exercise (group 1) and the question's number (group 2).
CHECK_CALL = re.compile(r"""check\(\s*["'](\d\d)\.(\d+)["']""")
