"""Page bytes to what segmentation reads: positioned lines of a page PDF (`pdf`), the text of a text dump (`text`),
the marked-up articles of e-paper HTML (`html`). No module here decides what is an article."""
