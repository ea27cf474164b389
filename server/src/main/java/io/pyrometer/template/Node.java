package io.pyrometer.template;

import java.util.ArrayList;
import java.util.List;

/**
 * The parse tree of Go's {@code text/template/parse/node.go}. {@code pos} is a char offset into
 * the text the node was parsed from; {@link #toString()} renders the node as Go's
 * {@code Node.String()} does, which is what execution errors show between {@code <...>}.
 */
sealed interface Node {
    int pos();

    record ListNode(int pos, List<Node> nodes) implements Node {
        ListNode(int pos) { this(pos, new ArrayList<>()); }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (Node n : nodes) b.append(n);
            return b.toString();
        }
    }

    record TextNode(int pos, String text) implements Node {
        @Override
        public String toString() { return GoFmt.quote(text); }
    }

    record CommentNode(int pos, String text) implements Node {
        @Override
        public String toString() { return "{{" + text + "}}"; }
    }

    record ActionNode(int pos, int line, PipeNode pipe) implements Node {
        @Override
        public String toString() { return "{{" + pipe + "}}"; }
    }

    final class PipeNode implements Node {
        final int pos;
        final int line;
        boolean isAssign;
        final List<VariableNode> decl = new ArrayList<>();
        final List<CommandNode> cmds = new ArrayList<>();

        PipeNode(int pos, int line) {
            this.pos = pos;
            this.line = line;
        }

        @Override
        public int pos() { return pos; }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            if (!decl.isEmpty()) {
                for (int i = 0; i < decl.size(); i++) {
                    if (i > 0) b.append(", ");
                    b.append(decl.get(i));
                }
                b.append(isAssign ? " = " : " := ");
            }
            for (int i = 0; i < cmds.size(); i++) {
                if (i > 0) b.append(" | ");
                b.append(cmds.get(i));
            }
            return b.toString();
        }
    }

    record CommandNode(int pos, List<Node> args) implements Node {
        CommandNode(int pos) { this(pos, new ArrayList<>()); }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < args.size(); i++) {
                if (i > 0) b.append(' ');
                Node a = args.get(i);
                if (a instanceof PipeNode) b.append('(').append(a).append(')');
                else b.append(a);
            }
            return b.toString();
        }
    }

    record IdentifierNode(int pos, String ident) implements Node {
        @Override
        public String toString() { return ident; }
    }

    /** {@code $x.A.B}: ident[0] is the variable name including {@code $}. */
    record VariableNode(int pos, List<String> ident) implements Node {
        @Override
        public String toString() { return String.join(".", ident); }
    }

    record DotNode(int pos) implements Node {
        @Override
        public String toString() { return "."; }
    }

    record NilNode(int pos) implements Node {
        @Override
        public String toString() { return "nil"; }
    }

    /** {@code .A.B}: ident holds A, B. */
    record FieldNode(int pos, List<String> ident) implements Node {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (String s : ident) b.append('.').append(s);
            return b.toString();
        }
    }

    /** {@code (pipeline).A.B}. */
    record ChainNode(int pos, Node node, List<String> field) implements Node {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            if (node instanceof PipeNode) b.append('(').append(node).append(')');
            else b.append(node);
            for (String f : field) b.append('.').append(f);
            return b.toString();
        }
    }

    record BoolNode(int pos, boolean value) implements Node {
        @Override
        public String toString() { return value ? "true" : "false"; }
    }

    record NumberNode(int pos, String text, boolean isInt, boolean isUint, boolean isFloat, boolean isComplex,
                      long int64, double float64) implements Node {
        @Override
        public String toString() { return text; }
    }

    record StringNode(int pos, String quoted, String text) implements Node {
        @Override
        public String toString() { return quoted; }
    }

    record EndNode(int pos) implements Node {
        @Override
        public String toString() { return "{{end}}"; }
    }

    record ElseNode(int pos, int line) implements Node {
        @Override
        public String toString() { return "{{else}}"; }
    }

    record BreakNode(int pos, int line) implements Node {
        @Override
        public String toString() { return "{{break}}"; }
    }

    record ContinueNode(int pos, int line) implements Node {
        @Override
        public String toString() { return "{{continue}}"; }
    }

    enum BranchKind { IF, RANGE, WITH }

    /** {@code if}, {@code range} and {@code with}. */
    record BranchNode(BranchKind kind, int pos, int line, PipeNode pipe, ListNode list, ListNode elseList)
            implements Node {
        @Override
        public String toString() {
            String name = kind.name().toLowerCase(java.util.Locale.ROOT);
            if (elseList != null) return "{{" + name + " " + pipe + "}}" + list + "{{else}}" + elseList + "{{end}}";
            return "{{" + name + " " + pipe + "}}" + list + "{{end}}";
        }
    }

    record TemplateNode(int pos, int line, String name, PipeNode pipe) implements Node {
        @Override
        public String toString() {
            if (pipe == null) return "{{template " + GoFmt.quote(name) + "}}";
            return "{{template " + GoFmt.quote(name) + " " + pipe + "}}";
        }
    }
}
