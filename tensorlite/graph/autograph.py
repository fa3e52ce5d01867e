"""AutoGraph: `if`, `for` and `while` statements become calls that choose, at run time,
between Python control flow and graph control flow (`tf.cond` / `tf.while_loop`).

A function is converted by rewriting its AST (source from `inspect`):

    if x > 0:                      def if_true(y): y = y + 1; return (y,)
        y = y + 1          ->      def if_false(y): return (y,)
                                   (y,) = ag__.if_stmt(x > 0, if_true, if_false,
                                                       ag__.get_vars(locals(), ('y',)), ('y',))

Each branch or loop body becomes a function of the variables it assigns; the
runtime (`tensorlite.graph.autograph_runtime`) calls them directly when the
condition is a Python value, or builds a cond/while_loop when it is a tensor.
Early `return`s inside `if` are folded into else-branches, `continue` into
guarded statements and `break` into a loop variable. Functions without
control flow are returned unchanged.
"""
import ast
import inspect
import textwrap
import types

from tensorlite.graph import autograph_runtime

_converted_cache = {}


class AutoGraphError(SyntaxError):
    """A function uses control flow that cannot be converted."""


def _assigned_names(stmts):
    """Names bound by assignments in `stmts` (not inside nested functions/classes)."""
    names = []

    class Finder(ast.NodeVisitor):
        def visit_Name(self, node):
            if isinstance(node.ctx, ast.Store) and node.id not in names:
                names.append(node.id)

        def visit_FunctionDef(self, node):
            # generated branch/body functions are not state
            if node.name not in names and not node.name.startswith("ag__"):
                names.append(node.name)

        visit_AsyncFunctionDef = visit_FunctionDef

        def visit_ClassDef(self, node):
            if node.name not in names:
                names.append(node.name)

        def visit_Lambda(self, node):
            pass

    finder = Finder()
    for s in stmts:
        finder.visit(s)
    return [n for n in names if not n.startswith("ag__item")]


def _has(stmts, node_types, stop=(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                  ast.Lambda)):
    for s in stmts:
        if isinstance(s, stop):
            continue
        for node in _walk(s, stop):
            if isinstance(node, node_types):
                return True
    return False


def _walk(node, stop):
    yield node
    for child in ast.iter_child_nodes(node):
        if isinstance(child, stop):
            continue
        yield from _walk(child, stop)


def _loop_control_in_this_loop(stmts, kind):
    """True if `stmts` hold a break/continue belonging to the loop they are the body of."""
    stop = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.For,
            ast.While)
    return _has(stmts, kind, stop)


def _ends_with_return(stmts):
    return bool(stmts) and isinstance(stmts[-1], ast.Return)


class _Converter(ast.NodeTransformer):
    def __init__(self):
        self._counter = 0

    def _name(self, base):
        self._counter += 1
        return f"ag__{base}_{self._counter}"

    # -- statement lists ---------------------------------------------------------------
    def _convert_body(self, stmts):
        stmts = _fold_early_returns(stmts)
        out = []
        for s in stmts:
            r = self.visit(s)
            out.extend(r if isinstance(r, list) else [r])
        return out

    def visit_FunctionDef(self, node):
        node.body = self._convert_body(node.body)
        return node

    # -- conditions ------------------------------------------------------------------------
    def _test(self, expr):
        return _BoolOps().visit(expr)

    def visit_If(self, node):
        test = self._test(node.test)
        body = self._convert_body(node.body)
        orelse = self._convert_body(node.orelse) if node.orelse else []
        if _ends_with_return(body) and _ends_with_return(orelse):
            names = _assigned_names(node.body + node.orelse)
            return self._if_call(test, body, orelse, names, returns=True)
        if _has(body + orelse, ast.Return):
            raise AutoGraphError("a `return` inside an `if` that does not end both branches "
                                 "is not supported by AutoGraph here; return from both "
                                 "branches or after the `if`.")
        names = _assigned_names(node.body + node.orelse)
        return self._if_call(test, body, orelse, names, returns=False)

    def _if_call(self, test, body, orelse, names, returns):
        t_name, f_name = self._name("if_true"), self._name("if_false")
        state = _tuple_of_names(names)
        defs = []
        for fname, stmts in ((t_name, body), (f_name, orelse)):
            fn_body = list(stmts) or [ast.Pass()]
            if not returns:
                fn_body = fn_body + [ast.Return(value=state)]
            defs.append(_function(fname, names, fn_body))
        call = _call("if_stmt", [test, ast.Name(t_name, ast.Load()),
                                 ast.Name(f_name, ast.Load()), _get_vars(names),
                                 _str_tuple(names), ast.Constant(returns)])
        if returns:
            return defs + [ast.Return(value=call)]
        return defs + [_assign(names, call)]

    # -- loops --------------------------------------------------------------------------------
    def visit_For(self, node):
        if node.orelse:
            raise AutoGraphError("for/else is not supported by AutoGraph")
        body, brk = self._loop_body(node.body)
        target_names = _assigned_names([ast.Assign(targets=[node.target], value=ast.Constant(0))])
        names = [n for n in _assigned_names(body) if n not in target_names]
        if brk and brk not in names:
            names.append(brk)
        if _has(body, ast.Return):
            raise AutoGraphError("`return` inside a converted loop is not supported; assign "
                                 "a variable and return after the loop.")
        item = self._name("item")
        body_name = self._name("for_body")
        fn_body = [ast.Assign(targets=[node.target], value=ast.Name(item, ast.Load()))] + \
            self._convert_body(body) + [ast.Return(value=_tuple_of_names(names))]
        defs = [_function(body_name, [item] + names, fn_body)]
        extra = []
        if brk:
            test_name = self._name("for_test")
            defs.append(_function(test_name, names, [ast.Return(value=_call(
                "not_", [ast.Name(brk, ast.Load())]))]))
            extra = [ast.Name(test_name, ast.Load())]
        pre = [_set(brk, ast.Constant(False))] if brk else []
        call = _call("for_stmt", [node.iter, ast.Name(body_name, ast.Load()), _get_vars(names),
                                  _str_tuple(names)] + extra)
        return pre + defs + [_assign(names, call)]

    def visit_While(self, node):
        if node.orelse:
            raise AutoGraphError("while/else is not supported by AutoGraph")
        body, brk = self._loop_body(node.body)
        names = _assigned_names(body)
        if brk and brk not in names:
            names.append(brk)
        if _has(body, ast.Return):
            raise AutoGraphError("`return` inside a converted loop is not supported; assign "
                                 "a variable and return after the loop.")
        test = self._test(node.test)
        if brk:
            test = _call("and_", [ast.Lambda(args=_no_args(), body=_call(
                "not_", [ast.Name(brk, ast.Load())])), ast.Lambda(args=_no_args(), body=test)])
        test_name, body_name = self._name("while_test"), self._name("while_body")
        defs = [_function(test_name, names, [ast.Return(value=test)]),
                _function(body_name, names, self._convert_body(body) +
                          [ast.Return(value=_tuple_of_names(names))])]
        pre = [_set(brk, ast.Constant(False))] if brk else []
        call = _call("while_stmt", [ast.Name(test_name, ast.Load()),
                                    ast.Name(body_name, ast.Load()), _get_vars(names),
                                    _str_tuple(names)])
        return pre + defs + [_assign(names, call)]

    def _loop_body(self, stmts):
        """`continue` folded into guards; `break` into a flag variable (returned)."""
        brk = None
        if _loop_control_in_this_loop(stmts, ast.Break):
            brk = self._name("break")
            stmts = _rewrite_break(stmts, brk)
        if _loop_control_in_this_loop(stmts, ast.Continue):
            stmts = _rewrite_continue(stmts)
        return stmts, brk


# ---- rewrites of statement lists -----------------------------------------------------------

def _fold_early_returns(stmts):
    """`if c: ...; return a` followed by more code -> `if c: ...; return a else: <rest>`."""
    for i, s in enumerate(stmts):
        if isinstance(s, ast.If) and i + 1 < len(stmts):
            body_returns = _ends_with_return(s.body)
            else_returns = _ends_with_return(s.orelse)
            if body_returns and not s.orelse:
                rest = _fold_early_returns(stmts[i + 1:])
                if not _ends_with_return(rest):
                    rest = rest + [ast.Return(value=ast.Constant(None))]
                return stmts[:i] + [ast.If(test=s.test, body=s.body, orelse=rest)]
            if else_returns and not body_returns:
                rest = _fold_early_returns(stmts[i + 1:])
                return stmts[:i] + [ast.If(test=s.test, body=s.body + rest, orelse=s.orelse)]
    return stmts


def _rewrite_continue(stmts):
    out = []
    for i, s in enumerate(stmts):
        if isinstance(s, ast.Continue):
            return out
        if isinstance(s, ast.If) and (_has(s.body, ast.Continue, _LOOP_STOP) or
                                      _has(s.orelse, ast.Continue, _LOOP_STOP)):
            rest = stmts[i + 1:]
            body = _rewrite_continue(s.body + ([] if _ends_in(s.body, ast.Continue) else rest))
            orelse = _rewrite_continue(s.orelse + ([] if _ends_in(s.orelse, ast.Continue)
                                                   else rest))
            out.append(ast.If(test=s.test, body=body or [ast.Pass()], orelse=orelse))
            return out
        out.append(s)
    return out


def _rewrite_break(stmts, flag):
    out = []
    for i, s in enumerate(stmts):
        if isinstance(s, ast.Break):
            out.append(_set(flag, ast.Constant(True)))
            return out
        if isinstance(s, ast.If) and (_has(s.body, ast.Break, _LOOP_STOP) or
                                      _has(s.orelse, ast.Break, _LOOP_STOP)):
            out.append(ast.If(test=s.test, body=_rewrite_break(s.body, flag) or [ast.Pass()],
                              orelse=_rewrite_break(s.orelse, flag)))
            rest = _rewrite_break(stmts[i + 1:], flag)
            if rest:
                out.append(ast.If(test=_call("not_", [ast.Name(flag, ast.Load())]), body=rest,
                                  orelse=[]))
            return out
        out.append(s)
    return out


_LOOP_STOP = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.For,
              ast.While)


def _ends_in(stmts, kind):
    return bool(stmts) and isinstance(stmts[-1], kind)


class _BoolOps(ast.NodeTransformer):
    """`a and b`, `a or b`, `not a` in conditions -> lazily evaluated ag__ calls."""

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        fn = "and_" if isinstance(node.op, ast.And) else "or_"
        result = node.values[-1]
        for value in reversed(node.values[:-1]):
            result = _call(fn, [ast.Lambda(args=_no_args(), body=value),
                                ast.Lambda(args=_no_args(), body=result)])
        return result

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Not):
            return _call("not_", [node.operand])
        return node


# ---- AST builders ----------------------------------------------------------------------------

def _no_args():
    return ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                         kwarg=None, defaults=[])


def _function(name, params, body):
    args = _no_args()
    args.args = [ast.arg(arg=p) for p in params]
    return ast.FunctionDef(name=name, args=args, body=body, decorator_list=[], returns=None,
                           type_params=[])


def _call(fn, args):
    return ast.Call(func=ast.Attribute(value=ast.Name("ag__", ast.Load()), attr=fn,
                                       ctx=ast.Load()), args=args, keywords=[])


def _tuple_of_names(names):
    return ast.Tuple(elts=[ast.Name(n, ast.Load()) for n in names], ctx=ast.Load())


def _str_tuple(names):
    return ast.Tuple(elts=[ast.Constant(n) for n in names], ctx=ast.Load())


def _get_vars(names):
    return _call("get_vars", [ast.Call(func=ast.Name("locals", ast.Load()), args=[],
                                       keywords=[]), _str_tuple(names)])


def _set(name, value):
    return ast.Assign(targets=[ast.Name(name, ast.Store())], value=value)


def _assign(names, value):
    target = ast.Tuple(elts=[ast.Name(n, ast.Store()) for n in names], ctx=ast.Store())
    return ast.Assign(targets=[target], value=value)


# ---- entry points ------------------------------------------------------------------------------

def _function_tree(fn):
    source = textwrap.dedent(inspect.getsource(fn))
    tree = ast.parse(source)
    fdef = tree.body[0]
    if not isinstance(fdef, (ast.FunctionDef, ast.AsyncFunctionDef)):
        raise AutoGraphError("only `def` functions are converted")
    fdef.decorator_list = []
    return fdef


def _converted_tree(fn):
    if fn.__name__ == "<lambda>":  # an expression: no statements to convert
        return None
    fdef = _function_tree(fn)
    if not _has(fdef.body, (ast.If, ast.For, ast.While)):
        return None
    new = _Converter().visit(fdef)
    ast.fix_missing_locations(new)
    return new


def convert(fn):
    """`fn` with its control flow converted (or `fn` itself if it has none / no source)."""
    if isinstance(fn, types.MethodType):
        converted = convert(fn.__func__)
        return fn if converted is fn.__func__ else types.MethodType(converted, fn.__self__)
    if not isinstance(fn, types.FunctionType) or getattr(fn, "__ag_do_not_convert__", False):
        return fn
    cached = _converted_cache.get(fn)
    if cached is not None:
        return cached
    try:
        tree = _converted_tree(fn)
    except AutoGraphError:
        raise
    except (OSError, TypeError, SyntaxError):
        tree = None  # no source (REPL, builtins): trace it as written
    if tree is None:
        _converted_cache[fn] = fn
        return fn
    freevars = fn.__code__.co_freevars
    factory = ast.FunctionDef(
        name="ag__factory", args=_no_args(), body=[tree, ast.Return(ast.Name(tree.name,
                                                                              ast.Load()))],
        decorator_list=[], returns=None, type_params=[])
    factory.args.args = [ast.arg(arg="ag__")] + [ast.arg(arg=v) for v in freevars]
    module = ast.Module(body=[factory], type_ignores=[])
    ast.fix_missing_locations(module)
    # Errors in converted code point at the user's own file and lines.
    ast.increment_lineno(module, fn.__code__.co_firstlineno - 1)
    filename = inspect.getsourcefile(fn) or "<autograph>"
    code = compile(module, filename=filename, mode="exec")
    namespace = {}
    exec(code, fn.__globals__, namespace)  # noqa: S102 - the user's own code, rewritten
    cells = [c.cell_contents for c in fn.__closure__ or ()]
    converted = namespace["ag__factory"](autograph_runtime, *cells)
    converted.__defaults__ = fn.__defaults__
    converted.__kwdefaults__ = fn.__kwdefaults__
    converted.__wrapped__ = fn
    _converted_cache[fn] = converted
    return converted


def to_code(entity, recursive=True, experimental_optional_features=None):
    """The Python source AutoGraph runs for `entity` (readable, converted)."""
    fn = getattr(entity, "python_function", entity)
    fn = getattr(fn, "__func__", fn)
    tree = _converted_tree(fn)
    if tree is None:
        return textwrap.dedent(inspect.getsource(fn))
    return ast.unparse(tree) + "\n"


def do_not_convert(func=None):
    """Decorator: AutoGraph leaves this function as written."""
    def mark(f):
        f.__ag_do_not_convert__ = True
        return f
    return mark(func) if func is not None else mark
