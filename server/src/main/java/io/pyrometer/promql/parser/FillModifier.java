package io.pyrometer.promql.parser;

import io.pyrometer.promql.ast.VectorMatching;

/**
 * The experimental binary-operator modifiers {@code fill(v)}, {@code fill_left(v)} and
 * {@code fill_right(v)}, written after {@code on}/{@code ignoring}/{@code group_x}:
 * {@code a + on(job) fill(0) b}. The words stay usable as metric names ({@code other + fill}).
 */
final class FillModifier {
    private FillModifier() {}

    /** Parses any fill modifiers at the current position; null when there are none. */
    static VectorMatching.FillValues parse(Parser p) {
        Double lhs = null;
        Double rhs = null;
        boolean any = false;
        while (p.peek().type() == TokenType.IDENTIFIER && p.peekAt(1).type() == TokenType.LEFT_PAREN) {
            Token name = p.peek();
            String word = name.val();
            if (!word.equals("fill") && !word.equals("fill_left") && !word.equals("fill_right")) break;
            p.next();
            p.next();
            double v = value(p);
            p.expect(TokenType.RIGHT_PAREN, word + " modifier", "\")\"");
            if (!p.opts.enableExperimental()) {
                p.softError(name.range(), word + " modifier is experimental and not enabled");
            }
            if ((word.equals("fill") && any) || (word.equals("fill_left") && lhs != null)
                    || (word.equals("fill_right") && rhs != null)) {
                p.softError(name.range(), word + " modifier may not be set multiple times");
            }
            any = true;
            if (!word.equals("fill_right")) lhs = v;
            if (!word.equals("fill_left")) rhs = v;
        }
        return any ? new VectorMatching.FillValues(lhs, rhs) : null;
    }

    private static double value(Parser p) {
        Token t = p.peek();
        boolean neg = false;
        if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
            neg = t.type() == TokenType.SUB;
            p.next();
            t = p.peek();
        }
        if (t.type() != TokenType.NUMBER) p.unexpected("fill modifier", "number");
        p.next();
        double v = p.number(t);
        return neg ? -v : v;
    }
}
