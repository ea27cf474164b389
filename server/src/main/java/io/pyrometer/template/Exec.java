package io.pyrometer.template;

import io.pyrometer.template.Node.ActionNode;
import io.pyrometer.template.Node.BoolNode;
import io.pyrometer.template.Node.BranchKind;
import io.pyrometer.template.Node.BranchNode;
import io.pyrometer.template.Node.BreakNode;
import io.pyrometer.template.Node.ChainNode;
import io.pyrometer.template.Node.CommandNode;
import io.pyrometer.template.Node.CommentNode;
import io.pyrometer.template.Node.ContinueNode;
import io.pyrometer.template.Node.DotNode;
import io.pyrometer.template.Node.FieldNode;
import io.pyrometer.template.Node.IdentifierNode;
import io.pyrometer.template.Node.ListNode;
import io.pyrometer.template.Node.NilNode;
import io.pyrometer.template.Node.NumberNode;
import io.pyrometer.template.Node.PipeNode;
import io.pyrometer.template.Node.StringNode;
import io.pyrometer.template.Node.TemplateNode;
import io.pyrometer.template.Node.TextNode;
import io.pyrometer.template.Node.VariableNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One execution of a template: Go's {@code text/template/exec.go} state (current template, node
 * for errors, variable stack, depth). Structured like Go's so that the node an error points at
 * ({@code at <.Foo>}) is the same.
 */
final class Exec {
    /** Go's maxExecDepth is 100000 (1000 on wasm); ours keeps recursion well inside a thread stack. */
    static final int MAX_EXEC_DEPTH = 1000;

    /**
     * Not in Go: a bound on nodes visited per execution, so a template that recurses
     * exponentially ({@code {{define "a"}}{{template "a"}}{{template "a"}}{{end}}}) or ranges over a
     * huge int fails instead of occupying a rule evaluation forever.
     */
    static final long MAX_STEPS = 2_000_000L;

    /** Go's missingVal: "no final argument from a previous pipeline stage". */
    static final Object MISSING = new Object() {
        @Override
        public String toString() { return "<missing>"; }
    };

    /** An execution error; the message is complete (Go's wording). */
    static final class ExecError extends RuntimeException {
        ExecError(String message) { super(message, null, false, false); }
    }

    private static final class Jump extends RuntimeException {
        Jump(String what) { super(what, null, false, false); }
    }

    private static final Jump BREAK = new Jump("break");
    private static final Jump CONTINUE = new Jump("continue");

    private final Template set;
    private final StringBuilder out = new StringBuilder();
    private Parser.Tree tree;
    private Node node;
    private ArrayList<String> varNames = new ArrayList<>();
    private ArrayList<Object> varValues = new ArrayList<>();
    private int depth;
    private long steps;

    Exec(Template set) { this.set = set; }

    String run(Parser.Tree t, Object data) throws TemplateException {
        tree = t;
        Object dot = Values.norm(data);
        varNames.add("$");
        varValues.add(dot);
        try {
            walk(dot, t.root());
        } catch (ExecError e) {
            throw new TemplateException(e.getMessage());
        } catch (StackOverflowError e) {
            throw new TemplateException("template: " + tree.name() + ": executing " + GoFmt.quote(tree.name())
                    + ": template nesting too deep for the thread stack");
        }
        return out.toString();
    }

    // ---- errors

    ExecError errorf(String msg) {
        String name = tree.name();
        if (node == null) return new ExecError("template: " + name + ": " + msg);
        return new ExecError("template: " + location(node) + ": executing " + GoFmt.quote(name) + " at <" + node + ">: " + msg);
    }

    /** Go's ErrorContext location: {@code parseName:line:col}, col in bytes from the line start (0-based). */
    private String location(Node n) {
        String text = tree.text();
        int pos = Math.min(n.pos(), text.length());
        int lineStart = text.lastIndexOf('\n', pos - 1) + 1;
        int line = 1;
        for (int i = 0; i < pos; i++) if (text.charAt(i) == '\n') line++;
        int col = text.substring(lineStart, pos).getBytes(StandardCharsets.UTF_8).length;
        return tree.parseName() + ":" + line + ":" + col;
    }

    private void at(Node n) { node = n; }

    // ---- variables

    private int mark() { return varNames.size(); }

    private void pop(int mark) {
        for (int i = varNames.size() - 1; i >= mark; i--) {
            varNames.remove(i);
            varValues.remove(i);
        }
    }

    private void push(String name, Object value) {
        varNames.add(name);
        varValues.add(value);
    }

    private void setVar(String name, Object value) {
        for (int i = varNames.size() - 1; i >= 0; i--) {
            if (varNames.get(i).equals(name)) {
                varValues.set(i, value);
                return;
            }
        }
        throw errorf("undefined variable: " + name);
    }

    private void setTopVar(int n, Object value) { varValues.set(varValues.size() - n, value); }

    private Object varValue(String name) {
        for (int i = varNames.size() - 1; i >= 0; i--) if (varNames.get(i).equals(name)) return varValues.get(i);
        throw errorf("undefined variable: " + name);
    }

    // ---- walking

    private void walk(Object dot, Node n) {
        at(n);
        if (++steps > MAX_STEPS) throw errorf("exceeded maximum number of execution steps (" + MAX_STEPS + ")");
        switch (n) {
            case ActionNode a -> {
                Object val = evalPipeline(dot, a.pipe());
                if (a.pipe().decl.isEmpty()) printValue(a, val);
            }
            case BreakNode b -> throw BREAK;
            case ContinueNode c -> throw CONTINUE;
            case CommentNode c -> { }
            case BranchNode b when b.kind() == BranchKind.RANGE -> walkRange(dot, b);
            case BranchNode b -> walkIfOrWith(b, dot);
            case ListNode l -> {
                for (Node c : l.nodes()) walk(dot, c);
            }
            case TemplateNode t -> walkTemplate(dot, t);
            case TextNode t -> out.append(t.text());
            default -> throw errorf("unknown node: " + n);
        }
    }

    private void walkIfOrWith(BranchNode b, Object dot) {
        int mark = mark();
        try {
            Object val = evalPipeline(dot, b.pipe());
            Boolean truth = Values.isTrue(val);
            if (truth == null) throw errorf("if/with can't use " + GoFmt.formatV(val));
            if (truth) walk(b.kind() == BranchKind.WITH ? val : dot, b.list());
            else if (b.elseList() != null) walk(dot, b.elseList());
        } finally {
            pop(mark);
        }
    }

    private void walkRange(Object dot, BranchNode r) {
        at(r);
        int outer = mark();
        try {
            Object val = evalPipeline(dot, r.pipe());
            int mark = mark();
            boolean ran = false;
            switch (val) {
                case Collection<?> c -> {
                    long i = 0;
                    for (Object e : c) {
                        ran = true;
                        oneIteration(r, mark, i++, Values.norm(e));
                    }
                }
                case Map<?, ?> m -> {
                    for (Map.Entry<String, Object> e : GoFmt.sortedEntries(m)) {
                        ran = true;
                        oneIteration(r, mark, e.getKey(), Values.norm(e.getValue()));
                    }
                }
                case Long n -> {
                    if (r.pipe().decl.size() > 1) throw errorf("can't use " + n + " to iterate over more than one variable");
                    for (long i = 0; i < n; i++) {
                        ran = true;
                        oneIteration(r, mark, null, i);
                    }
                }
                case null -> { }
                default -> throw errorf("range can't iterate over " + GoFmt.formatV(val));
            }
            if (!ran && r.elseList() != null) walk(dot, r.elseList());
        } catch (Jump j) {
            if (j != BREAK) throw j;
        } finally {
            pop(outer);
        }
    }

    private void oneIteration(BranchNode r, int mark, Object index, Object elem) {
        PipeNode p = r.pipe();
        if (!p.decl.isEmpty()) {
            if (p.isAssign) {
                if (p.decl.size() > 1) setVar(p.decl.get(0).ident().get(0), index);
                else setVar(p.decl.get(0).ident().get(0), elem);
            } else {
                setTopVar(1, elem);
            }
        }
        if (p.decl.size() > 1) {
            if (p.isAssign) setVar(p.decl.get(1).ident().get(0), elem);
            else setTopVar(2, index);
        }
        try {
            walk(elem, r.list());
        } catch (Jump j) {
            if (j != CONTINUE) throw j;
        } finally {
            pop(mark);
        }
    }

    private void walkTemplate(Object dot, TemplateNode t) {
        at(t);
        Parser.Tree tmpl = set.lookup(t.name());
        if (tmpl == null) throw errorf("template " + GoFmt.quote(t.name()) + " not defined");
        if (depth >= MAX_EXEC_DEPTH) throw errorf("exceeded maximum template depth (" + MAX_EXEC_DEPTH + ")");
        Object newDot = evalPipeline(dot, t.pipe());
        Parser.Tree savedTree = tree;
        // No dynamic scoping: the called template sees only $ (its dot).
        ArrayList<String> savedNames = varNames;
        ArrayList<Object> savedValues = varValues;
        varNames = new ArrayList<>(4);
        varValues = new ArrayList<>(4);
        push("$", newDot);
        tree = tmpl;
        depth++;
        try {
            walk(newDot, tmpl.root());
        } finally {
            depth--;
            tree = savedTree;
            varNames = savedNames;
            varValues = savedValues;
        }
    }

    // ---- evaluation

    private Object evalPipeline(Object dot, PipeNode pipe) {
        if (pipe == null) return null;
        at(pipe);
        Object value = MISSING;
        for (CommandNode cmd : pipe.cmds) value = evalCommand(dot, cmd, value);
        for (VariableNode v : pipe.decl) {
            if (pipe.isAssign) setVar(v.ident().get(0), value);
            else push(v.ident().get(0), value);
        }
        return value;
    }

    private void notAFunction(List<Node> args, Object fin) {
        if (args.size() > 1 || fin != MISSING) throw errorf("can't give argument to non-function " + args.get(0));
    }

    private Object evalCommand(Object dot, CommandNode cmd, Object fin) {
        Node first = cmd.args().get(0);
        switch (first) {
            case FieldNode f -> { return evalFieldNode(dot, f, cmd.args(), fin); }
            case ChainNode c -> { return evalChainNode(dot, c, cmd.args(), fin); }
            case IdentifierNode id -> { return evalFunction(dot, id, cmd, cmd.args(), fin); }
            case PipeNode p -> {
                notAFunction(cmd.args(), fin);
                return evalPipeline(dot, p);
            }
            case VariableNode v -> { return evalVariableNode(dot, v, cmd.args(), fin); }
            default -> { }
        }
        at(first);
        notAFunction(cmd.args(), fin);
        return switch (first) {
            case BoolNode b -> b.value();
            case DotNode d -> dot;
            case NilNode n -> throw errorf("nil is not a command");
            case NumberNode n -> idealConstant(n);
            case StringNode s -> s.text();
            default -> throw errorf("can't evaluate command " + GoFmt.quote(first.toString()));
        };
    }

    private Object idealConstant(NumberNode c) {
        at(c);
        if (c.isComplex()) throw errorf("complex constant " + c.text() + " is not supported");
        String t = c.text();
        boolean hexInt = t.length() > 2 && t.charAt(0) == '0' && (t.charAt(1) == 'x' || t.charAt(1) == 'X')
                && t.indexOf('p') < 0 && t.indexOf('P') < 0;
        boolean runeInt = t.startsWith("'");
        if (c.isFloat() && !hexInt && !runeInt && (t.indexOf('.') >= 0 || t.indexOf('e') >= 0 || t.indexOf('E') >= 0
                || t.indexOf('p') >= 0 || t.indexOf('P') >= 0)) {
            return c.float64();
        }
        if (c.isInt()) return c.int64();
        if (c.isUint()) throw errorf(t + " overflows int");
        return null;
    }

    private Object evalFieldNode(Object dot, FieldNode f, List<Node> args, Object fin) {
        at(f);
        return evalFieldChain(dot, dot, f, f.ident(), args, fin);
    }

    private Object evalChainNode(Object dot, ChainNode c, List<Node> args, Object fin) {
        at(c);
        if (c.node() instanceof NilNode) throw errorf("indirection through explicit nil in " + c);
        Object pipe = evalArg(dot, "any", c.node());
        return evalFieldChain(dot, pipe, c, c.field(), args, fin);
    }

    private Object evalVariableNode(Object dot, VariableNode v, List<Node> args, Object fin) {
        at(v);
        Object value = varValue(v.ident().get(0));
        if (v.ident().size() == 1) {
            if (args != null) notAFunction(args, fin);
            return value;
        }
        return evalFieldChain(dot, value, v, v.ident().subList(1, v.ident().size()), args, fin);
    }

    private Object evalFieldChain(Object dot, Object receiver, Node n, List<String> ident, List<Node> args, Object fin) {
        int last = ident.size() - 1;
        for (int i = 0; i < last; i++) receiver = evalField(dot, ident.get(i), n, null, MISSING, receiver);
        return evalField(dot, ident.get(last), n, args, fin, receiver);
    }

    private Object evalFunction(Object dot, IdentifierNode id, Node cmd, List<Node> args, Object fin) {
        at(id);
        String name = id.ident();
        TemplateFunction fn = set.function(name);
        boolean builtin = false;
        if (fn == null) {
            fn = Builtins.get(name);
            builtin = fn != null;
        }
        if (fn == null) throw errorf(GoFmt.quote(name) + " is not a defined function");
        return evalCall(dot, fn, builtin, cmd, name, args, fin);
    }

    private Object evalField(Object dot, String fieldName, Node n, List<Node> args, Object fin, Object receiver) {
        if (receiver == null) {
            if (set.missingKey() == Template.MissingKey.ERROR) throw errorf("nil data; no entry for key " + GoFmt.quote(fieldName));
            return null;
        }
        boolean hasArgs = (args != null && args.size() > 1) || fin != MISSING;
        if (receiver instanceof GoObject g) {
            List<Object> argv = hasArgs ? evalMethodArgs(dot, args, fin) : List.of();
            try {
                return Values.norm(hasArgs ? g.method(fieldName, argv) : g.field(fieldName));
            } catch (GoObject.NoSuchFieldException e) {
                throw errorf(e.getMessage());
            } catch (TemplateException e) {
                at(n);
                throw errorf("error calling " + fieldName + ": " + e.getMessage());
            } catch (RuntimeException e) {
                if (e instanceof ExecError || e instanceof Jump) throw e;
                at(n);
                throw errorf("error calling " + fieldName + ": " + e);
            }
        }
        if (receiver instanceof Map<?, ?> m) {
            if (hasArgs) throw errorf(fieldName + " is not a method but has arguments");
            if (m.containsKey(fieldName)) return Values.norm(m.get(fieldName));
            return switch (set.missingKey()) {
                case INVALID -> null;
                case ZERO -> Values.zeroElem(m);
                case ERROR -> throw errorf("map has no entry for key " + GoFmt.quote(fieldName));
            };
        }
        if (BuiltinMethods.has(receiver, fieldName)) {
            List<Object> argv = hasArgs ? evalMethodArgs(dot, args, fin) : List.of();
            try {
                return BuiltinMethods.call(receiver, fieldName, argv);
            } catch (TemplateException e) {
                at(n);
                throw errorf("error calling " + fieldName + ": " + e.getMessage());
            }
        }
        throw errorf("can't evaluate field " + fieldName + " in type " + GoFmt.typeName(receiver));
    }

    private List<Object> evalMethodArgs(Object dot, List<Node> args, Object fin) {
        List<Object> argv = new ArrayList<>();
        if (args != null) for (int i = 1; i < args.size(); i++) argv.add(evalArg(dot, "any", args.get(i)));
        if (fin != MISSING) argv.add(fin);
        return argv;
    }

    private Object evalCall(Object dot, TemplateFunction fn, boolean builtin, Node n, String name, List<Node> args, Object fin) {
        List<Node> actual = args == null ? List.of() : args.subList(1, args.size());
        TypedFunction typed = fn instanceof TypedFunction t ? t : null;
        int numIn = actual.size() + (fin != MISSING ? 1 : 0);
        boolean variadic = typed == null || typed.isVariadic();
        int numFixed = actual.size();
        if (typed != null) {
            if (variadic) {
                numFixed = typed.numIn() - 1;
                if (numIn < numFixed) {
                    throw errorf("wrong number of args for " + name + ": want at least " + numFixed + " got " + actual.size());
                }
            } else if (numIn != typed.numIn()) {
                throw errorf("wrong number of args for " + name + ": want " + typed.numIn() + " got " + numIn);
            }
        } else {
            numFixed = 0;
        }
        if (builtin && (name.equals("and") || name.equals("or"))) {
            boolean isOr = name.equals("or");
            Object v = null;
            for (Node a : actual) {
                v = evalArg(dot, "any", a);
                if (Values.truth(v) == isOr) return v;
            }
            if (fin != MISSING) v = fin;
            return v;
        }
        List<Object> argv = new ArrayList<>(numIn + 1);
        int i = 0;
        for (; i < numFixed && i < actual.size(); i++) argv.add(evalArg(dot, typed.paramType(i), actual.get(i)));
        for (; i < actual.size(); i++) argv.add(evalArg(dot, typed == null ? "any" : typed.paramType(i), actual.get(i)));
        if (fin != MISSING) {
            String t = typed == null ? "any" : typed.paramType(numIn - 1);
            argv.add(validateType(fin, t));
        }
        if (builtin && name.equals("call")) {
            String callee = actual.isEmpty() ? GoFmt.formatV(fin) : actual.get(0).toString();
            argv.add(0, callee);
        }
        try {
            return Values.norm(fn.apply(argv));
        } catch (TemplateException e) {
            at(n);
            throw errorf("error calling " + name + ": " + e.getMessage());
        } catch (ExecError | Jump e) {
            throw e;
        } catch (RuntimeException e) {
            at(n);
            throw errorf("error calling " + name + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    private Object validateType(Object value, String typ) {
        if (value == null) {
            if (Values.canBeNil(typ)) return null;
            throw errorf("invalid value; expected " + typ);
        }
        if (!Values.assignable(value, typ)) {
            throw errorf("wrong type for value; expected " + typ + "; got " + GoFmt.typeName(value));
        }
        return value;
    }

    private Object evalArg(Object dot, String typ, Node n) {
        at(n);
        switch (n) {
            case DotNode d -> { return validateType(dot, typ); }
            case NilNode nil -> {
                if (Values.canBeNil(typ)) return null;
                throw errorf("cannot assign nil to " + typ);
            }
            case FieldNode f -> { return validateType(evalFieldNode(dot, f, List.of(n), MISSING), typ); }
            case VariableNode v -> { return validateType(evalVariableNode(dot, v, null, MISSING), typ); }
            case PipeNode p -> { return validateType(evalPipeline(dot, p), typ); }
            case IdentifierNode id -> { return validateType(evalFunction(dot, id, id, null, MISSING), typ); }
            case ChainNode c -> { return validateType(evalChainNode(dot, c, null, MISSING), typ); }
            default -> { }
        }
        switch (typ) {
            case "bool" -> {
                if (n instanceof BoolNode b) return b.value();
                throw errorf("expected bool; found " + n);
            }
            case "float64" -> {
                if (n instanceof NumberNode num && num.isFloat()) return num.float64();
                throw errorf("expected float; found " + n);
            }
            case "int" -> {
                if (n instanceof NumberNode num && num.isInt()) return num.int64();
                throw errorf("expected integer; found " + n);
            }
            case "string" -> {
                if (n instanceof StringNode s) return s.text();
                throw errorf("expected string; found " + n);
            }
            case "any" -> { return evalEmptyInterface(dot, n); }
            default -> throw errorf("can't handle " + n + " for arg of type " + typ);
        }
    }

    private Object evalEmptyInterface(Object dot, Node n) {
        at(n);
        return switch (n) {
            case BoolNode b -> b.value();
            case NumberNode num -> idealConstant(num);
            case StringNode s -> s.text();
            default -> throw errorf("can't handle assignment of " + n + " to empty interface argument");
        };
    }

    private void printValue(Node n, Object v) {
        at(n);
        if (v instanceof TemplateFunction) throw errorf("can't print " + n + " of type " + GoFmt.typeName(v));
        if (v == null) {
            out.append("<no value>");
            return;
        }
        if (v instanceof String s) {
            out.append(s);
            return;
        }
        out.append(GoFmt.formatV(v));
    }
}
