/* Split a search query the way the index was split, Chinese included.
 *
 * Sphinx's index holds the words jieba cut the pages into, but its default query splitter
 * cuts only at spaces and punctuation: a query such as 张国洪挂职 would be one unknown word.
 * This splitter, which searchtools.js uses when it is defined first, cuts every run of
 * Chinese characters into the longest words the index knows (forward maximum matching);
 * characters that start no known word stay together, so an unknown word still finds nothing.
 */
var splitQuery = (query) => {
  requireEveryWord();
  const index = (typeof Search !== "undefined" && Search._index) || {};
  const known = new Set([
    ...Object.keys(index.terms || {}),
    ...Object.keys(index.titleterms || {}),
  ]);
  const longest = Math.min(8, Math.max(1, ...[...known].map((w) => w.length)));
  const han = /^\p{Script=Han}+$/u;
  const words = [];
  for (const part of query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)) {
    if (!part) continue;
    if (!han.test(part)) { words.push(part); continue; }
    let i = 0;
    let unknown = "";
    while (i < part.length) {
      let found = "";
      for (let n = Math.min(longest, part.length - i); n >= 2; n--) {
        if (known.has(part.slice(i, i + n))) { found = part.slice(i, i + n); break; }
      }
      if (found) {
        if (unknown) { words.push(unknown); unknown = ""; }
        words.push(found);
        i += found.length;
      } else {
        unknown += part[i];
        i += 1;
      }
    }
    if (unknown) words.push(unknown);
  }
  return words;
};

/* Every word of the query must be on a page it finds. Sphinx's searchtools.js lets words of
 * fewer than three characters drop out of that rule, which suits English ("is", "of") but
 * not Chinese, where most words, 挂职 among them, have two characters: without this, a query
 * of two words would list the pages that have either. Installed by splitQuery, which every
 * search calls just before it looks the words up, so no search can run without it. */
const requireEveryWord = () => {
  if (typeof Search === "undefined" || Search.__everyWord) return;
  const original = Search.performTermsSearch;
  Search.performTermsSearch = (searchTerms, excludedTerms) => {
    const results = original(searchTerms, excludedTerms);
    const index = Search._index;
    const pagesWith = (word) => {
      const pages = new Set();
      for (const table of [index.terms, index.titleterms]) {
        for (const [term, files] of Object.entries(table)) {
          if (term === word || (word.length > 2 && term.includes(word))) {
            [].concat(files).forEach((f) => pages.add(f));
          }
        }
      }
      return pages;
    };
    const wanted = [...searchTerms].map(pagesWith);
    return results.filter((result) => {
      const file = index.docnames.indexOf(result[0]);
      return wanted.every((pages) => pages.has(file));
    });
  };
  Search.__everyWord = true;
};
