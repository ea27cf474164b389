package io.pyrometer.cli;

import io.pyrometer.config.ConfigException;
import io.pyrometer.config.ConfigLoader;
import io.pyrometer.config.PrometheusConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code pyrometer tool ...}: the promtool subset. */
final class ToolCommand {
    private ToolCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.getFirst().equals("--help")) {
            out.println("""
                    usage: pyrometer tool <command> [<args>]

                    Commands:
                      check config <file>...   Check that prometheus.yml files are valid (exit 0) or not (exit 1).""");
            return args.isEmpty() ? 2 : 0;
        }
        if (args.size() >= 2 && args.get(0).equals("check") && args.get(1).equals("config")) {
            return checkConfig(args.subList(2, args.size()), out, err);
        }
        err.println("pyrometer tool: error: unknown command \"" + String.join(" ", args) + "\", try 'pyrometer tool --help'");
        return 2;
    }

    /** Like {@code promtool check config}: every file is checked; exit 1 when any fails. */
    static int checkConfig(List<String> files, PrintStream out, PrintStream err) {
        if (files.isEmpty()) {
            err.println("pyrometer tool check config: error: required argument 'config-files' not provided");
            return 2;
        }
        boolean failed = false;
        for (String f : files) {
            out.println("Checking " + f);
            try {
                PrometheusConfig cfg = ConfigLoader.load(Path.of(f));
                out.println(" SUCCESS: " + f + " is valid prometheus config file syntax");
                if (!cfg.ruleFiles().isEmpty()) {
                    out.println("  (" + cfg.ruleFiles().size() + " rule_files entries: rule checking is not available yet)");
                }
            } catch (ConfigException e) {
                err.println("  FAILED: " + e.getMessage());
                failed = true;
            }
            out.println();
        }
        return failed ? 1 : 0;
    }
}
