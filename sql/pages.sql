-- One row per page of each archived day: what was read, and whether it failed (status, error). n_articles counts
-- the pieces cut from that page (a story jumping pages counts on each); html_agreement is the PDF-vs-HTML check.
-- A page fetched from the e-paper site: reading ('html': from its article pages, 'pdf': from its PDF) and the
-- two readings compared (html_articles, pdf_articles, matched_articles, title_agreement, body_similarity,
-- hotspot_overlap); NULL for other pages.
CREATE OR REPLACE VIEW pages AS
SELECT paper, CAST(issue_date AS DATE) AS issue_date, page, page_name, source_kind, raw_key, sha256, status, error,
       n_articles, fragments, html_agreement, reading, html_articles, pdf_articles, matched_articles,
       title_agreement, body_similarity, hotspot_overlap
FROM read_parquet('{lake}/pages/*/*/*.parquet', hive_partitioning = true, union_by_name = true);
