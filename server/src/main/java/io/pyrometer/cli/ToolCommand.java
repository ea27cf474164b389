package io.pyrometer.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code pyrometer tool ...}: the promtool subset, with promtool's arguments, flags, output and
 * exit codes (0 success, 1 failure or usage error, as kingpin exits).
 */
final class ToolCommand {
    static final int SUCCESS = 0;
    static final int FAILURE = 1;

    private ToolCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || isHelp(args.getFirst())) {
            usage(out);
            return args.isEmpty() ? FAILURE : SUCCESS;
        }
        String cmd = args.getFirst();
        List<String> rest = args.subList(1, args.size());
        return switch (cmd) {
            case "check" -> check(rest, out, err);
            case "test" -> testRules(rest, out, err);
            case "tsdb" -> ToolTsdb.run(rest, out, err);
            case "query" -> ToolQuery.run(rest, out, err);
            default -> usageError(err, "expected command but got \"" + cmd + "\"");
        };
    }

    private static int check(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty() && args.getFirst().equals("alertmanager-config")) {
            return ToolCheckAlertmanagerConfig.run(args.subList(1, args.size()), out, err);
        }

        if (!args.isEmpty() && args.getFirst().equals("rules")) return checkRules(args.subList(1, args.size()), out, err);
        if (args.isEmpty() || !args.getFirst().equals("config")) {
            if (!args.isEmpty() && isHelp(args.getFirst())) {
                out.println("usage: pyrometer tool check config|rules|alertmanager-config [<flags>] <files>...");
                return SUCCESS;
            }
            return usageError(err, "expected command \"config\", \"rules\" or \"alertmanager-config\" after \"check\"" + (args.isEmpty() ? "" : ", got \"" + args.getFirst() + "\""));
        }
        Flags f = new Flags("pyrometer tool check config", """
                Check if the config files are valid or not.

                Args:
                  <config-files>  The config files to check.""")
                .bool("syntax-only", "Only check the config file syntax, ignoring file and content validation referenced in the config")
                .string("lint", "duplicate-rules", "Linting checks to apply to the rules specified in the config. Available options are: all, duplicate-rules, none. Use --lint=none to disable linting")
                .bool("lint-fatal", "Make lint errors exit with exit code 3.");
        try {
            f.parse(shortFlags(args.subList(1, args.size()), Map.of()));
        } catch (Flags.UsageException e) {
            return usageError(err, e.getMessage());
        }
        if (f.helpRequested()) {
            f.printHelp(out);
            return SUCCESS;
        }
        if (f.positional().isEmpty()) return usageError(err, "required argument 'config-files' not provided");
        for (String file : f.positional()) {
            if (!Files.exists(Path.of(file))) return usageError(err, "path '" + file + "' does not exist");
        }
        return ToolCheckConfig.check(f.positional(), f.getBool("syntax-only"), !f.get("lint").equals("none"), f.getBool("lint-fatal"), out, err);
    }

    private static int testRules(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || !args.getFirst().equals("rules")) {
            return usageError(err, "expected command \"rules\" after \"test\"" + (args.isEmpty() ? "" : ", got \"" + args.getFirst() + "\""));
        }
        Flags f = new Flags("pyrometer tool test rules", """
                Unit tests for rules.

                Args:
                  <test-rule-file>  The unit test file.""");
        try {
            f.parse(shortFlags(args.subList(1, args.size()), Map.of()));
        } catch (Flags.UsageException e) {
            return usageError(err, e.getMessage());
        }
        if (f.helpRequested()) {
            f.printHelp(out);
            return SUCCESS;
        }
        if (f.positional().isEmpty()) return usageError(err, "required argument 'test-rule-file' not provided");
        for (String file : f.positional()) {
            if (!Files.exists(Path.of(file))) return usageError(err, "path '" + file + "' does not exist");
        }
        return ToolTestRules.run(f.positional(), out, err);
    }

    private static int checkRules(List<String> args, PrintStream out, PrintStream err) {
        Flags f = new Flags("pyrometer tool check rules", """
                Check if the rule files are valid or not.

                Args:
                  <rule-files>  The rule files to check.""")
                .string("lint", "duplicate-rules", "Linting checks to apply. Available options are: all, duplicate-rules, none. Use --lint=none to disable linting")
                .bool("lint-fatal", "Make lint errors exit with exit code 3.");
        try {
            f.parse(shortFlags(args, Map.of()));
        } catch (Flags.UsageException e) {
            return usageError(err, e.getMessage());
        }
        if (f.helpRequested()) {
            f.printHelp(out);
            return SUCCESS;
        }
        String lint = f.get("lint");
        if (!lint.equals("all") && !lint.equals("duplicate-rules") && !lint.equals("none")) {
            return usageError(err, "unknown lint option \"" + lint + "\"");
        }
        if (f.positional().isEmpty()) return usageError(err, "required argument 'rule-files' not provided");
        for (String file : f.positional()) {
            if (!Files.exists(Path.of(file))) return usageError(err, "path '" + file + "' does not exist");
        }
        return ToolCheckRules.check(f.positional(), !lint.equals("none"), f.getBool("lint-fatal"), out, err);
    }

    static boolean isHelp(String a) {
        return a.equals("--help") || a.equals("-h") || a.equals("help");
    }

    /** Prints {@code pyrometer tool: error: ..., try --help} to stderr and returns kingpin's exit code 1. */
    static int usageError(PrintStream err, String message) {
        err.println("pyrometer tool: error: " + message + (message.contains("--help") ? "" : ", try --help"));
        return FAILURE;
    }

    /**
     * Rewrites kingpin short flags for {@link Flags}: {@code -o json} and {@code -ojson} become
     * {@code --format=json} given {@code o -> format}; {@code -h} becomes {@code --help}.
     */
    static List<String> shortFlags(List<String> args, Map<Character, String> shorts) {
        List<String> out = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                out.addAll(args.subList(i, args.size()));
                break;
            }
            if (a.length() < 2 || a.charAt(0) != '-' || a.charAt(1) == '-') {
                out.add(a);
                continue;
            }
            if (a.equals("-h")) {
                out.add("--help");
                continue;
            }
            String name = shorts.get(a.charAt(1));
            if (name == null) {
                out.add(a); // a negative number or an unknown short flag: left as a positional argument
                continue;
            }
            out.add("--" + name + (a.length() > 2 ? "=" + a.substring(2) : ""));
        }
        return out;
    }

    /**
     * Removes every {@code --name=v} / {@code --name v} from {@code args} and returns the values in
     * order: kingpin's repeatable flags, which {@link Flags} keeps only once.
     */
    static List<String> takeRepeated(List<String> args, String name, List<String> values) {
        List<String> rest = new ArrayList<>(args.size());
        String eq = "--" + name + "=";
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                rest.addAll(args.subList(i, args.size()));
                break;
            }
            if (a.startsWith(eq)) values.add(a.substring(eq.length()));
            else if (a.equals("--" + name) && i + 1 < args.size()) values.add(args.get(++i));
            else rest.add(a);
        }
        return rest;
    }

    static void usage(PrintStream out) {
        out.println("""
                usage: pyrometer tool <command> [<flags>] [<args> ...]

                Tooling for Pyrometer and Prometheus: what promtool does, with the same arguments, flags and output.

                Flags:
                  --help  Show context-sensitive help.

                Commands:
                  check config [--syntax-only] [--lint=duplicate-rules] [--lint-fatal] <config-files>...
                    Check if the config files are valid or not.

                  check alertmanager-config <config-files>...
                    Validate alertmanager.yml files, as 'amtool check-config' does.

                  check rules [--lint=duplicate-rules] [--lint-fatal] <rule-files>...
                    Check if the rule files are valid or not.

                  test rules <test-rule-file>...
                    Unit tests for rules.

                  tsdb list [-r|--human-readable] [<db path>]
                    List tsdb blocks.

                  tsdb analyze [--limit=20] [<db path>] [<block id>]
                    Analyze churn, label pair cardinality and compaction efficiency.

                  tsdb dump [--min-time=-9223372036854775808] [--max-time=9223372036854775807] [--match=<selector>...] [<db path>]
                    Dump samples from a TSDB.

                  tsdb create-blocks-from openmetrics [--max-block-duration=2h] [-r|--human-readable] [-q|--quiet] <input file> [<output directory>]
                    Import samples from OpenMetrics input and produce TSDB blocks.

                  query instant [-o|--format=promql] [--time=<time>] <server> <expr>
                    Run instant query.

                  query range [-o|--format=promql] [--start=<time>] [--end=<time>] [--step=<duration>] <server> <expr>
                    Run range query.

                  query series [-o|--format=promql] --match=<selector>... [--start=<time>] [--end=<time>] <server>
                    Run series query.

                  query labels [-o|--format=promql] [--match=<selector>...] [--start=<time>] [--end=<time>] <server> <name>
                    Run labels query.

                Run 'pyrometer tool <command> --help' for a command's flags and their defaults.""");
    }
}
