-- One row per archived day; status is 'complete' or 'incomplete' (some pages failed, see pages.error). run_id: the
-- run that published the day (its rows are the ones the other views show).
CREATE OR REPLACE VIEW issues AS
SELECT paper, paper_name, issue_date, n_pages, n_pages_failed, n_articles, status, run_id
FROM delta_issues;
