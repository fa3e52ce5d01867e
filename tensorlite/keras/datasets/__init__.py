"""`keras.datasets`: the book datasets, read offline when the files are present."""
from tensorlite.keras.datasets import california_housing, fashion_mnist, mnist  # noqa: F401
