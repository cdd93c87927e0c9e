"""What extraction read to articles: text dumps (`text`), PDF page content (`pdf`), e-paper HTML (`html`), with
the byline and line-joining rules they share (`bylines`, `normalize`) and stories stitched across pages
(`stitch`)."""
