"""AutoGraph: Python control flow on tensors becomes graph control flow (placeholder:
functions are traced as written until the converter lands)."""


def convert(fn):
    return fn
