"""Text: paragraphs, the headline and teasers (``clean``), quotation-mark pairing (``quotemarks``), the curated
word lists every stage reads (``lexicon``), and the ``presslens_paragraphs`` spaCy component."""
