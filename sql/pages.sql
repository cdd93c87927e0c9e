-- One row per page of each archived day: what was read, and whether it failed (status, error). n_articles counts
-- the pieces cut from that page (a story jumping pages counts on each); html_agreement is the PDF-vs-HTML check.
-- A page fetched from the e-paper site: reading ('html': from its article pages, 'pdf': from its PDF) and the
-- two readings compared (html_articles, pdf_articles, matched_articles, title_agreement, body_similarity,
-- hotspot_overlap); NULL for other pages. Rows of the run each day's `issues` row names only (see articles.sql).
CREATE OR REPLACE VIEW pages AS
SELECT p.paper, p.issue_date, p.page, p.page_name, p.source_kind, p.raw_key, p.sha256, p.status, p.error,
       p.n_articles, p.fragments, p.html_agreement, p.reading, p.html_articles, p.pdf_articles,
       p.matched_articles, p.title_agreement, p.body_similarity, p.hotspot_overlap
FROM delta_pages p
ANTI JOIN unpublished_pages u ON p.paper = u.paper AND p.issue_date = u.issue_date AND p.run_id = u.run_id;
