package io.pyrometer.template;

import io.pyrometer.template.Lexer.Item;
import io.pyrometer.template.Lexer.Type;
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
import io.pyrometer.template.Node.ElseNode;
import io.pyrometer.template.Node.EndNode;
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
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Go's {@code text/template/parse/parse.go}: a recursive-descent parser over the lexer's items,
 * producing one {@link Tree} per template ({@code define}s and {@code block}s included). Error
 * messages and line numbers follow Go's ({@code template: NAME:LINE: unexpected "}" in operand}).
 */
final class Parser {
    /** One parsed template. {@code parseName} is the top-level name (for error locations). */
    record Tree(String name, String parseName, ListNode root, String text) {}

    /** Go's maxStackDepth is 10000; ours is lower so that nesting never exhausts a thread stack. */
    static final int MAX_PAREN_DEPTH = 200;
    private static final int MAX_PIPELINE_CMDS = 100000;

    /** Thrown for a parse error; the message is Go's, complete. */
    static final class ParseError extends RuntimeException {
        ParseError(String message) { super(message, null, false, false); }
    }

    private final String parseName;
    private final String text;
    private final List<Item> items;
    private final Predicate<String> hasFunction;
    private final Map<String, Tree> treeSet;
    private int idx;
    private int maxFetched = -1;
    private List<String> vars = new ArrayList<>(List.of("$"));
    private int actionLine;
    private int rangeDepth;
    private int parenDepth;

    private Parser(String parseName, String text, List<Item> items, Predicate<String> hasFunction, Map<String, Tree> treeSet) {
        this.parseName = parseName;
        this.text = text;
        this.items = items;
        this.hasFunction = hasFunction;
        this.treeSet = treeSet;
    }

    /**
     * Parses {@code text} as template {@code name}, adding it and its definitions to {@code treeSet}.
     * {@code hasFunction} answers whether an identifier names a function (builtins included).
     */
    static void parse(String name, String text, Predicate<String> hasFunction, Map<String, Tree> treeSet) throws TemplateException {
        List<Item> items = Lexer.lex(text, !hasFunction.test("break"), !hasFunction.test("continue"));
        Parser p = new Parser(name, text, items, hasFunction, treeSet);
        try {
            ListNode root = p.parseTop();
            p.add(name, root);
        } catch (ParseError e) {
            throw new TemplateException(e.getMessage());
        } catch (StackOverflowError e) {
            throw new TemplateException("template: " + name + ": max expression depth exceeded");
        }
    }

    // ---- token stream

    private Item fetch(int i) {
        if (i >= items.size()) i = items.size() - 1; // EOF or ERROR repeats
        if (i > maxFetched) maxFetched = i;
        return items.get(i);
    }

    private Item next() {
        Item it = fetch(idx);
        if (idx < items.size()) idx++;
        return it;
    }

    private Item peek() { return fetch(idx); }

    private Item nextNonSpace() {
        Item t;
        do {
            t = next();
        } while (t.type() == Type.SPACE);
        return t;
    }

    private Item peekNonSpace() {
        int m = idx;
        Item t = nextNonSpace();
        idx = m;
        // Go's peekNonSpace consumes the spaces and backs up only the non-space item.
        while (fetch(idx).type() == Type.SPACE) idx++;
        return t;
    }

    private void backup() { idx--; }

    // ---- errors

    private ParseError errorf(String msg) {
        int line = fetch(Math.max(maxFetched, 0)).line();
        return new ParseError("template: " + parseName + ":" + line + ": " + msg);
    }

    private ParseError unexpected(Item token, String context) {
        if (token.type() == Type.ERROR) {
            String extra = "";
            if (actionLine != 0 && actionLine != token.line()) {
                extra = " in action started at " + parseName + ":" + actionLine;
                if (token.val().endsWith(" action")) extra = extra.substring(" in action".length());
            }
            return errorf(token + extra);
        }
        return errorf("unexpected " + token + " in " + context);
    }

    private Item expect(Type expected, String context) {
        Item t = nextNonSpace();
        if (t.type() != expected) throw unexpected(t, context);
        return t;
    }

    // ---- grammar

    private ListNode parseTop() {
        ListNode root = new ListNode(peek().pos());
        while (peek().type() != Type.EOF) {
            if (peek().type() == Type.LEFT_DELIM) {
                int m = idx;
                next();
                if (nextNonSpace().type() == Type.DEFINE) {
                    parseDefinition();
                    continue;
                }
                idx = m;
            }
            Node n = textOrAction();
            if (n instanceof EndNode || n instanceof ElseNode) throw errorf("unexpected " + n);
            root.nodes().add(n);
        }
        return root;
    }

    private void add(String name, ListNode root) {
        Tree existing = treeSet.get(name);
        if (existing == null || isEmptyTree(existing.root())) {
            treeSet.put(name, new Tree(name, parseName, root, text));
            return;
        }
        if (!isEmptyTree(root)) throw errorf("template: multiple definition of template " + GoFmt.quote(name));
    }

    static boolean isEmptyTree(Node n) {
        return switch (n) {
            case null -> true;
            case CommentNode c -> true;
            case ListNode l -> {
                for (Node c : l.nodes()) if (!isEmptyTree(c)) yield false;
                yield true;
            }
            case TextNode t -> t.text().isBlank();
            default -> false;
        };
    }

    private void parseDefinition() {
        String context = "define clause";
        Item nameTok = nextNonSpace();
        if (nameTok.type() != Type.STRING && nameTok.type() != Type.RAW_STRING) throw unexpected(nameTok, context);
        String name = unquote(nameTok.val());
        expect(Type.RIGHT_DELIM, context);
        List<String> saved = vars;
        int savedRange = rangeDepth;
        vars = new ArrayList<>(List.of("$"));
        rangeDepth = 0;
        Node[] end = new Node[1];
        ListNode root = itemList(end);
        if (!(end[0] instanceof EndNode)) throw errorf("unexpected " + end[0] + " in " + context);
        add(name, root);
        vars = saved;
        rangeDepth = savedRange;
    }

    private ListNode itemList(Node[] end) {
        ListNode list = new ListNode(peekNonSpace().pos());
        while (peekNonSpace().type() != Type.EOF) {
            Node n = textOrAction();
            if (n instanceof EndNode || n instanceof ElseNode) {
                end[0] = n;
                return list;
            }
            list.nodes().add(n);
        }
        throw errorf("unexpected EOF");
    }

    private Node textOrAction() {
        Item token = nextNonSpace();
        switch (token.type()) {
            case TEXT -> { return new TextNode(token.pos(), token.val()); }
            case LEFT_DELIM -> {
                actionLine = token.line();
                try {
                    return action();
                } finally {
                    actionLine = 0;
                }
            }
            default -> throw unexpected(token, "input");
        }
    }

    private Node action() {
        Item token = nextNonSpace();
        switch (token.type()) {
            case BLOCK: return blockControl();
            case BREAK: return breakControl(token, "{{break}}");
            case CONTINUE: return breakControl(token, "{{continue}}");
            case ELSE: return elseControl();
            case END: return new EndNode(expect(Type.RIGHT_DELIM, "end").pos());
            case IF: return control(BranchKind.IF);
            case RANGE: return control(BranchKind.RANGE);
            case TEMPLATE: return templateControl();
            case WITH: return control(BranchKind.WITH);
            default: break;
        }
        backup();
        Item t = peek();
        return new ActionNode(t.pos(), t.line(), pipeline("command", Type.RIGHT_DELIM));
    }

    private Node breakControl(Item kw, String context) {
        Item t = nextNonSpace();
        if (t.type() != Type.RIGHT_DELIM) throw unexpected(t, context);
        if (rangeDepth == 0) throw errorf(context + " outside {{range}}");
        return kw.type() == Type.BREAK ? new BreakNode(kw.pos(), kw.line()) : new ContinueNode(kw.pos(), kw.line());
    }

    private PipeNode pipeline(String context, Type end) {
        Item token = peekNonSpace();
        PipeNode pipe = new PipeNode(token.pos(), token.line());
        decls:
        while (true) {
            Item v = peekNonSpace();
            if (v.type() != Type.VARIABLE) break;
            int vIdx = idx;
            next();
            Item afterVar = peek();
            Item nxt = peekNonSpace();
            if (nxt.type() == Type.ASSIGN || nxt.type() == Type.DECLARE) {
                pipe.isAssign = nxt.type() == Type.ASSIGN;
                nextNonSpace();
                pipe.decl.add(new VariableNode(v.pos(), List.of(v.val())));
                vars.add(v.val());
            } else if (nxt.type() == Type.CHAR && nxt.val().equals(",")) {
                nextNonSpace();
                pipe.decl.add(new VariableNode(v.pos(), List.of(v.val())));
                vars.add(v.val());
                if (context.equals("range") && pipe.decl.size() < 2) {
                    Type pt = peekNonSpace().type();
                    if (pt == Type.VARIABLE || pt == Type.RIGHT_DELIM || pt == Type.RIGHT_PAREN) continue decls;
                    throw errorf("range can only initialize variables");
                }
                throw errorf("too many declarations in " + context);
            } else {
                idx = vIdx;
                if (afterVar.type() == Type.SPACE) idx = vIdx; // Go's backup3: same item stream
            }
            break;
        }
        while (true) {
            Item t = nextNonSpace();
            if (t.type() == end) {
                checkPipeline(pipe, context);
                return pipe;
            }
            switch (t.type()) {
                case BOOL, CHAR_CONSTANT, COMPLEX, DOT, FIELD, IDENTIFIER, NUMBER, NIL, RAW_STRING, STRING,
                     VARIABLE, LEFT_PAREN -> {
                    backup();
                    pipe.cmds.add(command());
                    if (pipe.cmds.size() > MAX_PIPELINE_CMDS) throw errorf("pipeline too long");
                }
                default -> throw unexpected(t, context);
            }
        }
    }

    private void checkPipeline(PipeNode pipe, String context) {
        if (pipe.cmds.isEmpty()) throw errorf("missing value for " + context);
        for (int i = 1; i < pipe.cmds.size(); i++) {
            Node first = pipe.cmds.get(i).args().get(0);
            if (first instanceof BoolNode || first instanceof DotNode || first instanceof NilNode
                    || first instanceof NumberNode || first instanceof StringNode) {
                throw errorf("non executable command in pipeline stage " + (i + 1));
            }
        }
    }

    private Node control(BranchKind kind) {
        String context = kind.name().toLowerCase(java.util.Locale.ROOT);
        int mark = vars.size();
        try {
            PipeNode pipe = pipeline(context, Type.RIGHT_DELIM);
            if (kind == BranchKind.RANGE) rangeDepth++;
            Node[] next = new Node[1];
            ListNode list = itemList(next);
            if (kind == BranchKind.RANGE) rangeDepth--;
            ListNode elseList = null;
            if (next[0] instanceof ElseNode) {
                if (kind == BranchKind.IF && peek().type() == Type.IF) {
                    next();
                    elseList = new ListNode(next[0].pos());
                    elseList.nodes().add(control(BranchKind.IF));
                } else if (kind == BranchKind.WITH && peek().type() == Type.WITH) {
                    next();
                    elseList = new ListNode(next[0].pos());
                    elseList.nodes().add(control(BranchKind.WITH));
                } else {
                    elseList = itemList(next);
                    if (!(next[0] instanceof EndNode)) throw errorf("expected end; found " + next[0]);
                }
            }
            return new BranchNode(kind, pipe.pos(), pipe.line, pipe, list, elseList);
        } finally {
            while (vars.size() > mark) vars.remove(vars.size() - 1);
        }
    }

    private Node elseControl() {
        Item p = peekNonSpace();
        if (p.type() == Type.IF || p.type() == Type.WITH) return new ElseNode(p.pos(), p.line());
        Item t = expect(Type.RIGHT_DELIM, "else");
        return new ElseNode(t.pos(), t.line());
    }

    private Node blockControl() {
        String context = "block clause";
        Item token = nextNonSpace();
        String name = templateName(token, context);
        PipeNode pipe = pipeline(context, Type.RIGHT_DELIM);
        List<String> saved = vars;
        int savedRange = rangeDepth;
        vars = new ArrayList<>(List.of("$"));
        rangeDepth = 0;
        Node[] end = new Node[1];
        ListNode root = itemList(end);
        if (!(end[0] instanceof EndNode)) throw errorf("unexpected " + end[0] + " in " + context);
        add(name, root);
        vars = saved;
        rangeDepth = savedRange;
        return new TemplateNode(token.pos(), token.line(), name, pipe);
    }

    private Node templateControl() {
        String context = "template clause";
        Item token = nextNonSpace();
        String name = templateName(token, context);
        PipeNode pipe = null;
        if (nextNonSpace().type() != Type.RIGHT_DELIM) {
            backup();
            pipe = pipeline(context, Type.RIGHT_DELIM);
        }
        return new TemplateNode(token.pos(), token.line(), name, pipe);
    }

    private String templateName(Item token, String context) {
        if (token.type() == Type.STRING || token.type() == Type.RAW_STRING) return unquote(token.val());
        throw unexpected(token, context);
    }

    private CommandNode command() {
        CommandNode cmd = new CommandNode(peekNonSpace().pos());
        while (true) {
            peekNonSpace();
            Node operand = operand();
            if (operand != null) cmd.args().add(operand);
            Item t = next();
            switch (t.type()) {
                case SPACE -> { continue; }
                case RIGHT_DELIM, RIGHT_PAREN -> backup();
                case PIPE -> { }
                default -> throw unexpected(t, "operand");
            }
            break;
        }
        if (cmd.args().isEmpty()) throw errorf("empty command");
        return cmd;
    }

    private Node operand() {
        Node node = term();
        if (node == null) return null;
        if (peek().type() == Type.FIELD) {
            int chainPos = peek().pos();
            List<String> fields = new ArrayList<>();
            while (peek().type() == Type.FIELD) fields.add(next().val().substring(1));
            switch (node) {
                case FieldNode f -> {
                    List<String> all = new ArrayList<>(f.ident());
                    all.addAll(fields);
                    node = new FieldNode(chainPos, List.copyOf(all));
                }
                case VariableNode v -> {
                    List<String> all = new ArrayList<>(v.ident());
                    all.addAll(fields);
                    node = new VariableNode(chainPos, List.copyOf(all));
                }
                case BoolNode b -> throw errorf("unexpected . after term " + GoFmt.quote(node.toString()));
                case StringNode s -> throw errorf("unexpected . after term " + GoFmt.quote(node.toString()));
                case NumberNode n -> throw errorf("unexpected . after term " + GoFmt.quote(node.toString()));
                case NilNode n -> throw errorf("unexpected . after term " + GoFmt.quote(node.toString()));
                case DotNode d -> throw errorf("unexpected . after term " + GoFmt.quote(node.toString()));
                default -> node = new ChainNode(chainPos, node, List.copyOf(fields));
            }
        }
        return node;
    }

    private Node term() {
        Item t = nextNonSpace();
        switch (t.type()) {
            case IDENTIFIER -> {
                if (!hasFunction.test(t.val())) throw errorf("function " + GoFmt.quote(t.val()) + " not defined");
                return new IdentifierNode(t.pos(), t.val());
            }
            case DOT -> { return new DotNode(t.pos()); }
            case NIL -> { return new NilNode(t.pos()); }
            case VARIABLE -> { return useVar(t.pos(), t.val()); }
            case FIELD -> { return new FieldNode(t.pos(), List.of(t.val().substring(1))); }
            case BOOL -> { return new BoolNode(t.pos(), t.val().equals("true")); }
            case CHAR_CONSTANT, COMPLEX, NUMBER -> { return newNumber(t.pos(), t.val(), t.type()); }
            case LEFT_PAREN -> {
                if (parenDepth >= MAX_PAREN_DEPTH) throw errorf("max expression depth exceeded");
                parenDepth++;
                try {
                    return pipeline("parenthesized pipeline", Type.RIGHT_PAREN);
                } finally {
                    parenDepth--;
                }
            }
            case STRING, RAW_STRING -> { return new StringNode(t.pos(), t.val(), unquote(t.val())); }
            default -> {
                backup();
                return null;
            }
        }
    }

    private Node useVar(int pos, String name) {
        List<String> ident = Arrays.asList(name.split("\\.", -1));
        String v = ident.get(0);
        for (String known : vars) if (known.equals(v)) return new VariableNode(pos, List.copyOf(ident));
        throw errorf("undefined variable " + GoFmt.quote(v));
    }

    private String unquote(String quoted) {
        try {
            return GoStrconv.unquote(quoted);
        } catch (IllegalArgumentException e) {
            throw errorf("invalid syntax");
        }
    }

    // ---- numbers (Go's parse.newNumber)

    private Node newNumber(int pos, String text, Type typ) {
        if (typ == Type.CHAR_CONSTANT) {
            int rune;
            try {
                rune = GoStrconv.unquoteChar(text);
            } catch (IllegalArgumentException e) {
                throw errorf("malformed character constant: " + text);
            }
            return new NumberNode(pos, text, true, true, true, false, rune, rune);
        }
        if (typ == Type.COMPLEX || text.endsWith("i")) {
            return new NumberNode(pos, text, false, false, false, true, 0, 0);
        }
        boolean isInt = false, isUint = false, isFloat = false;
        long i64 = 0;
        double f64 = 0;
        BigInteger big = GoStrconv.parseInteger(text);
        if (big != null) {
            if (big.signum() >= 0 && big.bitLength() <= 64) isUint = true;
            if (big.bitLength() <= 63) {
                isInt = true;
                i64 = big.longValue();
            }
        }
        if (isInt) {
            isFloat = true;
            f64 = i64;
        } else if (isUint) {
            isFloat = true;
            f64 = big.doubleValue();
        } else {
            Double f = GoStrconv.parseFloatLiteral(text);
            if (f != null) {
                if (!text.contains(".") && !text.contains("e") && !text.contains("E") && !text.contains("p") && !text.contains("P")) {
                    throw errorf("integer overflow: " + GoFmt.quote(text));
                }
                isFloat = true;
                f64 = f;
                if (!Double.isInfinite(f64) && f64 == Math.rint(f64) && Math.abs(f64) < 0x1p63) {
                    isInt = true;
                    i64 = (long) f64;
                }
                if (!Double.isInfinite(f64) && f64 == Math.rint(f64) && f64 >= 0 && f64 < 0x1p64) isUint = true;
            }
        }
        if (!isInt && !isUint && !isFloat) throw errorf("illegal number syntax: " + GoFmt.quote(text));
        return new NumberNode(pos, text, isInt, isUint, isFloat, false, i64, f64);
    }
}
