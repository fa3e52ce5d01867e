"""Train the book's Fashion-MNIST MLP (Hands-On ML ch. 10, exercise of ch. 12) with tensorlite.

    python examples/fashion_mnist_mlp.py [--epochs N]
"""
import argparse

import tensorlite as tf


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)  # the book trains 30 epochs
    args = parser.parse_args()

    (X_train_full, y_train_full), (X_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
    X_train_full, X_test = X_train_full / 255.0, X_test / 255.0
    X_train, y_train = X_train_full[:-5000], y_train_full[:-5000]
    X_valid, y_valid = X_train_full[-5000:], y_train_full[-5000:]

    tf.keras.utils.set_random_seed(42)
    model = tf.keras.Sequential([
        tf.keras.layers.Input(shape=[28, 28]),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(300, activation="relu"),
        tf.keras.layers.Dense(100, activation="relu"),
        tf.keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd",
                  metrics=["accuracy"])
    model.summary()
    model.fit(X_train, y_train, epochs=args.epochs, validation_data=(X_valid, y_valid))
    loss, accuracy = model.evaluate(X_test, y_test, verbose=0)
    print(f"test loss {loss:.4f}, test accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()
