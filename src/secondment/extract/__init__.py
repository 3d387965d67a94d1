"""Extract facts from an article's body: cadres and posts, quantities, dates, ranks.

Cadres are read by a pipeline of steps, a module each, in this order:

1. `normalise`: ASCII punctuation and simplified characters, the same length as the text;
2. `clauses`: paragraphs, sentences, runs between marks, table rows and field lines;
3. `triggers`: the verbs that mark a secondment (挂任, 挂职担任 …), a table of rows;
4. `posts`: organisations ending in job titles, from lexicons of unit and title words;
5. `people`: where a name starts and ends (surnames, jieba's word classes, what follows);
6. `roles`: which post is home and which host, from a table of sentence frames.

`cadres.find_cadres` runs them over a text. Quantities, events and ranks have a module each.
"""

from secondment.article import HAN
from secondment.extract import clauses, normalise, people, posts, roles, triggers
from secondment.extract.cadres import Cadre, find_cadres, unread_sentences
from secondment.extract.events import Event, find_events
from secondment.extract.numbers import chinese_number, parse_number
from secondment.extract.posts import post_parts
from secondment.extract.quantities import Quantity, find_quantities
from secondment.extract.ranks import Rank, find_ranks

__all__ = [
    "HAN",
    "Cadre",
    "Event",
    "Quantity",
    "Rank",
    "chinese_number",
    "clauses",
    "find_cadres",
    "find_events",
    "find_quantities",
    "find_ranks",
    "normalise",
    "parse_number",
    "people",
    "post_parts",
    "posts",
    "roles",
    "triggers",
    "unread_sentences",
]
