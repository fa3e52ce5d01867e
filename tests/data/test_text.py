"""TextLineDataset: lines of text files, compression, several files, CSV pipelines."""
import gzip
import zlib

import pytest

import tensorlite as tf
import tensorlite.data  # noqa: F401 - installs tf.data
from tensorlite.framework import errors


def lines(dataset):
    return [line.numpy() for line in dataset]


@pytest.fixture
def csv_files(tmp_path):
    paths = []
    for i in range(3):
        path = tmp_path / f"part_{i}.csv"
        path.write_text("a,b\n" + "".join(f"{i},{j}\n" for j in range(i + 2)))
        paths.append(str(path))
    return paths


def test_lines_without_endings(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(b"x\r\ny\n\nz")
    ds = tf.data.TextLineDataset(str(path))
    assert repr(ds) == ("<TextLineDatasetV2 element_spec=TensorSpec(shape=(), dtype=tf.string, "
                        "name=None)>")
    assert lines(ds) == [b"x", b"y", b"", b"z"]
    assert lines(ds) == [b"x", b"y", b"", b"z"]  # re-iterable
    assert int(ds.cardinality()) == -2


def test_several_files_in_order_and_interleaved(csv_files):
    ds = tf.data.TextLineDataset(csv_files)
    assert lines(ds)[:4] == [b"a,b", b"0,0", b"0,1", b"a,b"]
    parallel = tf.data.TextLineDataset(csv_files, num_parallel_reads=2)
    assert lines(parallel) == [b"a,b", b"a,b", b"0,0", b"1,0", b"0,1", b"1,1", b"1,2", b"a,b",
                               b"2,0", b"2,1", b"2,2", b"2,3"]  # TensorFlow's order


def test_compressed_files(tmp_path):
    (tmp_path / "a.gz").write_bytes(gzip.compress(b"one\ntwo\n"))
    (tmp_path / "a.z").write_bytes(zlib.compress(b"three\n"))
    assert lines(tf.data.TextLineDataset(str(tmp_path / "a.gz"), compression_type="GZIP")) == \
        [b"one", b"two"]
    assert lines(tf.data.TextLineDataset(str(tmp_path / "a.z"), compression_type="ZLIB")) == \
        [b"three"]


def test_file_names_from_a_tensor_or_a_dataset(csv_files):
    from_tensor = tf.data.TextLineDataset(tf.constant(csv_files[:2]))
    from_dataset = tf.data.TextLineDataset(
        tf.data.Dataset.list_files(csv_files[:2], shuffle=False))
    assert lines(from_tensor) == lines(from_dataset)
    assert len(lines(from_dataset)) == 3 + 4


def test_errors(tmp_path):
    missing = tf.data.TextLineDataset(str(tmp_path / "zz.csv"))  # found out when read
    with pytest.raises(errors.NotFoundError, match="zz.csv; No such file or directory"):
        list(missing)
    with pytest.raises(TypeError, match="must contain `tf.string` elements. Got `tf.int32`"):
        tf.data.TextLineDataset(5)


def test_interleave_skipping_headers(csv_files):
    files = tf.data.Dataset.list_files(csv_files, shuffle=False)
    ds = files.interleave(lambda path: tf.data.TextLineDataset(path).skip(1), cycle_length=3)
    assert lines(ds) == [b"0,0", b"1,0", b"2,0", b"0,1", b"1,1", b"2,1", b"1,2", b"2,2",
                         b"2,3"]
    shuffled = tf.data.Dataset.list_files(csv_files, seed=3).interleave(
        lambda path: tf.data.TextLineDataset(path).skip(1), cycle_length=2)
    assert sorted(lines(shuffled)) == sorted(lines(ds))
