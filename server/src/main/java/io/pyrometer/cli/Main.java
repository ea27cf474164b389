package io.pyrometer.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The one executable: {@code pyrometer server [flags]} and {@code pyrometer tool ...}. Exit codes:
 * 0 success, 1 failure (bad config, startup error), 2 usage error.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Logging.keepHandlersAtShutdown();
        if (args.length > 0 && args[0].equals("server") && !Arrays.asList(args).contains("--help") && !Arrays.asList(args).contains("-h")) {
            JvmTuning.apply(); // returns only when the process keeps its current JVM settings
        }
        // Netty's Unsafe paths print JDK deprecation warnings on every start; the safe paths are
        // fast enough for an HTTP API
        System.setProperty("io.netty.noUnsafe", "true");
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.getFirst().equals("--help") || args.getFirst().equals("-h") || args.getFirst().equals("help")) {
            usage(out);
            return args.isEmpty() ? 2 : 0;
        }
        if (args.getFirst().equals("--version") || args.getFirst().equals("version")) {
            out.println("pyrometer, version " + io.pyrometer.model.BuildInfo.VERSION + " (java " + Runtime.version() + ")");
            return 0;
        }
        List<String> rest = args.subList(1, args.size());
        return switch (args.getFirst()) {
            case "server" -> ServerCommand.run(rest, out, err);
            case "tool" -> ToolCommand.run(rest, out, err);
            case "alertmanager" -> AlertmanagerCommand.run(rest, out, err);
            default -> {
                err.println("pyrometer: error: unknown role \"" + args.getFirst() + "\", try --help");
                yield 2;
            }
        };
    }

    static void usage(PrintStream out) {
        out.println("""
                usage: pyrometer <role> [<flags>]

                A Prometheus-compatible monitoring system.

                Roles:
                  server   Scrape targets, store samples, serve the Prometheus HTTP API.
                  alertmanager  Route, group, inhibit and silence alerts; send notifications (Alertmanager-compatible).
                  tool     What promtool does: check config, tsdb list|analyze|dump|create-blocks-from, query.

                Run 'pyrometer <role> --help' for the flags of a role.""");
    }
}
