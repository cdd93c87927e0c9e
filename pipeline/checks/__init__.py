"""Checks on what the pipeline made: a published day's quality (`quality`), a PDF page's agreement with its HTML
(`agreement`), segmentation scored against a mark-up (`evaluate`), and pictures of a page's articles (`render`)."""
