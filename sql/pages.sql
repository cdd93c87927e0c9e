-- One row per page of each archived day: what was read, and whether it failed (status, error). n_articles counts
-- the pieces cut from that page (a story jumping pages counts on each); html_agreement is the PDF-vs-HTML check.
-- Rows of the run each day's `issues` row names only (see articles.sql).
CREATE OR REPLACE VIEW pages AS
SELECT p.paper, p.issue_date, p.page, p.page_name, p.source_kind, p.raw_key, p.sha256, p.status, p.error,
       p.n_articles, p.fragments, p.html_agreement
FROM delta_pages p
SEMI JOIN delta_issues i ON p.paper = i.paper AND p.issue_date = i.issue_date AND p.run_id = i.run_id;
