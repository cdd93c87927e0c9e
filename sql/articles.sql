-- One row per story (continuations stitched): the rows of the run each day's `issues` row names, so a day being
-- re-published shows its previous version until the new one is whole. reading says where it was read from
-- ('html': the e-paper site's article page, 'pdf', 'txt').
CREATE OR REPLACE VIEW articles AS
SELECT a.article_id, a.paper, a.issue_date, a.page, a.pages, a.seq, a.kicker, a.title, a.subtitle, a.authors,
       a.body, a.n_chars, a.continues_to_page, a.continued_from_page, a.parts, a.regions, a.reading
FROM delta_articles a
ANTI JOIN unpublished_articles u ON a.paper = u.paper AND a.issue_date = u.issue_date AND a.run_id = u.run_id;
