"""Composite tensors and containers: RaggedTensor, SparseTensor, TensorArray, sets, queues."""
