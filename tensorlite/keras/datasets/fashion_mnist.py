"""`keras.datasets.fashion_mnist`: 60,000 + 10,000 28x28 grayscale clothing images."""
from tensorlite.keras.datasets._idx_datasets import load_idx_dataset

# sha256 of the decompressed IDX files (the original release)
_CONTENT_SHA256 = {
    "train-labels-idx1-ubyte.gz": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "train-images-idx3-ubyte.gz": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "t10k-labels-idx1-ubyte.gz": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    "t10k-images-idx3-ubyte.gz": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
}


def load_data():
    """((x_train, y_train), (x_test, y_test)) as uint8 arrays, like Keras."""
    return load_idx_dataset("fashion-mnist", _CONTENT_SHA256)
