"""What `compile(loss=..., metrics=...)` means for each model output.

`CompileLoss` resolves the loss argument (a name, function, Loss object, or a
list/dict of them per output, with `loss_weights`) and sums the per-output
losses; with several outputs it also tracks each one's mean (`<output>_loss`).
`CompileMetrics` resolves the metrics (a list, or a list of lists / dict per
output) once the first batch shows the targets' and predictions' shapes, so
"accuracy" becomes the binary, sparse categorical or categorical accuracy.
"""
from tensorlite.keras import naming


def get_object_name(obj):
    """A metric or loss object's name: its `name`, else its function/class name in snake case."""
    if hasattr(obj, "name") and isinstance(obj.name, str):
        return obj.name
    if hasattr(obj, "__name__"):
        return naming.to_snake_case(obj.__name__)
    return naming.to_snake_case(type(obj).__name__)


def _is_binary_or_sparse(y_true, y_pred):
    t_shape, p_shape = tuple(y_true.shape), tuple(y_pred.shape)
    is_binary = bool(p_shape) and p_shape[-1] == 1
    is_sparse = len(t_shape) < len(p_shape) or (
        bool(t_shape) and t_shape[-1] == 1 and bool(p_shape) and p_shape[-1] != 1)
    return is_binary, is_sparse


def get_metric(identifier, y_true, y_pred):
    """A metric object for `identifier`; "accuracy"/"acc" picks the accuracy that fits the
    shapes (binary if one output unit, sparse categorical for integer labels, else
    categorical)."""
    from tensorlite.keras import metrics as metrics_module
    if str(identifier).lower() in ("accuracy", "acc"):
        is_binary, is_sparse = _is_binary_or_sparse(y_true, y_pred)
        if is_binary:
            metric = metrics_module.BinaryAccuracy(name=str(identifier))
        elif is_sparse:
            metric = metrics_module.SparseCategoricalAccuracy(name=str(identifier))
        else:
            metric = metrics_module.CategoricalAccuracy(name=str(identifier))
    else:
        metric = metrics_module.get(identifier)
    name = identifier if isinstance(identifier, str) else get_object_name(metric)
    if not isinstance(metric, metrics_module.Metric):
        metric = metrics_module.MeanMetricWrapper(metric, name=name)
    metric.name = name
    return metric


def get_loss(identifier):
    """A Loss object for `identifier` (functions are wrapped, named after the identifier)."""
    from tensorlite.keras import losses
    loss = losses.get(identifier)
    if not isinstance(loss, losses.Loss):
        name = identifier if isinstance(identifier, str) else get_object_name(loss)
        loss = losses.LossFunctionWrapper(loss, name=name)
    return loss


def flatten_outputs(y_pred, output_names):
    """(names, predictions) of a model's outputs; a name is None when unknown."""
    if isinstance(y_pred, dict):
        if output_names and set(output_names) == set(y_pred):
            keys = list(output_names)
        else:
            keys = sorted(y_pred)
        return keys, [y_pred[k] for k in keys]
    if isinstance(y_pred, (list, tuple)):
        if output_names and len(output_names) == len(y_pred):
            return list(output_names), list(y_pred)
        return [None] * len(y_pred), list(y_pred)
    if output_names and len(output_names) == 1:
        return list(output_names), [y_pred]
    return [None], [y_pred]


def flatten_targets(y_true, names, what="y_true"):
    """`y_true` (or sample weights) in the order of the outputs `names`."""
    n = len(names)
    if isinstance(y_true, dict):
        if all(name in y_true for name in names):
            return [y_true[name] for name in names]
        if len(y_true) == n:
            return [y_true[k] for k in sorted(y_true)]
        raise ValueError(f"The keys of {what} {sorted(y_true)} do not match the model's "
                         f"outputs {names}.")
    if isinstance(y_true, (list, tuple)):
        if len(y_true) == n:
            return list(y_true)
        raise ValueError(f"y_true and y_pred have different structures.\n"
                         f"{what}: {len(y_true)} values\ny_pred: {n} outputs\n")
    if n != 1:
        raise ValueError(f"y_true and y_pred have different structures.\n{what}: a single "
                         f"value\ny_pred: {n} outputs\n")
    return [y_true]


def _batch_size(t):
    dim = t.shape[0] if t.shape.rank else None
    if dim is not None:
        return dim
    import tensorlite as tf
    return tf.shape(t)[0]


class CompileLoss:
    """The compiled loss: the sum over outputs of `weight * loss(y_true, y_pred)`."""

    def __init__(self, loss, loss_weights=None, reduction="sum_over_batch_size",
                 output_names=None):
        if loss_weights is not None and not isinstance(loss_weights,
                                                       (list, tuple, dict, float, int)):
            raise ValueError("Expected `loss_weights` argument to be a float (single output "
                             "case) or a list, tuple, or dict (multiple output case). Received "
                             f"instead: loss_weights={loss_weights} of type "
                             f"{type(loss_weights)}")
        self.name = "compile_loss"
        self.reduction = reduction
        self.output_names = output_names
        self._user_loss = loss
        self._user_loss_weights = loss_weights
        self._entries = None  # (output index, Loss, weight, name)
        self.metrics = []
        self.built = False

    @property
    def variables(self):
        return [v for m in self.metrics for v in m.variables]

    def build(self, y_true, y_pred):
        names, preds = flatten_outputs(y_pred, self.output_names)
        n = len(preds)
        loss = self._user_loss
        if isinstance(loss, dict):
            if None in names or not set(loss) <= set(names):
                raise ValueError(f"Expected keys {names} in loss dict, but found "
                                 f"loss.keys()={list(loss)}")
            pairs = [(i, loss.get(name)) for i, name in enumerate(names)]
        elif isinstance(loss, (list, tuple)):
            if len(loss) == n:
                pairs = list(enumerate(loss))
            elif n == 1:
                pairs = [(0, one) for one in loss]
            else:
                raise ValueError("For a model with multiple outputs, when providing the `loss` "
                                 "argument as a list, it should have as many entries as the "
                                 f"model has outputs. Received:\nloss={loss}\nof length "
                                 f"{len(loss)} whereas the model has {n} outputs.")
        else:
            pairs = [(i, loss) for i in range(n)]
        weights = self._weights_for(pairs, names)
        self._entries = []
        for (i, identifier), weight in zip(pairs, weights):
            if identifier is None:
                continue
            resolved = get_loss(identifier)
            self._entries.append((i, resolved, weight, names[i] or resolved.name))
        if len(self._entries) > 1:
            from tensorlite.keras import metrics as metrics_module
            self.metrics = [metrics_module.Mean(name=f"{name}_loss")
                            for _, _, _, name in self._entries]
        self._names = names
        self.built = True

    def _weights_for(self, pairs, names):
        w = self._user_loss_weights
        if w is None:
            return [None] * len(pairs)
        if isinstance(w, dict):
            return [w.get(names[i]) for i, _ in pairs]
        if isinstance(w, (list, tuple)):
            loss = self._user_loss
            given = len(loss) if isinstance(loss, (list, tuple, dict)) else 1
            if len(w) != given or len(w) != len(pairs):
                raise ValueError(f"`loss_weights` must match the number of losses, got "
                                 f"{given} losses and {len(w)} weights.")
            return list(w)
        return [w] * len(pairs)

    def __call__(self, y_true, y_pred, sample_weight=None):
        """The total loss (a scalar tensor), or None when no output has a loss."""
        if not self.built:
            self.build(y_true, y_pred)
        if len(self._names) == 1 and not isinstance(y_pred, (list, tuple, dict)):
            trues, preds = [y_true[0] if isinstance(y_true, (list, tuple)) and len(y_true) == 1
                            else y_true], [y_pred]
            weights = [sample_weight]
        else:
            _, preds = flatten_outputs(y_pred, self.output_names)
            trues = flatten_targets(y_true, self._names)
            if isinstance(sample_weight, (list, tuple, dict)):
                weights = flatten_targets(sample_weight, self._names, "sample_weight")
            else:
                weights = [sample_weight] * len(preds)
        total = None
        trackers = self.metrics or [None] * len(self._entries)
        for (i, loss_fn, weight, _), tracker in zip(self._entries, trackers):
            value = loss_fn(trues[i], preds[i], weights[i])
            if value.dtype.name != "float32":
                import tensorlite as tf
                value = tf.cast(value, "float32")
            if tracker is not None:
                tracker.update_state(value, sample_weight=_batch_size(preds[i]))
            if weight is not None:
                value = value * weight
            total = value if total is None else total + value
        return total


class _MetricsList:
    """The metrics of one output (`output_name` prefixes their names in the logs)."""

    def __init__(self, metrics, output_index, output_name):
        self.metrics = metrics
        self.output_index = output_index
        self.output_name = output_name


class CompileMetrics:
    """The compiled metrics (`model.metrics` shows them as one entry, "compile_metrics");
    `result()` is a dict of the metrics' values, prefixed by output name when the model
    has several outputs."""

    def __init__(self, metrics, weighted_metrics, output_names=None):
        for arg_name, arg in (("metrics", metrics), ("weighted_metrics", weighted_metrics)):
            if arg and not isinstance(arg, (list, tuple, dict)):
                raise ValueError(f"Expected `{arg_name}` argument to be a list, tuple, or "
                                 f"dict. Received instead: {arg_name}={arg} of type "
                                 f"{type(arg)}")
        self.name = "compile_metrics"
        self.output_names = output_names
        self._user_metrics = metrics
        self._user_weighted_metrics = weighted_metrics
        self._sets = []
        self._weighted_sets = []
        self.built = False

    @property
    def metrics(self):
        return [m for s in self._sets + self._weighted_sets for m in s.metrics]

    @property
    def variables(self):
        return [v for m in self.metrics for v in m.variables]

    def build(self, y_true, y_pred):
        names, preds = flatten_outputs(y_pred, self.output_names)
        trues = flatten_targets(y_true, names)
        self._names = names
        self._sets = self._build_set(self._user_metrics, names, trues, preds, "metrics")
        self._weighted_sets = self._build_set(self._user_weighted_metrics, names, trues, preds,
                                              "weighted_metrics")
        self.built = True

    def _build_set(self, metrics, names, trues, preds, argument_name):
        if not metrics:
            return []
        n = len(preds)
        if n == 1:
            flat = list(metrics.values()) if isinstance(metrics, dict) else list(metrics)
            flat = [m for entry in flat for m in (entry if isinstance(entry, (list, tuple))
                                                  else [entry])]
            return [_MetricsList([get_metric(m, trues[0], preds[0]) for m in flat
                                  if m is not None], 0, None)]
        if isinstance(metrics, (list, tuple)) and len(metrics) == n:
            per_output = list(metrics)
        elif isinstance(metrics, dict) and None not in names and set(metrics) <= set(names):
            per_output = [metrics.get(name) for name in names]
        else:
            raise ValueError(
                f"Invalid `{argument_name}`. `{argument_name}` should contain metrics objects "
                "and either be a dict or a list matching the output names of the functional "
                f"model {self.output_names} or match the output structure of the model: "
                f"{['X'] * n}.\nReceived: {argument_name}={metrics}")
        sets = []
        for i, entry in enumerate(per_output):
            if entry is None:
                continue
            entry = list(entry) if isinstance(entry, (list, tuple)) else [entry]
            sets.append(_MetricsList([get_metric(m, trues[i], preds[i]) for m in entry
                                      if m is not None], i, names[i]))
        return sets

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.built:
            self.build(y_true, y_pred)
        if len(self._names) == 1 and not isinstance(y_pred, (list, tuple, dict)):
            trues = [y_true[0] if isinstance(y_true, (list, tuple)) and len(y_true) == 1
                     else y_true]
            preds = [y_pred]
        else:
            _, preds = flatten_outputs(y_pred, self.output_names)
            trues = flatten_targets(y_true, self._names)
        for s in self._sets:
            for m in s.metrics:
                m.update_state(trues[s.output_index], preds[s.output_index])
        if self._weighted_sets:
            if isinstance(sample_weight, (list, tuple, dict)):
                weights = flatten_targets(sample_weight, self._names, "sample_weight")
            else:
                weights = [sample_weight] * len(preds)
            for s in self._weighted_sets:
                i = s.output_index
                for m in s.metrics:
                    m.update_state(trues[i], preds[i], sample_weight=weights[i])

    def reset_state(self):
        for m in self.metrics:
            m.reset_state()

    def result(self):
        if not self.built:
            raise ValueError("Cannot get result() since the metric has not yet been built.")
        results = {}
        counts = {}
        for s in self._sets:
            for m in s.metrics:
                name = f"{s.output_name}_{m.name}" if s.output_name else m.name
                if name in counts:
                    counts[name] += 1
                    name = f"{name}_{counts[name] - 1}"
                else:
                    counts[name] = 1
                results[name] = m.result()
        for s in self._weighted_sets:
            for m in s.metrics:
                name = f"{s.output_name}_{m.name}" if s.output_name else m.name
                if name in counts:
                    weighted = f"weighted_{m.name}"
                    name = f"{s.output_name}_{weighted}" if s.output_name else weighted
                    if name in counts:
                        counts[name] += 1
                        name = f"{name}_{counts[name] - 1}"
                    else:
                        counts[name] = 1
                else:
                    counts[name] = 1
                results[name] = m.result()
        return results

