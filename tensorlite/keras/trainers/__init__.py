"""The training machinery of `keras.Model`: loops, compiled loss/metrics, data, progress bar."""
