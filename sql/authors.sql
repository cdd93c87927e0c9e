-- One row per (author, article): who wrote what, for by-author counts and listings.
CREATE OR REPLACE VIEW authors AS
SELECT unnest(authors) AS author, article_id, paper, issue_date, page, title
FROM articles;
