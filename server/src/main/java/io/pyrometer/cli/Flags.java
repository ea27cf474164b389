package io.pyrometer.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small kingpin-style flag set: {@code --name=value}, {@code --name value}, {@code --[no-]bool}.
 * Flags keep declaration order so {@code --help} and {@code /api/v1/status/flags} read like
 * Prometheus's.
 */
public final class Flags {
    /** One declared flag. {@code bool} flags take no value. */
    public record Flag(String name, String defaultValue, String help, boolean bool) {}

    /** A command-line mistake; the message is what the user sees. */
    public static final class UsageException extends Exception {
        public UsageException(String message) { super(message); }
    }

    private final String command;
    private final String description;
    private final Map<String, Flag> flags = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    public Flags(String command, String description) {
        this.command = command;
        this.description = description;
        bool("help", "Show context-sensitive help.");
    }

    public Flags string(String name, String defaultValue, String help) {
        flags.put(name, new Flag(name, defaultValue, help, false));
        return this;
    }

    public Flags bool(String name, String help) {
        return bool(name, false, help);
    }

    /** A {@code --[no-]name} flag with the given default ({@code --help} shows a true default). */
    public Flags bool(String name, boolean defaultValue, String help) {
        flags.put(name, new Flag(name, Boolean.toString(defaultValue), help, true));
        return this;
    }

    /** Parses {@code args}; positional arguments are kept in order. */
    public Flags parse(List<String> args) throws UsageException {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!a.startsWith("--") || a.length() == 2) {
                positional.add(a);
                continue;
            }
            String body = a.substring(2);
            String name = body, value = null;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                name = body.substring(0, eq);
                value = body.substring(eq + 1);
            }
            Flag f = flags.get(name);
            if (f == null && name.startsWith("no-") && flags.containsKey(name.substring(3)) && flags.get(name.substring(3)).bool()) {
                values.put(name.substring(3), "false");
                continue;
            }
            if (f == null) throw new UsageException("unknown long flag '--" + name + "' (see '" + command + " --help')");
            if (f.bool()) {
                if (value != null && !value.equals("true") && !value.equals("false")) {
                    throw new UsageException("flag '--" + name + "' takes true or false, got '" + value + "'");
                }
                values.put(name, value == null ? "true" : value);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size()) throw new UsageException("expected argument for flag '--" + name + "'");
                value = args.get(++i);
            }
            values.put(name, value);
        }
        return this;
    }

    public String get(String name) {
        Flag f = flags.get(name);
        if (f == null) throw new IllegalArgumentException("undeclared flag " + name);
        return values.getOrDefault(name, f.defaultValue());
    }

    public boolean getBool(String name) { return Boolean.parseBoolean(get(name)); }

    public boolean isSet(String name) { return values.containsKey(name); }

    public boolean helpRequested() { return getBool("help"); }

    public List<String> positional() { return positional; }

    /** Every flag with its effective value, as {@code /api/v1/status/flags} shows them. */
    public Map<String, String> effectiveValues() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Flag f : flags.values()) out.put(f.name(), get(f.name()));
        return out;
    }

    public void printHelp(PrintStream out) {
        out.println("usage: " + command + " [<flags>]");
        out.println();
        out.println(description);
        out.println();
        out.println("Flags:");
        int width = 0;
        for (Flag f : flags.values()) width = Math.max(width, label(f).length());
        for (Flag f : flags.values()) {
            StringBuilder sb = new StringBuilder("  ").append(label(f));
            sb.append(" ".repeat(width - label(f).length() + 2)).append(f.help());
            if ((!f.bool() || f.defaultValue().equals("true")) && !f.defaultValue().isEmpty()) {
                sb.append(" (default: ").append(f.defaultValue()).append(')');
            }
            out.println(sb);
        }
    }

    private static String label(Flag f) {
        return f.bool() ? "--[no-]" + f.name() : "--" + f.name() + "=<value>";
    }
}
