package io.pyrometer.promql.parser;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Reads test tables written as text blocks, one case per line: {@code input ⇒ expected}. Blank
 * lines and lines starting with {@code //} are skipped; {@code \n} in a cell stands for a newline.
 */
final class Table {
    private Table() {}

    static List<Arguments> rows(String block) {
        List<Arguments> out = new ArrayList<>();
        for (String line : block.split("\n")) {
            if (line.isBlank() || line.strip().startsWith("//")) continue;
            int sep = line.indexOf(" ⇒ ");
            if (sep < 0) throw new IllegalArgumentException("no ⇒ in table line: " + line);
            out.add(Arguments.of(cell(line.substring(0, sep)), cell(line.substring(sep + 3))));
        }
        return out;
    }

    private static String cell(String s) {
        return s.strip().replace("\\n", "\n");
    }
}
