"""The shared sequence tagger: a BiLSTM-CRF run with NumPy (``crf``), trained with PyTorch (``train``), and the
all-MiniLM-L6-v2 encoder in NumPy (``minilm``). Used by attribution and techniques."""
