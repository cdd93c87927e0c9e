-- Per paper and day: pages, articles, characters, articles without a headline or byline.
CREATE OR REPLACE VIEW daily_counts AS
SELECT paper, issue_date,
       count(DISTINCT page) AS pages_with_articles,
       count(*) AS articles,
       sum(n_chars) AS chars,
       count(*) FILTER (WHERE title = '') AS untitled,
       count(*) FILTER (WHERE len(authors) = 0) AS without_byline
FROM articles
GROUP BY paper, issue_date;
